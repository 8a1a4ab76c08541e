import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeVector, Table, tableFromArrays, tableFromIPC, Type, Utf8, vectorFromArray, type RecordBatch } from 'apache-arrow';
import { readParquet } from 'parquet-wasm/node';
import { parquetSource } from '../../../src/datasource/parquet/index.js';
import type { ParquetSplit } from '../../../src/datasource/parquet/index.js';
import { driverContext, taskContext, collect } from '../support.js';
import { writeParquetFixture } from './fixtures.js';

const FLIGHTS = path.resolve('node_modules/vega-datasets/data/flights-3m.parquet');
const noPushdown = { filters: [] };

function numbers(n: number, from = 0) {
  return new Table({
    id: makeVector(Int32Array.from({ length: n }, (_, i) => i + from)),
    value: makeVector(Float64Array.from({ length: n }, (_, i) => (i + from) * 0.5)),
    name: vectorFromArray(Array.from({ length: n }, (_, i) => `row-${i + from}-é`), new Utf8()),
  });
}

async function readAll(paths: string[], options: Record<string, string> = {}, requiredColumns?: string[]) {
  const ctx = driverContext();
  const plan = await parquetSource.planRead!(options, paths, undefined, requiredColumns ? { filters: [], requiredColumns } : noPushdown, ctx);
  const batches: RecordBatch[] = [];
  for (const [i, split] of plan.splits.entries()) batches.push(...(await collect(parquetSource.readSplit!(split, options, plan.schema, taskContext(i)))));
  return { plan, batches, rows: batches.reduce((s, b) => s + b.numRows, 0) };
}

describe('parquet source: reading local files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kjob-pq-read-'));
    mkdirSync(path.join(dir, 'data', 'sub'), { recursive: true });
    writeParquetFixture(path.join(dir, 'data', 'a.parquet'), numbers(2500, 0), 1000); // 3 row groups
    writeParquetFixture(path.join(dir, 'data', 'b.parquet'), numbers(1500, 2500), 1000); // 2 row groups
    writeParquetFixture(path.join(dir, 'data', 'sub', 'c.parquet'), numbers(100, 4000), 1000);
    writeParquetFixture(path.join(dir, 'data', '_hidden.parquet'), numbers(7, 0));
    writeParquetFixture(path.join(dir, 'data', '.dot.parquet'), numbers(7, 0));
    writeFileSync(path.join(dir, 'data', '_SUCCESS'), '');
    writeFileSync(path.join(dir, 'data', 'notes.txt'), 'not data');
    mkdirSync(path.join(dir, 'mismatch'));
    writeParquetFixture(path.join(dir, 'mismatch', 'a.parquet'), numbers(10));
    writeParquetFixture(path.join(dir, 'mismatch', 'b.parquet'), tableFromArrays({ id: Float64Array.from([1]), value: Float64Array.from([1]), name: ['x'] }));
    writeFileSync(path.join(dir, 'bogus.parquet'), 'id,value\n1,2\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('plans one split per row group when the target size is small, and reads every row once', async () => {
    const { plan, batches, rows } = await readAll([path.join(dir, 'data')], { maxSplitBytes: '1' });
    assert.equal(plan.splits.length, 3 + 2 + 1);
    assert.equal(rows, 4100);
    const ids = new Set<number>();
    for (const b of batches) for (const v of b.getChild('id')!) ids.add(v as number);
    assert.equal(ids.size, 4100);
    assert.deepEqual((plan.splits[0] as ParquetSplit).rowGroups, [0]);
    assert.ok(plan.splits.every((s) => (s.estimatedBytes ?? 0) > 0));
  });

  it('packs row groups up to maxSplitBytes (default: one split per small file)', async () => {
    const { plan, rows } = await readAll([path.join(dir, 'data')]);
    assert.equal(plan.splits.length, 3);
    assert.deepEqual((plan.splits[0] as ParquetSplit).rowGroups, [0, 1, 2]);
    assert.equal(rows, 4100);
  });

  it('expands globs, including ** across directories', async () => {
    assert.equal((await readAll([path.join(dir, 'data', '*.parquet')])).rows, 4000);
    assert.equal((await readAll([path.join(dir, 'data', '**', '*.parquet')])).rows, 4100);
    assert.equal((await readAll([path.join(dir, 'data', '{a,b}.parquet')])).rows, 4000);
    assert.equal((await readAll([path.join(dir, 'data', 'a.parquet')])).rows, 2500);
    assert.equal((await readAll([path.join(dir, 'd*', 's?b')])).rows, 100, 'a glob matching a directory reads the directory');
  });

  it('reads only the required columns and hands out Utf8 strings', async () => {
    const { batches, plan } = await readAll([path.join(dir, 'data')], {}, ['name']);
    assert.deepEqual(batches[0]!.schema.fields.map((f) => f.name), ['name']);
    assert.equal(batches[0]!.schema.fields[0]!.type.typeId, Type.Utf8);
    assert.equal(batches[0]!.getChild('name')!.get(0), 'row-0-é');
    assert.deepEqual((plan.splits[0] as ParquetSplit).columns, ['name']);
  });

  it('names the missing path, the unmatched glob, the corrupt file and the mismatching column', async () => {
    await assert.rejects(readAll([path.join(dir, 'nope')]), (e: Error) => e.name === 'PathNotFoundError' && e.message.includes(path.join(dir, 'nope')));
    await assert.rejects(readAll([path.join(dir, 'data', '*.orc')]), (e: Error) => e.name === 'NoFilesMatchedError' && e.message.includes('*.orc'));
    await assert.rejects(readAll([path.join(dir, 'bogus.parquet')]), (e: Error) => e.name === 'ParquetFileError' && e.message.includes('bogus.parquet') && e.message.includes('magic bytes'));
    await assert.rejects(readAll([path.join(dir, 'mismatch')]), (e: Error) => e.name === 'ParquetSchemaMismatchError' && /'id'/.test(e.message) && e.message.includes('a.parquet') && e.message.includes('b.parquet'));
  });

  it('validates options up front', () => {
    assert.throws(() => parquetSource.validateReadOptions!({ maxSplitByte: '1' }, []), (e: Error) => e.name === 'ConfigError' && e.message.includes('maxSplitByte') && (e as { resolution?: string }).resolution!.includes('maxSplitBytes'));
    assert.throws(() => parquetSource.validateReadOptions!({ batchSize: 'lots' }, []), /batchSize.*expected an integer/);
    parquetSource.validateReadOptions!({ MAXSPLITBYTES: '1024' }, []);
  });
});

