import { OptionReader } from '../storage/option-values.js';

/** Read options of the parquet format (validated on the driver before any I/O). */
export interface ParquetReadOptions {
  /** Target compressed bytes per split when given; otherwise sized by `effectiveSplitBytes`. Row groups are never cut. */
  readonly maxSplitBytes: number | undefined;
  /** Rows per RecordBatch handed to the task. */
  readonly batchSize: number;
}

/** The default split cap of Spark (spark.sql.files.maxPartitionBytes). */
export const PARQUET_SPLIT_CAP = 128 << 20;

export const PARQUET_READ_OPTION_NAMES = ['path', 'maxSplitBytes', 'batchSize'] as const;

export function parseParquetReadOptions(options: Readonly<Record<string, string>>): ParquetReadOptions {
  const o = new OptionReader('parquet', options, PARQUET_READ_OPTION_NAMES);
  return {
    maxSplitBytes: o.raw('maxSplitBytes') === undefined ? undefined : o.integer('maxSplitBytes', 0, 1),
    batchSize: o.integer('batchSize', 65_536, 1, 16 << 20),
  };
}

export const PARQUET_CODECS = ['none', 'uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4'] as const;
export type ParquetCodec = (typeof PARQUET_CODECS)[number];

export interface ParquetWriteOptions {
  readonly compression: ParquetCodec;
  /** Rows per row group: bounds the writer's buffered data. */
  readonly rowGroupRows: number;
  /** Roll over to a new part file after this many rows (0 = one file per task), like Spark's maxRecordsPerFile. */
  readonly maxRecordsPerFile: number;
}

export const PARQUET_WRITE_OPTION_NAMES = ['path', 'compression', 'rowGroupRows', 'maxRecordsPerFile'] as const;

export function parseParquetWriteOptions(options: Readonly<Record<string, string>>): ParquetWriteOptions {
  const o = new OptionReader('parquet', options, PARQUET_WRITE_OPTION_NAMES);
  return {
    compression: o.oneOf('compression', 'snappy', PARQUET_CODECS),
    rowGroupRows: o.integer('rowGroupRows', 1 << 20, 1, 1 << 30),
    maxRecordsPerFile: o.integer('maxRecordsPerFile', 0, 0),
  };
}

/** The codec part of a part file's name, as Spark names it (`part-….snappy.parquet`). */
export function codecFileTag(codec: ParquetCodec): string {
  return codec === 'none' || codec === 'uncompressed' ? '' : `${codec === 'lz4' ? 'lz4raw' : codec}.`;
}
