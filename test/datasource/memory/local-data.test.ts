import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromArrays } from 'apache-arrow';
import { typeName } from '../../../src/arrow/data-types.js';
import { toArrowSchema } from '../../../src/arrow/schema-spec.js';
import { localDataBatches, localDataNode } from '../../../src/datasource/memory/local-data.js';
import { rowsToTable } from '../../../src/datasource/memory/rows-to-table.js';
import { rangeBatches } from '../../../src/datasource/memory/range-batches.js';
import { tableToRows } from '../../../src/driver/collect-rows.js';

const types = (rows: Record<string, unknown>[]) => rowsToTable(rows).schema.fields.map((f) => `${f.name}:${typeName(f.type)}`);

describe('createDataFrame data', () => {
  it('infers column types from values', () => {
    assert.deepEqual(types([{ i: 1, big: 2 ** 40, f: 1.5, b: true, s: 'x', n: 5n, d: new Date(0), bin: new Uint8Array([1]) }]), [
      'i:int32',
      'big:int64',
      'f:float64',
      'b:boolean',
      's:string',
      'n:int64',
      'd:timestamp',
      'bin:binary',
    ]);
    assert.deepEqual(types([{ a: 1 }, { b: 'late key' }, { a: 2.5 }]), ['a:float64', 'b:string']);
  });
  it('explains what it cannot infer, naming the column', () => {
    assert.throws(() => rowsToTable([{ a: null }]), /column 'a' holds only nulls/);
    assert.throws(() => rowsToTable([{ a: 1 }, { a: 'x' }]), /column 'a' mixes number and string values/);
    assert.throws(() => rowsToTable([{ a: { nested: true } }]), /column 'a' holds object values/);
    assert.throws(() => rowsToTable([]), /cannot infer a schema from no rows/);
    assert.throws(() => rowsToTable([5 as never]), /row 0 is not an object/);
  });
  it('checks values against a given schema, naming row and column', () => {
    const schema = toArrowSchema('id int not null, name string, at timestamp, day date, amount decimal(5,2), doc json');
    assert.throws(() => rowsToTable([{ id: 1.5 }], schema), /row 0 column 'id' has a number \(1.5\), which does not fit type int32/);
    assert.throws(() => rowsToTable([{ id: 2 ** 31 }], schema), /column 'id'/);
    assert.throws(() => rowsToTable([{ name: 'x' }], schema), /column 'id' is not nullable but row 0 has no value/);
    assert.throws(() => rowsToTable([{ id: 1, at: 'yesterday' }], schema), /row 0 column 'at' has the string "yesterday"/);
    const t = rowsToTable([{ id: 1, name: '', at: '2024-01-02T03:04:05.678Z', day: '2024-02-29', amount: '-1.005', doc: { a: [1, 'x'] } }], schema);
    assert.deepEqual(tableToRows(t), [{ id: 1, name: '', at: new Date('2024-01-02T03:04:05.678Z'), day: new Date('2024-02-29T00:00:00Z'), amount: '-1.01', doc: '{"a":[1,"x"]}' }]);
  });
  it('keeps nulls, empty strings, unicode, NaN and extreme values', () => {
    const rows = [
      { s: 'a\u0000b', f: NaN, n: -(2n ** 63n), t: new Date(-62135596800000) },
      { s: '', f: -Infinity, n: 2n ** 63n - 1n, t: new Date(253402300799999) },
      { s: null, f: null, n: null, t: null },
      { s: '😀'.repeat(10_000), f: -0, n: 0n, t: new Date(0) },
    ];
    const back = tableToRows(rowsToTable(rows));
    assert.deepEqual(back, rows);
  });
  it('splits into partitions and caps the size carried in tasks', () => {
    const node = localDataNode([{ x: 1 }, { x: 2 }, { x: 3 }], { partitions: 2 });
    assert.equal(node.partitions.length, 2);
    assert.deepEqual(node.partitions.map((p) => localDataBatches(p).reduce((s, b) => s + b.numRows, 0)), [1, 2]);
    assert.throws(() => localDataNode([{ s: 'x'.repeat(2000) }], { maxBytes: 1000 }), /over the 1000-byte cap/);
    const fromArrow = localDataNode(tableFromArrays({ a: Int32Array.from([1, 2]), b: Float64Array.from([1, 2]) }), { schema: toArrowSchema('b double') });
    assert.deepEqual(fromArrow.schema.fields.map((f) => f.name), ['b']);
    assert.throws(() => localDataNode(tableFromArrays({ a: Int32Array.from([1]) }), { schema: toArrowSchema('a string') }), /column 'a' is int32 in the Arrow table but string in the schema/);
    assert.throws(() => localDataNode(tableFromArrays({ a: Int32Array.from([1]) }), { schema: toArrowSchema('z int') }), /has no column 'z'/);
  });
});

describe('range batches', () => {
  it('generates the split lazily in bounded batches', async () => {
    const sizes: number[] = [];
    let last = -1n;
    for await (const b of rangeBatches({ start: '0', end: '150000', step: '1' })) {
      sizes.push(b.numRows);
      const ids = b.getChild('id')!.toArray() as BigInt64Array;
      assert.equal(ids[0], last + 1n);
      last = ids[ids.length - 1]!;
    }
    assert.deepEqual(sizes, [65536, 65536, 18928]);
  });
  it('handles negative steps and values beyond 2^53', async () => {
    const ids: bigint[] = [];
    for await (const b of rangeBatches({ start: String(2n ** 60n), end: String(2n ** 60n - 7n), step: '-3' })) ids.push(...(b.getChild('id')!.toArray() as BigInt64Array));
    assert.deepEqual(ids, [2n ** 60n, 2n ** 60n - 3n, 2n ** 60n - 6n]);
  });
});
