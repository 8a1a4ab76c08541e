import { KjobError, type KjobErrorDetails } from '../../errors/kjob-error.js';

/** A file that is not readable as Parquet (bad magic, corrupt footer, truncated). */
export class ParquetFileError extends KjobError {
  override name = 'ParquetFileError';
  constructor(file: string, reason: string, details: KjobErrorDetails = {}) {
    super('DATA_INVALID', `${file} is not a readable Parquet file: ${reason}`, { ...details, context: { file, ...details.context } });
  }
}

/** Two input files disagree on a column. */
export class ParquetSchemaMismatchError extends KjobError {
  override name = 'ParquetSchemaMismatchError';
  constructor(firstFile: string, otherFile: string, column: string, difference: string) {
    super('SCHEMA_MISMATCH', `Parquet files disagree on column '${column}': ${difference} (${firstFile} vs ${otherFile})`, {
      resolution: 'Read the files separately and align them with select/cast, or rewrite them with one schema.',
      context: { column, firstFile, otherFile },
    });
  }
}
