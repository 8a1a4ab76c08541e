import type { RecordBatch, Schema } from 'apache-arrow';
import type { Split, TaskContext } from '../datasource.js';
import { displayLocation } from '../storage/location.js';
import { CONTINUE, PAUSE, STOP, isGzipped, lineNumberAt, scanRecords } from './csv-record-scanner.js';
import { RecordAssembler } from './csv-record-reader.js';
import type { CsvReadOptions } from './csv-options.js';
import type { CsvDialect } from './csv-tokenizer.js';
import { CsvParseError } from './csv-errors.js';
import { KjobError } from '../../errors/kjob-error.js';

/** One task's share of a CSV file: a byte range (the whole file with multiLine). */
export interface CsvSplit extends Split {
  readonly file: string;
  readonly fileSize: number;
  readonly start: number;
  readonly end: number;
  readonly estimatedBytes: number;
  readonly description: string;
  /** Every column of the file, in record order (records are positional). */
  readonly fileColumns: readonly string[];
  /** The columns the plan needs; absent = the columns of the schema given to readSplit. */
  readonly columns?: readonly string[];
}

export function dialectOf(opts: CsvReadOptions): CsvDialect {
  return { sep: opts.sep, quote: opts.quote, escape: opts.escape, multiLine: opts.multiLine };
}

/** Cuts files into byte ranges of `maxSplitBytes`; multiLine and gzip files stay whole (a quoted line feed is no boundary; gzip cannot be entered midway). */
export function planCsvSplits(
  files: readonly { location: string; size: number }[],
  maxSplitBytes: number,
  multiLine: boolean,
  fileColumns: readonly string[],
  columns?: readonly string[],
): CsvSplit[] {
  const splits: CsvSplit[] = [];
  for (const f of files) {
    if (f.size === 0) continue;
    const step = multiLine || isGzipped(f.location) ? f.size : maxSplitBytes;
    for (let start = 0; start < f.size; start += step) {
      const end = Math.min(f.size, start + step);
      splits.push({
        file: f.location,
        fileSize: f.size,
        start,
        end,
        estimatedBytes: end - start,
        description: `${displayLocation(f.location)} bytes ${start}-${end}`,
        fileColumns: [...fileColumns],
        ...(columns ? { columns: [...columns] } : {}),
      });
    }
  }
  return splits;
}

/** Streams the records of one split as batches of up to `batchSize` rows. */
export async function* readCsvSplit(split: CsvSplit, opts: CsvReadOptions, schema: Schema, ctx: TaskContext): AsyncGenerator<RecordBatch> {
  const dialect = dialectOf(opts);
  const wanted = split.columns ? schema.fields.filter((f) => split.columns!.includes(f.name)) : schema.fields;
  const outSchema = wanted.length === schema.fields.length ? schema : schema.select(wanted.map((f) => f.name));
  const sourceIndex = outSchema.fields.map((f) => {
    const i = split.fileColumns.indexOf(f.name);
    if (i < 0) throw new KjobError('PLAN_INVALID', `Column '${f.name}' is not a column of the CSV input (${split.fileColumns.join(', ')})`, { context: { column: f.name } });
    return i;
  });
  const assembler = new RecordAssembler(outSchema, sourceIndex, split.fileColumns.length, dialect, opts.mode, opts.nullValue, Math.min(opts.batchSize, 1 << 16));
  let skipHeader = opts.header && split.start === 0;
  let failedAt = -1;
  const range = { location: split.file, fileSize: split.fileSize, start: split.start, end: split.end };
  for await (const _ of scanRecords(range, ctx.conf, dialect, (buf, fields, at) => {
    if (skipHeader) {
      skipHeader = false;
      return CONTINUE;
    }
    if (fields.isBlank()) return CONTINUE;
    if (!assembler.add(buf, fields)) {
      failedAt = at;
      return STOP;
    }
    return assembler.rows >= opts.batchSize ? PAUSE : CONTINUE;
  })) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('task aborted');
    yield assembler.finish();
  }
  if (failedAt >= 0) {
    const problem = assembler.failure!;
    throw new CsvParseError(displayLocation(split.file), await lineNumberAt(split.file, ctx.conf, failedAt, split.fileSize), problem.column, problem.reason);
  }
  if (assembler.rows > 0) yield assembler.finish();
}
