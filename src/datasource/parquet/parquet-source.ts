import { Field, Schema, type RecordBatch } from 'apache-arrow';
import type { CommitMessage, DataSource, DriverContext, PushdownOffer, ReadPlan, SaveMode, Split, TaskContext, WriteJob } from '../datasource.js';
import { ConfigError } from '../../errors/kjob-error.js';
import { listDataFiles } from '../storage/file-listing.js';
import { sealConfSasInSplits } from '../storage/seal-conf-sas.js';
import { abortFileWriteJob, commitFileWriteJob, prepareFileWrite, TaskOutput, type FileWriteState } from '../storage/file-commit-protocol.js';
import { parseParquetReadOptions, parseParquetWriteOptions, codecFileTag, PARQUET_SPLIT_CAP } from './parquet-options.js';
import { effectiveSplitBytes } from '../storage/split-size.js';
import { readFooter } from './parquet-footer.js';
import { checkSameSchema } from './schema-compat.js';
import { planParquetSplits, type ParquetSplit } from './parquet-splits.js';
import { readParquetSplit } from './parquet-split-reader.js';
import { emptyParquetFile, writeParquetFile, writerProperties } from './parquet-file-writer.js';
import { PlanError } from '../../errors/kjob-error.js';

const isParquetName = (name: string): boolean => name.toLowerCase().endsWith('.parquet') || name.toLowerCase().endsWith('.parq');

/** How many footers the driver reads at once (each is a few small reads). */
const FOOTER_CONCURRENCY = 8;

async function planRead(
  options: Readonly<Record<string, string>>,
  paths: readonly string[],
  userSchema: Schema | undefined,
  pushdown: PushdownOffer,
  ctx: DriverContext,
): Promise<ReadPlan> {
  const opts = parseParquetReadOptions(options);
  const all = paths.length > 0 ? paths : options['path'] !== undefined ? [options['path']] : [];
  const files = await listDataFiles(all, ctx.conf, { accept: isParquetName, what: 'Parquet files' });
  const footers = new Array<Awaited<ReturnType<typeof readFooter>>>(files.length);
  for (let i = 0; i < files.length; i += FOOTER_CONCURRENCY) {
    const chunk = files.slice(i, i + FOOTER_CONCURRENCY);
    const read = await Promise.all(chunk.map((f) => readFooter(f, ctx.conf)));
    read.forEach((footer, j) => (footers[i + j] = footer));
  }
  const first = { file: files[0]!.location, schema: footers[0]!.schema };
  const nullable = new Set<string>();
  footers.forEach((footer, i) => {
    checkSameSchema(first, { file: files[i]!.location, schema: footer.schema });
    for (const f of footer.schema.fields) if (f.nullable) nullable.add(f.name);
  });
  const fileSchema = new Schema(
    first.schema.fields.map((f) => new Field(f.name, f.type, nullable.has(f.name), f.metadata)),
    first.schema.metadata,
  );
  const schema = userSchema ? checkUserSchema(userSchema, fileSchema) : fileSchema;
  const required = pushdown.requiredColumns?.filter((c) => schema.fields.some((f) => f.name === c));
  const withGroups = files.map((f, i) => ({ location: f.location, size: f.size, rowGroups: footers[i]!.rowGroups }));
  const total = withGroups.reduce((s, f) => s + f.rowGroups.reduce((t, rg) => t + (required ? required.reduce((u, c) => u + (rg.columnBytes[c] ?? 0), 0) : rg.compressedBytes), 0), 0);
  const splitBytes = effectiveSplitBytes(opts.maxSplitBytes, total, ctx.defaultParallelism, PARQUET_SPLIT_CAP);
  const splits = sealConfSasInSplits(all, planParquetSplits(withGroups, splitBytes, required), ctx);
  ctx.log.debug({ files: files.length, splits: splits.length, rows: footers.reduce((s, f) => s + f.numRows, 0) }, 'parquet read planned');
  return { schema, splits };
}

