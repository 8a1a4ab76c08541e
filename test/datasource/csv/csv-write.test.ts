import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Binary, Bool, DateDay, Decimal, Field, Float64, Int32, Int64, RecordBatch, Schema, Struct, TimeUnit, Timestamp, Utf8, makeData, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { csvSource } from '../../../src/datasource/csv/index.js';
import type { CommitMessage, SaveMode } from '../../../src/datasource/datasource.js';
import { driverContext, taskContext, collect } from '../support.js';

function batchOf(schema: Schema, columns: Vector[]): RecordBatch {
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: columns[0]!.length, nullCount: 0, children: columns.map((c) => c.data[0]!) }));
}
async function* gen(batches: RecordBatch[]): AsyncGenerator<RecordBatch> {
  yield* batches;
}

async function writeCsv(target: string, mode: SaveMode, schema: Schema, tasks: RecordBatch[][], options: Record<string, string> = {}) {
  const ctx = driverContext();
  const job = await csvSource.prepareWrite!(schema, options, target, mode, ctx);
  if (job.skip) return { job, ctx };
  const messages: CommitMessage[] = [];
  for (const [p, batches] of tasks.entries()) messages.push(await csvSource.writeTask!(job, schema, gen(batches), taskContext(p, { jobId: ctx.jobId })));
  const summary = await csvSource.commitWrite!(job, messages, ctx);
  return { job, ctx, summary };
}

async function readCsv(target: string, options: Record<string, string>, schema?: Schema) {
  const plan = await csvSource.planRead!(options, [target], schema, { filters: [] }, driverContext());
  const rows: unknown[][] = [];
  for (const [i, s] of plan.splits.entries()) {
    for (const b of await collect(csvSource.readSplit!(s, options, plan.schema, taskContext(i)))) {
      for (let r = 0; r < b.numRows; r++) rows.push(b.schema.fields.map((_, c) => b.getChildAt(c)!.get(r)));
    }
  }
  return rows;
}

