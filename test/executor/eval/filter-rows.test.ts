import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Dictionary, Int32, Utf8, vectorFromArray } from 'apache-arrow';
import { filterBatch, headBatch } from '../../../src/executor/eval/batch-ops.js';
import { tableToRows } from '../../../src/driver/collect-rows.js';
import { col, lit } from '../../../src/plan/functions.js';
import { batchOf, ENV } from './eval-helpers.js';
import { Table } from 'apache-arrow';

describe('filter keeps every value of the kept rows intact', () => {
  it('for every flat type, including bit patterns that look like NaN', () => {
    const rows = [
      { k: true, i64: -1n, f: NaN, d: '-12345678901234567890.12', ts: new Date('1900-01-01T00:00:00Z'), s: 'short', l: 'a long string of more than twenty-four bytes ✓', b: false, day: '2024-02-29' },
      { k: false, i64: 5n, f: 1, d: '1.00', ts: new Date(0), s: 'x', l: 'y', b: true, day: '1970-01-01' },
      { k: true, i64: -(2n ** 63n), f: -0, d: null, ts: null, s: null, l: '', b: null, day: null },
      { k: null, i64: 7n, f: 2, d: '3.00', ts: new Date(1), s: 'z', l: 'w', b: true, day: '2000-01-01' },
    ];
    const batch = batchOf(rows, 'k boolean, i64 bigint, f double, d decimal(22,2), ts timestamp, s string, l string, b boolean, day date');
    const out = filterBatch(batch, col('k').expr, ENV);
    const expected = [rows[0]!, rows[2]!].map((r) => ({ ...r, day: r.day === null ? null : new Date(`${r.day}T00:00:00Z`) }));
    assert.deepEqual(tableToRows(new Table([out])), expected);
  });
  it('for dictionary-encoded strings and sliced batches', () => {
    const dict = vectorFromArray(['a', 'b', null, 'a', 'c'], new Dictionary(new Utf8(), new Int32()));
    const n = vectorFromArray(Int32Array.from([1, 2, 3, 4, 5]));
    const t = new Table({ s: dict, n });
    const sliced = t.batches[0]!.slice(1, 5);
    const out = filterBatch(sliced, col('n').geq(3).and(col('s').isNotNull()).expr, ENV);
    assert.deepEqual(tableToRows(new Table([out])), [
      { s: 'a', n: 4 },
      { s: 'c', n: 5 },
    ]);
    assert.deepEqual(tableToRows(new Table([filterBatch(sliced, col('s').eq('a').expr, ENV)])), [{ s: 'a', n: 4 }]);
  });
  it('returns the batch itself when every row passes, an empty batch when none does', () => {
    const b = batchOf([{ x: 1 }, { x: 2 }]);
    assert.equal(filterBatch(b, lit(true).expr, ENV), b);
    assert.equal(filterBatch(b, lit(null).expr, ENV).numRows, 0);
    assert.equal(filterBatch(b, col('x').gt(5).expr, ENV).numRows, 0);
    assert.equal(headBatch(b, 1).numRows, 1);
  });
});