/** Exact sum of int64 values that fit in 32 bits (flights' delays and distances), via their two halves. */
function sumInt64(values: BigInt64Array, n: number): number {
  const words = new Int32Array(values.buffer, values.byteOffset, n * 2);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const lo = words[j * 2]!;
    if (words[j * 2 + 1] !== (lo < 0 ? -1 : 0)) return Number.NaN; // out of 32-bit range: fails the comparison loudly
    sum += lo;
  }
  return sum;
}

describe('parquet source: flights-3m', () => {
  it('reads all row-group splits with exactly the footer row count and the same sums as a whole-file read', async () => {
    const whole = tableFromIPC(readParquet(readFileSync(FLIGHTS), { columns: ['delay', 'distance'] }).intoIPCStream());
    let wholeDelay = 0;
    let wholeDistance = 0;
    for (const b of whole.batches) {
      wholeDelay += sumInt64(b.getChild('delay')!.data[0]!.values as BigInt64Array, b.numRows);
      wholeDistance += sumInt64(b.getChild('distance')!.data[0]!.values as BigInt64Array, b.numRows);
    }

    const ctx = driverContext();
    const plan = await parquetSource.planRead!({ maxSplitBytes: '1' }, [FLIGHTS], undefined, { filters: [], requiredColumns: ['delay', 'distance'] }, ctx);
    const footerRows = plan.splits.reduce((s, sp) => s + (sp as ParquetSplit).rows, 0);
    assert.equal(footerRows, whole.numRows);
    assert.equal(footerRows, 3_000_000);
    assert.equal(plan.splits.length, 11);
    let rows = 0;
    let delay = 0;
    let distance = 0;
    for (const [i, split] of plan.splits.entries()) {
      for await (const b of parquetSource.readSplit!(split, {}, plan.schema, taskContext(i))) {
        rows += b.numRows;
        delay += sumInt64(b.getChild('delay')!.data[0]!.values as BigInt64Array, b.numRows);
        distance += sumInt64(b.getChild('distance')!.data[0]!.values as BigInt64Array, b.numRows);
      }
    }
    assert.equal(rows, 3_000_000);
    assert.equal(delay, wholeDelay);
    assert.equal(distance, wholeDistance);
    assert.equal(String(plan.schema.fields.find((f) => f.name === 'origin')!.type), 'Utf8');
  });

  it('spreads the 13 MB file over the cores by default (Spark split sizing)', async () => {
    const plan = await parquetSource.planRead!({}, [FLIGHTS], undefined, { filters: [] }, driverContext({ defaultParallelism: 2 }));
    assert.ok(plan.splits.length >= 2, `${plan.splits.length} splits`);
    assert.equal(plan.splits.reduce((s, sp) => s + (sp as ParquetSplit).rows, 0), 3_000_000);
    const one = await parquetSource.planRead!({}, [FLIGHTS], undefined, { filters: [] }, driverContext({ defaultParallelism: 1 }));
    assert.equal(one.splits.length, 1);
  });
});
