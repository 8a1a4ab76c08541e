import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { abs, coalesce, col, concat, current_timestamp, date_trunc, dayofmonth, floor, hour, length, lit, lower, minute, month, round, second, substring, trim, upper, when, year } from '../../../src/plan/functions.js';
import { batchOf, evalValues, values } from './eval-helpers.js';

describe('string functions', () => {
  const b = batchOf([{ s: 'Hello' }, { s: null }, { s: '' }, { s: '  pad  ' }, { s: 'ÄÖ😀x' }, { s: 'a,"b"\nc' }], 's string');
  it('lower / upper / trim keep nulls; trim removes spaces only', () => {
    assert.deepEqual(values(lower('s'), b), ['hello', null, '', '  pad  ', 'äö😀x', 'a,"b"\nc']);
    assert.deepEqual(values(upper(col('s')), b), ['HELLO', null, '', '  PAD  ', 'ÄÖ😀X', 'A,"B"\nC']);
    assert.deepEqual(values(trim('s'), b), ['Hello', null, '', 'pad', 'ÄÖ😀x', 'a,"b"\nc']);
  });
  it('length counts code points', () => {
    assert.deepEqual(evalValues(length('s'), b), { values: [5, null, 0, 7, 4, 7], type: 'int32' });
  });
  it('substring is 1-based, 0 acts as 1, negative counts from the end', () => {
    assert.deepEqual(values(substring('s', 2, 3), b), ['ell', null, '', ' pa', 'Ö😀x', ',"b']);
    assert.deepEqual(values(substring('s', 0, 2), b).slice(0, 1), ['He']);
    assert.deepEqual(values(substring('s', -3, 2), b), ['ll', null, '', 'd ', 'Ö😀', '"\n']);
    assert.deepEqual(values(col('s').substr(3, 100), b)[0], 'llo');
    assert.deepEqual(values(substring('s', 2, -1), b)[0], '');
  });
  it('concat is null when any argument is null and casts non-strings', () => {
    const c = batchOf([{ a: 'x', n: 1 }, { a: null, n: 2 }], 'a string, n int');
    assert.deepEqual(values(concat('a', lit('-'), 'n'), c), ['x-1', null]);
  });
  it('startsWith / endsWith / contains', () => {
    assert.deepEqual(values(col('s').startsWith('He'), b), [true, null, false, false, false, false]);
    assert.deepEqual(values(col('s').endsWith('x'), b), [false, null, false, false, true, false]);
    assert.deepEqual(values(col('s').contains('"b"'), b), [false, null, false, false, false, true]);
  });
});

describe('coalesce and when/otherwise', () => {
  const b = batchOf([{ a: null, b: 2 }, { a: 1, b: null }, { a: null, b: null }], 'a int, b bigint');
  it('coalesce returns the first non-null, widening types', () => {
    assert.deepEqual(evalValues(coalesce('a', 'b'), b), { values: [2n, 1n, null], type: 'int64' });
    assert.deepEqual(values(coalesce('a', lit(0)), b), [0, 1, 0]);
  });
  it('when picks the first true branch; null conditions are false; no otherwise gives null', () => {
    const c = when(col('a').eq(1), 'one').when(col('b').eq(2), 'two');
    assert.deepEqual(values(c, b), ['two', 'one', null]);
    assert.deepEqual(values(c.otherwise('other'), b), ['two', 'one', 'other']);
    assert.deepEqual(values(when(col('a').isNull(), col('b')).otherwise(col('a')), b), [2n, 1n, null]);
  });
  it('when branches merge numeric types', () => {
    assert.deepEqual(evalValues(when(col('a').isNull(), 1.5).otherwise(col('a')), b), { values: [1.5, 1, 1.5], type: 'float64' });
  });
  it('rejects otherwise twice and when after otherwise', () => {
    assert.throws(() => when(col('a').eq(1), 1).otherwise(2).otherwise(3), /otherwise\(\) can only follow when/);
    assert.throws(() => col('a').when(col('a').eq(1), 1), /when\(\) can only follow/);
  });
});

