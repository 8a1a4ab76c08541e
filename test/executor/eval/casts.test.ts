import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { col, lit } from '../../../src/plan/functions.js';
import { batchOf, evalValues, values } from './eval-helpers.js';

describe('casts (Spark non-ANSI semantics)', () => {
  it('string → int: unparseable or out-of-range text is null; decimals truncate; spaces are trimmed', () => {
    const b = batchOf([{ s: '42' }, { s: 'x' }, { s: ' -7 ' }, { s: '12.9' }, { s: '' }, { s: null }, { s: '99999999999' }, { s: '1e3' }]);
    assert.deepEqual(evalValues(col('s').cast('int'), b), { values: [42, null, -7, 12, null, null, null, 1000], type: 'int32' });
    assert.deepEqual(values(col('s').cast('bigint'), b), [42n, null, -7n, 12n, null, null, 99999999999n, 1000n]);
  });
  it('string → double accepts NaN and Infinity', () => {
    const b = batchOf([{ s: '1.5' }, { s: 'NaN' }, { s: '-Infinity' }, { s: 'abc' }, { s: '.5' }]);
    const v = values(col('s').cast('double'), b);
    assert.equal(v[0], 1.5);
    assert.ok(Number.isNaN(v[1]));
    assert.equal(v[2], -Infinity);
    assert.equal(v[3], null);
    assert.equal(v[4], 0.5);
  });
  it('double → int truncates toward zero, saturates, and maps NaN to 0', () => {
    const b = batchOf([{ f: 2.9 }, { f: -2.9 }, { f: 1e20 }, { f: -1e20 }, { f: NaN }, { f: null }], 'f double');
    assert.deepEqual(values(col('f').cast('int'), b), [2, -2, 2147483647, -2147483648, 0, null]);
    assert.deepEqual(values(col('f').cast('long'), b), [2n, -2n, 9223372036854775807n, -9223372036854775808n, 0n, null]);
  });
  it('int64 → int32 wraps', () => {
    const b = batchOf([{ x: 4294967297n }], 'x bigint');
    assert.deepEqual(values(col('x').cast('int'), b), [1]);
  });
  it('string → boolean accepts Spark spellings, others are null', () => {
    const b = batchOf([{ s: 'true' }, { s: 'Y' }, { s: '0' }, { s: 'no' }, { s: 'maybe' }, { s: null }]);
    assert.deepEqual(values(col('s').cast('boolean'), b), [true, true, false, false, null, null]);
  });
  it('numbers ↔ boolean', () => {
    const b = batchOf([{ i: 0, t: true }, { i: 5, t: false }], 'i int, t boolean');
    assert.deepEqual(values(col('i').cast('boolean'), b), [false, true]);
    assert.deepEqual(values(col('t').cast('int'), b), [1, 0]);
  });
  it('timestamp → string is yyyy-MM-dd HH:mm:ss[.ffffff] in UTC', () => {
    const b = batchOf([{ ts: new Date('2024-01-31T10:00:00Z') }, { ts: new Date('2024-01-31T10:00:00.120Z') }, { ts: new Date('1960-05-06T07:08:09.001Z') }]);
    assert.deepEqual(values(col('ts').cast('string'), b), ['2024-01-31 10:00:00', '2024-01-31 10:00:00.12', '1960-05-06 07:08:09.001']);
  });
  it('string → timestamp parses ISO forms with zones; impossible dates are null', () => {
    const b = batchOf([{ s: '2024-01-31T10:00:00Z' }, { s: '2024-01-31 12:00:00+02:00' }, { s: '2024-01-31' }, { s: '2023-02-30' }, { s: 'nope' }, { s: '2024-01-31T10:00:00.123456Z' }]);
    const v = values(col('s').cast('timestamp'), b) as (Date | null)[];
    assert.equal(v[0]!.toISOString(), '2024-01-31T10:00:00.000Z');
    assert.equal(v[1]!.toISOString(), '2024-01-31T10:00:00.000Z');
    assert.equal(v[2]!.toISOString(), '2024-01-31T00:00:00.000Z');
    assert.equal(v[3], null);
    assert.equal(v[4], null);
    assert.equal(v[5]!.toISOString(), '2024-01-31T10:00:00.123Z');
    // Microseconds survive the round trip to text.
    assert.deepEqual(values(col('s').cast('timestamp').cast('string'), b)[5], '2024-01-31 10:00:00.123456');
  });
  it('timestamp ↔ date ↔ string', () => {
    const b = batchOf([{ ts: new Date('2024-03-05T23:59:59Z') }, { ts: new Date('1969-12-31T12:00:00Z') }]);
    assert.deepEqual(values(col('ts').cast('date').cast('string'), b), ['2024-03-05', '1969-12-31']);
    assert.deepEqual((values(lit('2024-03-05').cast('date').cast('timestamp'), b)[0] as Date).toISOString(), '2024-03-05T00:00:00.000Z');
  });
  it('timestamp → long is epoch seconds, long → timestamp reads seconds', () => {
    const b = batchOf([{ ts: new Date('1970-01-01T00:01:40.900Z') }, { ts: new Date('1969-12-31T23:59:59.500Z') }]);
    assert.deepEqual(values(col('ts').cast('long'), b), [100n, -1n]);
    assert.deepEqual(values(col('ts').cast('double'), b), [100.9, -0.5]);
    assert.equal((values(lit(86400).cast('timestamp'), b)[0] as Date).toISOString(), '1970-01-02T00:00:00.000Z');
  });
  it('double → string follows Java formatting', () => {
    const b = batchOf([{ f: 1 }, { f: 0.1 }, { f: 1e21 }, { f: 1.5e-7 }, { f: -0 }, { f: NaN }, { f: Infinity }], 'f double');
    assert.deepEqual(values(col('f').cast('string'), b), ['1.0', '0.1', '1.0E21', '1.5E-7', '-0.0', 'NaN', 'Infinity']);
  });
  it('decimal passes through and casts to string exactly and to double', () => {
    const b = batchOf([{ d: '12345678901234567890.12' }, { d: '-0.05' }, { d: null }], 'd decimal(22,2)');
    assert.deepEqual(evalValues(col('d'), b), { values: ['12345678901234567890.12', '-0.05', null], type: 'decimal(22,2)' });
    assert.deepEqual(values(col('d').cast('string'), b), ['12345678901234567890.12', '-0.05', null]);
    assert.deepEqual(values(col('d').cast('double'), b).slice(1), [-0.05, null]);
    assert.deepEqual(values(col('d').gt(0), b), [true, false, null]);
  });
  it('binary ↔ string', () => {
    const b = batchOf([{ s: 'héllo' }]);
    const bin = values(col('s').cast('binary'), b)[0] as Uint8Array;
    assert.deepEqual([...bin], [...Buffer.from('héllo')]);
    assert.deepEqual(values(col('s').cast('binary').cast('string'), b), ['héllo']);
  });
  it('null literal casts to any type', () => {
    const b = batchOf([{ x: 1 }]);
    assert.deepEqual(evalValues(lit(null).cast('date'), b), { values: [null], type: 'date' });
  });
  it('casts are rejected at analysis when Spark has no such cast', () => {
    const b = batchOf([{ ts: new Date(0), t: true }]);
    assert.throws(() => values(col('t').cast('timestamp'), b), /Type mismatch in CAST\(t AS TIMESTAMP\): cannot cast boolean to timestamp/);
    assert.throws(() => values(col('ts').cast('decimal(10,2)'), b), /cannot cast timestamp to decimal\(10,2\)/);
    assert.throws(() => values(col('ts').cast('nonsense'), b), /Unknown data type 'nonsense'/);
  });
});
