import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daysFromCivil, parseDateTimeTicks, parseTimespanTicks } from '../../../src/emulator/kql/literals.js';

/** Datetime and timespan literal parsing: exact ticks over Kusto's whole range. */

describe('datetime literals', () => {
  it('ISO forms, 7 fractional digits, offsets', () => {
    assert.equal(parseDateTimeTicks('1970-01-01'), 0n);
    assert.equal(parseDateTimeTicks('2024-01-02T03:04:05.1234567Z'), 17041646451234567n);
    assert.equal(parseDateTimeTicks('2024-01-02 03:04:05.12345678'), 17041646451234567n);
    assert.equal(parseDateTimeTicks('2024-01-01T01:00:00+01:00'), 17040672000000000n);
    assert.equal(parseDateTimeTicks('2024-01-01T00:00:00-0130'), 17040672000000000n + 54_000_000_000n);
  });

  it('extreme dates 0001-01-01 and 9999-12-31', () => {
    assert.equal(parseDateTimeTicks('0001-01-01'), -621355968000000000n);
    assert.equal(parseDateTimeTicks('9999-12-31T23:59:59.9999999Z'), 2534023007999999999n);
    assert.equal(daysFromCivil(2000, 3, 1), 11017n);
  });

  it('invalid dates are rejected', () => {
    assert.equal(parseDateTimeTicks('2024-02-30'), undefined);
    assert.equal(parseDateTimeTicks('2023-02-29'), undefined);
    assert.equal(parseDateTimeTicks('nonsense'), undefined);
    assert.equal(parseDateTimeTicks('2024-02-29'), 17091648000000000n);
  });
});

describe('timespan literals', () => {
  it('unit forms', () => {
    assert.equal(parseTimespanTicks('1d'), 864_000_000_000n);
    assert.equal(parseTimespanTicks('1.5h'), 54_000_000_000n);
    assert.equal(parseTimespanTicks('30min'), 18_000_000_000n);
    assert.equal(parseTimespanTicks('100ms'), 1_000_000n);
    assert.equal(parseTimespanTicks('2microseconds'), 20n);
    assert.equal(parseTimespanTicks('1tick'), 1n);
    assert.equal(parseTimespanTicks('-10s'), -100_000_000n);
  });

  it('time(...) forms', () => {
    assert.equal(parseTimespanTicks('time(1.02:03:04)'), 937_840_000_000n);
    assert.equal(parseTimespanTicks('timespan(00:00:01.5)'), 15_000_000n);
    assert.equal(parseTimespanTicks('time(2)'), 1_728_000_000_000n);
    assert.equal(parseTimespanTicks('time(null)'), null);
    assert.equal(parseTimespanTicks('time(1h)'), 36_000_000_000n);
    assert.equal(parseTimespanTicks('5 parsecs'), undefined);
  });
});
