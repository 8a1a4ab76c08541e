import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDatetime, formatTimespan, parseDatetime, parseTimespan, MIN_DATETIME_TICKS, MAX_DATETIME_TICKS } from '../../../src/emulator/engine/ticks.js';

describe('datetime and timespan ticks', () => {
  it('formats datetimes with seven fractional digits over the whole Kusto range', () => {
    assert.equal(formatDatetime(17041646451234567n), '2024-01-02T03:04:05.1234567Z');
    assert.equal(formatDatetime(0n), '1970-01-01T00:00:00.0000000Z');
    assert.equal(formatDatetime(-1n), '1969-12-31T23:59:59.9999999Z');
    assert.equal(formatDatetime(MIN_DATETIME_TICKS), '0001-01-01T00:00:00.0000000Z');
    assert.equal(formatDatetime(MAX_DATETIME_TICKS), '9999-12-31T23:59:59.9999999Z');
  });
  it('parses ISO forms, zones, 9 fractional digits and rejects impossible dates', () => {
    assert.equal(parseDatetime('2024-01-02T03:04:05.1234567Z'), 17041646451234567n);
    assert.equal(parseDatetime('2024-01-02 03:04:05.123456789'), 17041646451234567n);
    assert.equal(parseDatetime('2024-01-02T05:04:05.1234567+02:00'), 17041646451234567n);
    assert.equal(parseDatetime('2024-01-02'), 17041536000000000n);
    assert.equal(parseDatetime('0001-01-01T00:00:00Z'), MIN_DATETIME_TICKS);
    assert.equal(parseDatetime('2023-02-30'), undefined);
    assert.equal(parseDatetime('yesterday'), undefined);
    assert.equal(parseDatetime('12'), undefined);
  });
  it('formats and parses timespans in the only form the SDK decodes', () => {
    assert.equal(formatTimespan(937845000000n), '1.02:03:04.5000000');
    assert.equal(formatTimespan(-15000000n), '-00:00:01.5000000');
    assert.equal(formatTimespan(9223372036854775807n), '10675199.02:48:05.4775807');
    assert.equal(parseTimespan('1.02:03:04.5'), 937845000000n);
    assert.equal(parseTimespan('-00:00:01.5000000'), -15000000n);
    assert.equal(parseTimespan('1.5h'), 54000000000n);
    assert.equal(parseTimespan('30s'), 300000000n);
    assert.equal(parseTimespan('00:61:00'), undefined);
    assert.equal(parseTimespan('PT1H'), undefined);
  });
});

describe('canonical datetime fast path', () => {
  it('agrees with the general parser across the range, leap days included', () => {
    for (const s of ['0001-01-01T00:00:00Z', '1969-12-31T23:59:59.9999999Z', '2000-02-29T12:00:00.5Z', '2024-02-29 01:02:03.123Z', '9999-12-31T23:59:59.9999999Z', '1900-03-01T00:00:00Z']) {
      const viaDate = BigInt(Date.parse(s.replace(' ', 'T').replace(/(\.\d{3})\d+Z$/, '$1Z'))) * 10_000n;
      const ticks = parseDatetime(s)!;
      assert.equal(ticks / 10_000n - (ticks % 10_000n < 0n ? 1n : 0n), viaDate / 10_000n, s);
      assert.equal(formatDatetime(ticks).slice(0, 19), s.replace(' ', 'T').slice(0, 19), s);
    }
    assert.equal(parseDatetime('2023-02-29T00:00:00Z'), undefined);
    assert.equal(parseDatetime('2023-04-31T00:00:00Z'), undefined);
    assert.equal(parseDatetime('2024-01-01T00:00:00.Z'), undefined);
  });
});
