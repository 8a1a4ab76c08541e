import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { col, lit } from '../../../src/plan/functions.js';
import { batchOf, evalValues, values } from './eval-helpers.js';

const nums = batchOf(
  [
    { a: 7, b: 2, f: 1.5, n: null, big: 10n, s: 'b' },
    { a: -7, b: 0, f: -0.5, n: null, big: -3n, s: 'a' },
    { a: null, b: 3, f: NaN, n: null, big: null, s: null },
  ],
  'a int, b int, f double, n int, big bigint, s string',
);

describe('arithmetic', () => {
  it('adds, subtracts and multiplies in the widest operand type, propagating nulls', () => {
    assert.deepEqual(evalValues(col('a').plus(col('b')), nums), { values: [9, -7, null], type: 'int32' });
    assert.deepEqual(evalValues(col('a').minus(1), nums), { values: [6, -8, null], type: 'int32' });
    assert.deepEqual(evalValues(col('a').multiply(col('big')), nums), { values: [70n, 21n, null], type: 'int64' });
    assert.deepEqual(evalValues(col('a').plus(col('f')), nums).type, 'float64');
  });
  it('always divides as double and gives null on division by zero', () => {
    assert.deepEqual(evalValues(col('a').divide(col('b')), nums), { values: [3.5, null, null], type: 'float64' });
  });
  it('takes the remainder with the sign of the dividend, null for modulo by zero', () => {
    assert.deepEqual(values(col('a').mod(col('b')), nums), [1, null, null]);
    assert.deepEqual(values(col('big').mod(3), nums), [1n, 0n, null]);
  });
  it('wraps int32 overflow like Spark (non-ANSI)', () => {
    const b = batchOf([{ x: 2147483647 }], 'x int');
    assert.deepEqual(values(col('x').plus(1), b), [-2147483648]);
    assert.deepEqual(values(col('x').multiply(col('x')), b), [1]);
  });
  it('computes int64 exactly on both sides of 2^53, wrapping at 2^63', () => {
    const b = batchOf(
      [
        { x: 2n ** 53n - 1n, y: 1n },
        { x: 100_000_000n, y: 100_000_000n },
        { x: -7n, y: 3n },
        { x: 2n ** 62n, y: 2n ** 62n },
        { x: -(2n ** 63n), y: -1n },
      ],
      'x bigint, y bigint',
    );
    assert.deepEqual(values(col('x').plus(col('y')), b), [2n ** 53n, 200_000_000n, -4n, -(2n ** 63n), 2n ** 63n - 1n]);
    assert.deepEqual(values(col('x').multiply(col('y')), b), [2n ** 53n - 1n, 10n ** 16n, -21n, 0n, -(2n ** 63n)]);
    assert.deepEqual(values(col('x').mod(col('y')), b), [0n, 0n, -1n, 0n, 0n]);
    assert.deepEqual(values(col('x').gt(col('y')), b), [true, false, false, false, false]);
    assert.deepEqual(values(col('x').minus(col('y')).eq(lit(2n ** 53n - 2n)), b), [true, false, false, false, false]);
  });
  it('negates numbers', () => {
    assert.deepEqual(values(col('a').negate(), nums), [-7, 7, null]);
  });
  it('treats an untyped null literal as null of the other side', () => {
    assert.deepEqual(values(col('a').plus(lit(null)), nums), [null, null, null]);
  });
});