/** A user schema selects and orders columns; its types must match the files' (no silent casts). */
function checkUserSchema(user: Schema, files: Schema): Schema {
  const byName = new Map(files.fields.map((f) => [f.name, f]));
  for (const field of user.fields) {
    const actual = byName.get(field.name);
    if (!actual) throw new PlanError(`Column '${field.name}' of the given schema is not in the Parquet files (they have: ${files.fields.map((f) => f.name).join(', ')})`, { context: { column: field.name } });
    if (String(actual.type) !== String(field.type)) {
      throw new PlanError(`Column '${field.name}' is ${String(actual.type)} in the Parquet files but ${String(field.type)} in the given schema`, {
        resolution: 'Read without a schema and cast the column.',
        context: { column: field.name },
      });
    }
  }
  return new Schema(user.fields.map((f) => byName.get(f.name)!));
}

function readSplit(split: Split, options: Readonly<Record<string, string>>, schema: Schema, ctx: TaskContext): AsyncIterable<RecordBatch> {
  const opts = parseParquetReadOptions(options);
  return readParquetSplit(split as ParquetSplit, schema, opts.batchSize, ctx);
}

async function prepareWrite(_schema: Schema, options: Readonly<Record<string, string>>, path: string | undefined, mode: SaveMode, ctx: DriverContext): Promise<WriteJob> {
  parseParquetWriteOptions(options);
  const target = requirePath(path, options);
  const { skip, state } = await prepareFileWrite(target, mode, ctx.jobId, ctx.conf);
  return { format: 'parquet', state: { ...state, options: { ...options } }, skip };
}

async function writeTask(job: WriteJob, schema: Schema, batches: AsyncIterable<RecordBatch>, ctx: TaskContext): Promise<CommitMessage> {
  const state = job.state as unknown as FileWriteState & { options: Record<string, string> };
  const opts = parseParquetWriteOptions(state.options);
  const ext = `${codecFileTag(opts.compression)}parquet`;
  const props = () => writerProperties(opts.compression, opts.rowGroupRows);
  const maxRows = opts.maxRecordsPerFile > 0 ? opts.maxRecordsPerFile : Number.POSITIVE_INFINITY;
  const output = new TaskOutput(state, ctx);
  const it = batches[Symbol.asyncIterator]();
  try {
    let next = await firstNonEmpty(it);
    if (next === undefined && ctx.partition === 0) {
      // Like Spark, an empty job still leaves one file so the output reads back with its schema.
      const { name, sink } = await output.create(ext);
      await sink.write(emptyParquetFile(schema, props()));
      await output.finish(name, sink, 0);
    }
    while (next !== undefined) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('task aborted');
      const { name, sink } = await output.create(ext);
      const result = await writeParquetFile(next, it, sink, props, maxRows);
      await output.finish(name, sink, result.rows);
      next = result.carry ?? (result.done ? undefined : await firstNonEmpty(it));
    }
    return output.commitMessage();
  } catch (e) {
    await output.abort();
    throw e;
  }
}

async function firstNonEmpty(it: AsyncIterator<RecordBatch>): Promise<RecordBatch | undefined> {
  for (;;) {
    const step = await it.next();
    if (step.done) return undefined;
    if (step.value.numRows > 0) return step.value;
  }
}

function requirePath(path: string | undefined, options: Readonly<Record<string, string>>): string {
  const target = path ?? options['path'];
  if (!target) throw new ConfigError('A parquet write needs a path', { resolution: 'Call save(path) or set option("path", ...).' });
  return target;
}

/** The `parquet` format: local files, directories, globs and blob URLs; split per row group. */
export const parquetSource: DataSource = {
  name: 'parquet',
  validateReadOptions: (options) => void parseParquetReadOptions(options),
  validateWriteOptions: (options, path) => {
    parseParquetWriteOptions(options);
    requirePath(path, options);
  },
  planRead,
  readSplit,
  prepareWrite,
  writeTask,
  commitWrite: commitFileWriteJob,
  abortWrite: abortFileWriteJob,
};
