import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatKustoTimespan, parseKustoTimespan } from '../../src/util/kusto-timespan.js';

describe('Kusto timespans', () => {
  it('format and parse round-trip, days and milliseconds included', () => {
    for (const [ms, text] of [[150_000, '00:02:30'], [86_400_000 + 3_723_456, '1.01:02:03.456'], [500, '00:00:00.500'], [0, '00:00:00']] as const) {
      assert.equal(formatKustoTimespan(ms), text);
      assert.equal(parseKustoTimespan(text), ms);
    }
    assert.equal(parseKustoTimespan('2 minutes'), undefined);
  });
});