describe('date and time functions', () => {
  const b = batchOf(
    [{ ts: new Date('2024-02-29T23:59:58.123Z') }, { ts: new Date('1969-12-31T23:00:00Z') }, { ts: null }, { ts: new Date('0001-01-01T01:02:03Z') }],
  );
  it('extracts year, month, day, hour, minute, second in UTC (also before 1970 and in year 1)', () => {
    assert.deepEqual(values(year('ts'), b), [2024, 1969, null, 1]);
    assert.deepEqual(values(month('ts'), b), [2, 12, null, 1]);
    assert.deepEqual(values(dayofmonth('ts'), b), [29, 31, null, 1]);
    assert.deepEqual(values(hour('ts'), b), [23, 23, null, 1]);
    assert.deepEqual(values(minute('ts'), b), [59, 0, null, 2]);
    assert.deepEqual(values(second('ts'), b), [58, 0, null, 3]);
  });
  it('date parts work on dates and ISO text too', () => {
    const d = batchOf([{ d: '2023-07-04', s: '2023-07-04 05:06:07' }], 'd date, s string');
    assert.deepEqual(values(month('d'), d), [7]);
    assert.deepEqual(values(hour('s'), d), [5]);
  });
  it('date_trunc truncates to each unit', () => {
    const t = (unit: string) => (values(date_trunc(unit, 'ts'), b)[0] as Date).toISOString();
    assert.equal(t('year'), '2024-01-01T00:00:00.000Z');
    assert.equal(t('quarter'), '2024-01-01T00:00:00.000Z');
    assert.equal(t('month'), '2024-02-01T00:00:00.000Z');
    assert.equal(t('week'), '2024-02-26T00:00:00.000Z');
    assert.equal(t('day'), '2024-02-29T00:00:00.000Z');
    assert.equal(t('hour'), '2024-02-29T23:00:00.000Z');
    assert.equal(t('minute'), '2024-02-29T23:59:00.000Z');
    assert.equal(t('second'), '2024-02-29T23:59:58.000Z');
    assert.equal(t('millisecond'), '2024-02-29T23:59:58.123Z');
    assert.equal((values(date_trunc('hour', 'ts'), b)[1] as Date).toISOString(), '1969-12-31T23:00:00.000Z');
    assert.equal(values(date_trunc('day', 'ts'), b)[2], null);
  });
  it('current_timestamp is the action start time, the same for every row', () => {
    const r = evalValues(current_timestamp(), b);
    assert.equal(r.type, 'timestamp');
    assert.deepEqual(
      r.values.map((d) => (d as Date).getTime()),
      [1_700_000_000_123, 1_700_000_000_123, 1_700_000_000_123, 1_700_000_000_123],
    );
  });
});

describe('math functions', () => {
  const b = batchOf([{ x: -2.5, i: -3 }, { x: 2.675, i: 4 }, { x: null, i: null }, { x: NaN, i: 0 }], 'x double, i int');
  it('abs keeps the type', () => {
    assert.deepEqual(evalValues(abs('i'), b), { values: [3, 4, null, 0], type: 'int32' });
    assert.deepEqual(values(abs('x'), b).slice(0, 3), [2.5, 2.675, null]);
  });
  it('round is half-up on the decimal text (2.675 → 2.68, -2.5 → -3)', () => {
    assert.deepEqual(values(round('x', 2), b).slice(0, 3), [-2.5, 2.68, null]);
    assert.deepEqual(values(round('x'), b).slice(0, 3), [-3, 3, null]);
    assert.deepEqual(values(round('i', 0), b), [-3, 4, null, 0]);
  });
  it('floor returns int64; NaN has no integer and becomes null', () => {
    assert.deepEqual(evalValues(floor('x'), b), { values: [-3n, 2n, null, null], type: 'int64' });
    assert.deepEqual(values(floor('i'), b), [-3n, 4n, null, 0n]);
  });
});
