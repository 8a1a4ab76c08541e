export { parquetSource } from './parquet-source.js';
export { ParquetFileError, ParquetSchemaMismatchError } from './parquet-errors.js';
export type { ParquetSplit } from './parquet-splits.js';
