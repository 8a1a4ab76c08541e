import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { RecordBatch, Schema } from 'apache-arrow';
import type { CommitMessage, DataSource, DriverContext, PushdownOffer, ReadPlan, SaveMode, Split, TaskContext, WriteJob } from '../datasource.js';
import { ConfigError } from '../../errors/kjob-error.js';
import { listDataFiles } from '../storage/file-listing.js';
import { effectiveSplitBytes } from '../storage/split-size.js';
import { sealConfSasInSplits } from '../storage/seal-conf-sas.js';
import { abortFileWriteJob, commitFileWriteJob, prepareFileWrite, TaskOutput, type FileWriteState } from '../storage/file-commit-protocol.js';
import { parseCsvReadOptions, parseCsvWriteOptions } from './csv-options.js';
import { parseDdlSchema } from './ddl-schema.js';
import { inferCsvSchema } from './csv-schema-inference.js';
import { builderFor } from './csv-columns.js';
import { dialectOf, planCsvSplits, readCsvSplit, type CsvSplit } from './csv-split-reader.js';
import { CsvFormatter } from './csv-writer.js';
import { formatterFor } from './csv-value-format.js';

const gzipAsync = promisify(gzip);

/** Largest CSV split without an explicit maxSplitBytes. */
const CSV_SPLIT_CAP = 64 << 20;

async function planRead(
  options: Readonly<Record<string, string>>,
  paths: readonly string[],
  userSchema: Schema | undefined,
  pushdown: PushdownOffer,
  ctx: DriverContext,
): Promise<ReadPlan> {
  const opts = parseCsvReadOptions(options);
  const all = paths.length > 0 ? paths : options['path'] !== undefined ? [options['path']] : [];
  const files = await listDataFiles(all, ctx.conf, { accept: () => true, what: 'CSV files' });
  const schema = userSchema ?? (opts.schema !== undefined ? parseDdlSchema(opts.schema) : await inferCsvSchema(files[0]!, opts, dialectOf(opts), ctx.conf));
  for (const field of schema.fields) builderFor(field, 1); // rejects column types CSV cannot hold, before any task runs
  const names = schema.fields.map((f) => f.name);
  const required = pushdown.requiredColumns?.filter((c) => names.includes(c));
  const total = files.reduce((s, f) => s + f.size, 0);
  const splitBytes = effectiveSplitBytes(opts.maxSplitBytes, total, ctx.defaultParallelism, CSV_SPLIT_CAP);
  const splits = sealConfSasInSplits(all, planCsvSplits(files, splitBytes, opts.multiLine, names, required), ctx);
  ctx.log.debug({ files: files.length, splits: splits.length }, 'csv read planned');
  return { schema, splits };
}

function readSplit(split: Split, options: Readonly<Record<string, string>>, schema: Schema, ctx: TaskContext): AsyncIterable<RecordBatch> {
  return readCsvSplit(split as CsvSplit, parseCsvReadOptions(options), schema, ctx);
}

function requirePath(path: string | undefined, options: Readonly<Record<string, string>>): string {
  const target = path ?? options['path'];
  if (!target) throw new ConfigError('A csv write needs a path', { resolution: 'Call save(path) or set option("path", ...).' });
  return target;
}

async function prepareWrite(schema: Schema, options: Readonly<Record<string, string>>, path: string | undefined, mode: SaveMode, ctx: DriverContext): Promise<WriteJob> {
  parseCsvWriteOptions(options);
  for (const field of schema.fields) formatterFor(field); // rejects binary/nested columns before any side effect
  const { skip, state } = await prepareFileWrite(requirePath(path, options), mode, ctx.jobId, ctx.conf);
  return { format: 'csv', state: { ...state, options: { ...options } }, skip };
}

async function writeTask(job: WriteJob, schema: Schema, batches: AsyncIterable<RecordBatch>, ctx: TaskContext): Promise<CommitMessage> {
  const state = job.state as unknown as FileWriteState & { options: Record<string, string> };
  const opts = parseCsvWriteOptions(state.options);
  const formatter = new CsvFormatter(schema, opts);
  const output = new TaskOutput(state, ctx);
  const ext = opts.compression === 'gzip' ? 'csv.gz' : 'csv';
  // Each batch becomes one gzip member: concatenated members are one valid gzip stream, and memory
  // stays at one batch.
  const encode = opts.compression === 'gzip' ? (b: Buffer) => gzipAsync(b) : async (b: Buffer) => b;
  let file: Awaited<ReturnType<TaskOutput['create']>> | undefined;
  let rows = 0;
  try {
    for await (const batch of batches) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('task aborted');
      if (batch.numRows === 0) continue;
      if (!file) {
        file = await output.create(ext);
        if (opts.header) await file.sink.write(await encode(formatter.header()));
      }
      await file.sink.write(await encode(formatter.format(batch)));
      rows += batch.numRows;
    }
    if (!file && ctx.partition === 0) {
      // An empty job still leaves one (header-only) file, as Spark does.
      file = await output.create(ext);
      if (opts.header) await file.sink.write(await encode(formatter.header()));
    }
    if (file) await output.finish(file.name, file.sink, rows);
    return output.commitMessage();
  } catch (e) {
    await output.abort();
    throw e;
  }
}

/** The `csv` format: Spark's options and defaults, byte-range splits, streaming column-wise parsing. */
export const csvSource: DataSource = {
  name: 'csv',
  validateReadOptions: (options) => {
    const opts = parseCsvReadOptions(options);
    if (opts.schema !== undefined) parseDdlSchema(opts.schema);
  },
  validateWriteOptions: (options, path) => {
    parseCsvWriteOptions(options);
    requirePath(path, options);
  },
  planRead,
  readSplit,
  prepareWrite,
  writeTask,
  commitWrite: commitFileWriteJob,
  abortWrite: abortFileWriteJob,
};
