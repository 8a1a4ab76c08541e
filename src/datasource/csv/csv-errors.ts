import { KjobError } from '../../errors/kjob-error.js';

/** A malformed CSV record or value under mode FAILFAST (or a file that cannot give a schema). */
export class CsvParseError extends KjobError {
  override name = 'CsvParseError';
  constructor(file: string, line: number, column: string | undefined, reason: string) {
    super('DATA_INVALID', `Malformed CSV in ${file} at line ${line}${column !== undefined ? `, column '${column}'` : ''}: ${reason}`, {
      resolution: "Fix the input, or read with option('mode', 'PERMISSIVE') (bad values become null) or 'DROPMALFORMED' (bad rows are dropped).",
      context: { file, line, column },
    });
  }
}