describe('csv source: writing', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'kjob-csv-write-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const schema = new Schema([
    new Field('s', new Utf8(), true), new Field('i', new Int32(), true), new Field('l', new Int64(), true), new Field('f', new Float64(), true),
    new Field('b', new Bool(), true), new Field('d', new DateDay(), true), new Field('ts', new Timestamp(TimeUnit.MICROSECOND, 'UTC'), true),
    new Field('dec', new Decimal(2, 12, 128), true),
  ]);
  const strings = ['plain', 'comma, inside', 'quote " inside', 'line\nfeed\r\nand crlf', '', null, 'ünïcödé 🎉'];
  const n = strings.length;
  const decimals = new Uint32Array(n * 4);
  [12345n, -1n, 0n, 99999999999n, 5n, 0n, -123456789012n].forEach((v, i) => {
    let x = BigInt.asUintN(128, v);
    for (let k = 0; k < 4; k++, x >>= 32n) decimals[i * 4 + k] = Number(x & 0xffffffffn);
  });
  const columns = [
    vectorFromArray(strings, new Utf8()),
    vectorFromArray([1, -2147483648, 2147483647, null, 0, 5, 6], new Int32()),
    vectorFromArray([2n ** 63n - 1n, -(2n ** 63n), 0n, null, 1n, 2n, 3n], new Int64()),
    vectorFromArray([1.5, NaN, Infinity, -Infinity, -0, null, 1e-300], new Float64()),
    vectorFromArray([true, false, null, true, false, true, false], new Bool()),
    makeVector(makeData({ type: new DateDay(), length: n, nullCount: 1, nullBitmap: Uint8Array.from([0b1111011]), data: Int32Array.from([0, -719162, 0, 2932896, 19000, -1, 1]) })),
    makeVector(makeData({ type: new Timestamp(TimeUnit.MICROSECOND, 'UTC'), length: n, nullCount: 1, nullBitmap: Uint8Array.from([0b1110111]), data: BigInt64Array.from([0n, -1n, 1704164645123456n, 0n, -62135596800000000n, 253402300799999999n, 1000n]) as never })),
    makeVector(makeData({ type: new Decimal(2, 12, 128), length: n, nullCount: 1, nullBitmap: Uint8Array.from([0b1011111]), data: decimals })),
  ];

  it('round-trips every CSV type, quoting, empty strings versus nulls, with a header', async () => {
    const target = path.join(dir, 'all');
    const { ctx, summary } = await writeCsv(target, 'errorifexists', schema, [[batchOf(schema, columns)]], { header: 'true' });
    assert.equal(summary!.rows, n);
    assert.deepEqual(readdirSync(target).sort(), ['_SUCCESS', `part-00000-${ctx.jobId}.csv`]);
    const text = readFileSync(path.join(target, `part-00000-${ctx.jobId}.csv`), 'utf8');
    assert.ok(text.startsWith('s,i,l,f,b,d,ts,dec\nplain,1,9223372036854775807,1.5,true,1970-01-01,1970-01-01T00:00:00Z,123.45\n'), text.slice(0, 200));
    assert.ok(text.includes('"comma, inside"') && text.includes('"quote "" inside"') && text.includes('\n"",0,1,-0,false,'));
    const ddl = 's STRING, i INT, l BIGINT, f DOUBLE, b BOOLEAN, d DATE, ts TIMESTAMP, dec DECIMAL(12,2)';
    const rows = await readCsv(target, { header: 'true', multiLine: 'true', schema: ddl });
    const expected = Array.from({ length: n }, (_, r) => columns.map((c) => c.get(r)));
    assert.deepEqual(rows.map((r) => r.map((v) => (v instanceof Uint32Array ? [...v] : v))), expected.map((r) => r.map((v) => (v instanceof Uint32Array ? [...v] : v))));
  });

  it('writes sliced batches (non-zero Arrow offsets) correctly', async () => {
    const target = path.join(dir, 'sliced');
    const full = batchOf(schema, columns);
    await writeCsv(target, 'errorifexists', schema, [[full.slice(2, 6), full.slice(6)]], { header: 'true' });
    const ddl = 's STRING, i INT, l BIGINT, f DOUBLE, b BOOLEAN, d DATE, ts TIMESTAMP, dec DECIMAL(12,2)';
    const rows = await readCsv(target, { header: 'true', multiLine: 'true', schema: ddl });
    const expected = Array.from({ length: n - 2 }, (_, r) => columns.map((c) => c.get(r + 2)));
    const plain = (rs: unknown[][]) => rs.map((r) => r.map((v) => (v instanceof Uint32Array ? [...v] : v)));
    assert.deepEqual(plain(rows), plain(expected));
  });

  it('writes gzip-compressed part files that read back', async () => {
    const target = path.join(dir, 'gz');
    const full = batchOf(schema, columns);
    const { ctx } = await writeCsv(target, 'errorifexists', schema, [[full.slice(0, 3), full.slice(3)]], { header: 'true', compression: 'gzip' });
    assert.deepEqual(readdirSync(target).sort(), ['_SUCCESS', `part-00000-${ctx.jobId}.csv.gz`]);
    const rows = await readCsv(target, { header: 'true', multiLine: 'true', inferSchema: 'false' });
    assert.equal(rows.length, n);
    assert.equal(rows[1]![0], 'comma, inside');
    assert.throws(() => csvSource.validateWriteOptions!({ compression: 'zip' }, target, 'append'), /compression.*none, uncompressed, gzip/);
  });

  it('honours sep, quoteAll and a backslash escape', async () => {
    const small = new Schema([new Field('s', new Utf8(), true)]);
    const target = path.join(dir, 'opts');
    const { ctx } = await writeCsv(target, 'errorifexists', small, [[batchOf(small, [vectorFromArray(['a\\b', 'say "x"', 'p|q'], new Utf8())])]], { sep: '|', quoteAll: 'true', escape: '\\' });
    assert.equal(readFileSync(path.join(target, `part-00000-${ctx.jobId}.csv`), 'utf8'), '"a\\\\b"\n"say \\"x\\""\n"p|q"\n');
    assert.deepEqual(await readCsv(target, { sep: '|', escape: '\\' }), [['a\\b'], ['say "x"'], ['p|q']]);
  });

  it('follows the commit protocol: modes, abort, and column types CSV cannot hold', async () => {
    const small = new Schema([new Field('i', new Int32(), true)]);
    const one = (v: number) => batchOf(small, [vectorFromArray([v], new Int32())]);
    const target = path.join(dir, 'modes');
    await writeCsv(target, 'errorifexists', small, [[one(1)], [one(2)]]);
    await assert.rejects(writeCsv(target, 'errorifexists', small, [[one(3)]]), /already exists/);
    await writeCsv(target, 'append', small, [[one(3)]]);
    assert.equal((await readCsv(target, { schema: 'i INT' })).length, 3);
    await writeCsv(target, 'overwrite', small, [[one(9)]]);
    assert.deepEqual(await readCsv(target, { schema: 'i INT' }), [[9]]);
    const ctx = driverContext();
    const job = await csvSource.prepareWrite!(small, {}, path.join(dir, 'aborted'), 'errorifexists', ctx);
    const m = await csvSource.writeTask!(job, small, gen([one(1)]), taskContext(0, { jobId: ctx.jobId }));
    await csvSource.abortWrite!(job, [m], ctx);
    assert.ok(!existsSync(path.join(dir, 'aborted')));
    const bin = new Schema([new Field('raw', new Binary(), true)]);
    await assert.rejects(csvSource.prepareWrite!(bin, {}, path.join(dir, 'bin'), 'errorifexists', driverContext()), /CSV cannot hold column 'raw'/);
    assert.throws(() => csvSource.validateWriteOptions!({ quoteAll: 'maybe' }, target, 'append'), /quoteAll.*true, false/);
  });
});
