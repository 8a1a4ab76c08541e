/** Errors about the caller's input: options, storage parameters, schemas. Never retryable. */
import { KjobError, type KjobErrorDetails } from '../../../errors/kjob-error.js';

/** The missing-destination guidance of the sink's TableNotFoundException, shared with `kjob doctor --table`. */
export const TABLE_NOT_FOUND_CAUSE = 'The destination table does not exist (or the name/database is misspelled) and the sink must not create it.';
export const TABLE_NOT_FOUND_RESOLUTION = "Create the table first, or set tableCreateOptions to 'CreateIfNotExist'.";

/**
 * A bad or missing option or parameter (the connector's `java.security.InvalidParameterException` /
 * `IllegalArgumentException`). The message is the connector's own text where it has one.
 */
export class InvalidParameterException extends KjobError {
  override name = 'InvalidParameterException';
  constructor(message: string, details: KjobErrorDetails & { option?: string } = {}) {
    super('CONFIG_INVALID', message, {
      likelyCause: 'An option of the Kusto data source is missing, misspelled or has a value it does not accept.',
      resolution: 'Fix the option named in the message; option names are case-insensitive, values are not.',
      ...details,
      context: { ...(details.option === undefined ? {} : { option: details.option }), ...details.context },
      retryable: false,
    });
  }
}

/** The DataFrame's columns do not fit the destination table under the chosen `adjustSchema` mode. */
export class SchemaMatchException extends KjobError {
  override name = 'SchemaMatchException';
  constructor(message: string, details: KjobErrorDetails = {}) {
    super('SCHEMA_MISMATCH', message, {
      likelyCause: 'The destination table has different columns (names or order) than the data being written.',
      resolution: "Align the columns, or set adjustSchema to 'GenerateDynamicCsvMapping' to map columns by name.",
      ...details,
      retryable: false,
    });
  }
}
