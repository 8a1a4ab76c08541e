import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, existsSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  Binary, Bool, DateDay, Field, Float32, Float64, Int16, Int32, Int64, Int8, RecordBatch, Schema, Table, TimeUnit, Timestamp, Utf8,
  makeData, makeVector, vectorFromArray, tableFromIPC, Struct,
} from 'apache-arrow';
import { readParquet } from 'parquet-wasm/node';
import { parquetSource } from '../../../src/datasource/parquet/index.js';
import type { CommitMessage, SaveMode, WriteJob } from '../../../src/datasource/datasource.js';
import { driverContext, taskContext, collect } from '../support.js';

const simpleSchema = new Schema([new Field('id', new Int32(), true), new Field('s', new Utf8(), true)]);
function simpleBatch(from: number, n: number): RecordBatch {
  const ids = Int32Array.from({ length: n }, (_, i) => from + i);
  const strs = vectorFromArray(Array.from({ length: n }, (_, i) => `v${from + i}`), new Utf8());
  return new RecordBatch(simpleSchema, makeData({ type: new Struct(simpleSchema.fields), length: n, nullCount: 0, children: [makeVector(ids).data[0]!, strs.data[0]!] }));
}
async function* gen(batches: RecordBatch[]): AsyncGenerator<RecordBatch> {
  for (const b of batches) yield b;
}

/** Runs a whole write job through the DataSource methods: prepare, one task per batch list, commit. */
async function writeJob(target: string, mode: SaveMode, tasks: RecordBatch[][], options: Record<string, string> = {}, schema = simpleSchema) {
  const ctx = driverContext();
  const job = await parquetSource.prepareWrite!(schema, options, target, mode, ctx);
  if (job.skip) return { job, summary: undefined };
  const messages: CommitMessage[] = [];
  for (const [p, batches] of tasks.entries()) {
    messages.push(await parquetSource.writeTask!(job, schema, gen(batches), taskContext(p, { jobId: ctx.jobId, numPartitions: tasks.length })));
  }
  const summary = await parquetSource.commitWrite!(job, messages, ctx);
  return { job, summary, ctx };
}

async function readBack(target: string): Promise<number[]> {
  const ctx = driverContext();
  const plan = await parquetSource.planRead!({}, [target], undefined, { filters: [] }, ctx);
  const ids: number[] = [];
  for (const [i, s] of plan.splits.entries()) for (const b of await collect(parquetSource.readSplit!(s, {}, plan.schema, taskContext(i)))) for (const v of b.getChild('id')!) ids.push(v as number);
  return ids.sort((a, b) => a - b);
}