describe('comparisons', () => {
  it('compares numbers across types and yields null when a side is null', () => {
    assert.deepEqual(values(col('a').gt(col('f')), nums), [true, false, null]);
    assert.deepEqual(values(col('a').eq(7), nums), [true, false, null]);
    assert.deepEqual(values(col('a').neq(7), nums), [false, true, null]);
    assert.deepEqual(values(col('a').leq(-7), nums), [false, true, null]);
    assert.deepEqual(values(col('b').geq(2), nums), [true, false, true]);
    assert.deepEqual(values(col('b').lt(col('big')), nums), [true, false, null]);
  });
  it('orders NaN above all numbers and equal to itself (Spark semantics)', () => {
    assert.deepEqual(values(col('f').gt(1e308), nums), [false, false, true]);
    assert.deepEqual(values(col('f').eq(col('f')), nums), [true, true, true]);
  });
  it('compares strings by code point', () => {
    const b = batchOf([{ s: 'a' }, { s: 'B' }, { s: 'é' }, { s: '😀' }, { s: '\uffff' }]);
    assert.deepEqual(values(col('s').lt('b'), b), [true, true, false, false, false]);
    assert.deepEqual(values(col('s').gt('\uffff'), b), [false, false, false, true, false]);
  });
  it('null-safe equality never returns null', () => {
    assert.deepEqual(values(col('a').eqNullSafe(col('n')), nums), [false, false, true]);
    assert.deepEqual(values(col('n').eqNullSafe(lit(null)), nums), [true, true, true]);
    assert.deepEqual(values(col('a').eqNullSafe(7), nums), [true, false, false]);
  });
  it('compares timestamps with ISO text and dates with timestamps', () => {
    const b = batchOf([{ ts: new Date('2024-01-01T00:00:00Z') }, { ts: new Date('2023-06-01T12:00:00Z') }]);
    assert.deepEqual(values(col('ts').geq('2024-01-01'), b), [true, false]);
    assert.deepEqual(values(col('ts').lt(new Date('2023-06-01T12:00:00.001Z')), b), [false, true]);
    const d = batchOf([{ d: '2024-01-01' }], 'd date');
    assert.deepEqual(values(col('d').eq(lit(new Date('2024-01-01T00:00:00Z'))), d), [true]);
  });
  it('isin is an OR of equalities with SQL null semantics', () => {
    assert.deepEqual(values(col('a').isin(7, 8), nums), [true, false, null]);
    assert.deepEqual(values(col('a').isin(8, null), nums), [null, null, null]);
    assert.deepEqual(values(col('s').isin('a', 'c'), nums), [false, true, null]);
  });
  it('between is inclusive', () => {
    assert.deepEqual(values(col('b').between(0, 2), nums), [true, true, false]);
  });
});

describe('expressions made only of literals', () => {
  it('expand to one value per row', async () => {
    const { concat, coalesce, upper, when, length, year } = await import('../../../src/plan/functions.js');
    assert.deepEqual(values(lit(1).plus(2), nums), [3, 3, 3]);
    assert.deepEqual(values(lit(1).eqNullSafe(lit(null)), nums), [false, false, false]);
    assert.deepEqual(values(when(lit(true), 'a').otherwise('b'), nums), ['a', 'a', 'a']);
    assert.deepEqual(values(concat(lit('a'), lit('b')), nums), ['ab', 'ab', 'ab']);
    assert.deepEqual(values(coalesce(lit(null), lit(1)), nums), [1, 1, 1]);
    assert.deepEqual(values(upper(lit('x')), nums), ['X', 'X', 'X']);
    assert.deepEqual(values(length(lit('héllo')), nums), [5, 5, 5]);
    assert.deepEqual(values(year(lit(new Date('2020-06-01T00:00:00Z'))), nums), [2020, 2020, 2020]);
    assert.deepEqual(values(lit(null).isNull(), nums), [true, true, true]);
    assert.deepEqual(values(lit(5).isin(1, 5), nums), [true, true, true]);
  });
});

describe('boolean logic', () => {
  const b = batchOf(
    [
      { x: true, y: true },
      { x: true, y: false },
      { x: true, y: null },
      { x: false, y: null },
      { x: null, y: null },
      { x: false, y: false },
    ],
    'x boolean, y boolean',
  );
  it('AND is three-valued (false AND null = false)', () => {
    assert.deepEqual(values(col('x').and(col('y')), b), [true, false, null, false, null, false]);
  });
  it('OR is three-valued (true OR null = true)', () => {
    assert.deepEqual(values(col('x').or(col('y')), b), [true, true, true, null, null, false]);
  });
  it('NOT keeps null', () => {
    assert.deepEqual(values(col('y').not(), b), [false, true, null, null, null, true]);
  });
  it('isNull / isNotNull never return null', () => {
    assert.deepEqual(values(col('y').isNull(), b), [false, false, true, true, true, false]);
    assert.deepEqual(values(col('y').isNotNull(), b), [true, true, false, false, false, true]);
  });
  it('works with literal operands', () => {
    assert.deepEqual(values(col('y').and(lit(false)), b), [false, false, false, false, false, false]);
    assert.deepEqual(values(col('y').or(lit(null)), b), [true, null, null, null, null, null]);
  });
});
