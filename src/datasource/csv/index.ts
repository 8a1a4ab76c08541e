export { csvSource } from './csv-source.js';
export { parseDdlSchema } from './ddl-schema.js';
export { CsvParseError } from './csv-errors.js';
export type { CsvSplit } from './csv-split-reader.js';