describe('parquet source: writing', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'kjob-pq-write-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one part file per task plus _SUCCESS, and reads back every row', async () => {
    const target = path.join(dir, 'out1');
    const { summary, ctx } = await writeJob(target, 'errorifexists', [[simpleBatch(0, 100), simpleBatch(100, 50)], [simpleBatch(150, 10)]]);
    const files = readdirSync(target).sort();
    assert.deepEqual(files, ['_SUCCESS', `part-00000-${ctx!.jobId}.snappy.parquet`, `part-00001-${ctx!.jobId}.snappy.parquet`]);
    assert.equal(summary!.rows, 160);
    assert.deepEqual(await readBack(target), Array.from({ length: 160 }, (_, i) => i));
  });

  it('errorifexists refuses a non-empty target with a clear message', async () => {
    const target = path.join(dir, 'out1');
    await assert.rejects(writeJob(target, 'errorifexists', [[simpleBatch(0, 1)]]), (e: Error) => e.name === 'PathAlreadyExistsError' && e.message.includes(target) && e.message.includes('errorifexists'));
  });

  it('append adds files, overwrite replaces them at commit, ignore skips an existing target', async () => {
    const target = path.join(dir, 'modes');
    await writeJob(target, 'errorifexists', [[simpleBatch(0, 10)]]);
    await writeJob(target, 'append', [[simpleBatch(10, 5)]]);
    assert.equal((await readBack(target)).length, 15);
    const { job } = await writeJob(target, 'ignore', [[simpleBatch(100, 5)]]);
    assert.equal(job.skip, true);
    assert.equal((await readBack(target)).length, 15);
    await writeJob(target, 'overwrite', [[simpleBatch(1000, 3)]]);
    assert.deepEqual(await readBack(target), [1000, 1001, 1002]);
    assert.equal(readdirSync(target).filter((f) => f.endsWith('.parquet')).length, 1);
    assert.ok(!existsSync(path.join(target, '_temporary')));
  });

  it('an aborted job leaves no visible output, and a failed overwrite keeps the old data', async () => {
    const fresh = path.join(dir, 'aborted');
    const ctx = driverContext();
    const job = await parquetSource.prepareWrite!(simpleSchema, {}, fresh, 'errorifexists', ctx);
    const msg = await parquetSource.writeTask!(job, simpleSchema, gen([simpleBatch(0, 10)]), taskContext(0, { jobId: ctx.jobId }));
    assert.ok(existsSync(path.join(fresh, '_temporary')));
    // Staged output is invisible to readers while the job runs.
    await assert.rejects(readBack(fresh), (e: Error) => e.name === 'NoFilesMatchedError');
    await parquetSource.abortWrite!(job, [msg], ctx);
    assert.ok(!existsSync(fresh));

    const target = path.join(dir, 'keep');
    await writeJob(target, 'errorifexists', [[simpleBatch(0, 4)]]);
    const ctx2 = driverContext();
    const job2 = await parquetSource.prepareWrite!(simpleSchema, {}, target, 'overwrite', ctx2);
    await parquetSource.writeTask!(job2, simpleSchema, gen([simpleBatch(50, 10)]), taskContext(0, { jobId: ctx2.jobId }));
    async function* failing(): AsyncGenerator<RecordBatch> {
      yield simpleBatch(60, 5);
      throw new Error('upstream failure');
    }
    await assert.rejects(parquetSource.writeTask!(job2, simpleSchema, failing(), taskContext(1, { jobId: ctx2.jobId })), /upstream failure/);
    assert.ok(!existsSync(path.join(target, '_temporary', ctx2.jobId, `${ctx2.jobId}.0.1.0`)), 'a failed task removes its own staged files');
    await parquetSource.abortWrite!(job2, [], ctx2);
    assert.deepEqual(await readBack(target), [0, 1, 2, 3]);
    assert.ok(!existsSync(path.join(target, '_temporary')));
  });

  it('commits only the accepted attempt of a retried task', async () => {
    const target = path.join(dir, 'retried');
    const ctx = driverContext();
    const job: WriteJob = await parquetSource.prepareWrite!(simpleSchema, {}, target, 'errorifexists', ctx);
    await parquetSource.writeTask!(job, simpleSchema, gen([simpleBatch(0, 7)]), taskContext(0, { jobId: ctx.jobId, attempt: 0 }));
    const second = await parquetSource.writeTask!(job, simpleSchema, gen([simpleBatch(0, 7)]), taskContext(0, { jobId: ctx.jobId, attempt: 1 }));
    await parquetSource.commitWrite!(job, [second], ctx);
    assert.deepEqual(await readBack(target), [0, 1, 2, 3, 4, 5, 6]);
  });

  it('rolls over to a new part file after maxRecordsPerFile rows, names the codec, validates compression', async () => {
    const target = path.join(dir, 'rolled');
    const { summary } = await writeJob(target, 'errorifexists', [[simpleBatch(0, 25), simpleBatch(25, 30)]], { maxRecordsPerFile: '20', compression: 'zstd' });
    const parts = readdirSync(target).filter((f) => f.startsWith('part-')).sort();
    assert.equal(parts.length, 3);
    assert.ok(parts.every((f) => f.endsWith('.zstd.parquet')));
    assert.equal(summary!.rows, 55);
    assert.deepEqual(await readBack(target), Array.from({ length: 55 }, (_, i) => i));
    assert.throws(() => parquetSource.validateWriteOptions!({ compression: 'lzo' }, target, 'append'), /compression.*none, uncompressed, snappy, gzip, zstd, brotli, lz4/);
    assert.throws(() => parquetSource.validateWriteOptions!({ compresion: 'gzip' }, target, 'append'), /Unknown parquet option 'compresion'/);
  });

  it('an empty job still leaves a readable file with the schema', async () => {
    const target = path.join(dir, 'empty');
    await writeJob(target, 'errorifexists', [[], []]);
    const plan = await parquetSource.planRead!({}, [target], undefined, { filters: [] }, driverContext());
    assert.deepEqual(plan.schema.fields.map((f) => f.name), ['id', 's']);
    assert.equal(plan.splits.length, 0);
  });

  it('round-trips every supported type, nulls, unicode and huge strings', async () => {
    const n = 5;
    const schema = new Schema([
      new Field('b', new Bool(), true), new Field('i8', new Int8(), true), new Field('i16', new Int16(), true),
      new Field('i32', new Int32(), true), new Field('i64', new Int64(), true), new Field('f32', new Float32(), true),
      new Field('f64', new Float64(), true), new Field('s', new Utf8(), true), new Field('bin', new Binary(), true),
      new Field('d', new DateDay(), true), new Field('ts', new Timestamp(TimeUnit.MICROSECOND, 'UTC'), true),
    ]);
    const huge = 'x'.repeat(3_000_000);
    const cols = {
      b: vectorFromArray([true, false, null, true, false], new Bool()),
      i8: vectorFromArray([-128, 127, null, 0, 1], new Int8()),
      i16: vectorFromArray([-32768, 32767, null, 0, 1], new Int16()),
      i32: vectorFromArray([-2147483648, 2147483647, null, 0, 1], new Int32()),
      i64: vectorFromArray([-(2n ** 63n), 2n ** 63n - 1n, null, 0n, 9007199254740993n], new Int64()),
      f32: vectorFromArray([1.5, -0, null, Infinity, NaN], new Float32()),
      f64: vectorFromArray([Math.PI, -1e308, null, -Infinity, NaN], new Float64()),
      s: vectorFromArray(['a,b"c', 'line\nbreak', null, '', `日本語 🎉 ${huge}`], new Utf8()),
      bin: vectorFromArray([new Uint8Array([0, 255]), new Uint8Array([]), null, new Uint8Array([1]), new Uint8Array([2, 3])], new Binary()),
      d: vectorFromArray([new Date(Date.UTC(1, 0, 1)), new Date(Date.UTC(9999, 11, 31)), null, new Date(0), new Date(Date.UTC(1969, 11, 31))], new DateDay()),
      ts: makeVector(makeData({ type: new Timestamp(TimeUnit.MICROSECOND, 'UTC'), length: 5, nullCount: 1, nullBitmap: Uint8Array.from([0b11011]), data: BigInt64Array.from([-62135596800000000n, 253402300799999999n, 0n, 0n, 1700000000123456n]) as never })),
    };
    const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children: schema.fields.map((f) => cols[f.name as keyof typeof cols].data[0]!) }));
    const target = path.join(dir, 'types');
    await writeJob(target, 'errorifexists', [[batch]], {}, schema);
    const plan = await parquetSource.planRead!({}, [target], undefined, { filters: [] }, driverContext());
    assert.deepEqual(plan.schema.fields.map((f) => String(f.type)), schema.fields.map((f) => String(f.type)));
    const back = new Table(await collect(parquetSource.readSplit!(plan.splits[0]!, {}, plan.schema, taskContext(0))));
    for (const f of schema.fields) {
      const want = [...cols[f.name as keyof typeof cols]].map(String);
      const got = [...back.getChild(f.name)!].map(String);
      assert.deepEqual(got, want, `column ${f.name}`);
    }
    // Cross-check with an independent full-file read of the committed file.
    const file = readdirSync(target).find((f) => f.endsWith('.parquet'))!;
    const whole = tableFromIPC(readParquet(readFileSync(path.join(target, file))).intoIPCStream());
    assert.equal(whole.numRows, n);
  });

  it('refuses a write without a path and to a target that exists as a file under errorifexists', async () => {
    assert.throws(() => parquetSource.validateWriteOptions!({}, undefined, 'append'), /needs a path/);
    const file = path.join(dir, 'afile');
    mkdirSync(path.join(dir, 'x'), { recursive: true });
    writeFileSync(file, 'x');
    await assert.rejects(writeJob(file, 'errorifexists', [[simpleBatch(0, 1)]]), /already exists/);
    await assert.rejects(writeJob(file, 'overwrite', [[simpleBatch(0, 1)]]), /it is a file, and a write target is a directory/);
    await assert.rejects(writeJob(file, 'append', [[simpleBatch(0, 1)]]), /it is a file/);
    assert.equal((await writeJob(file, 'ignore', [[simpleBatch(0, 1)]])).job.skip, true);
  });
});
