import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Int32, IntervalDayTime, Table, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import { sinkOptions, useSinkTestContext } from './support.js';
import { ROUND_TRIP_CASES, runRoundTrip } from './types-cases.js';

const sink = useSinkTestContext('kusto types');

describe('Arrow types round trip through the Kusto sink (local[2])', () => {
  for (const c of ROUND_TRIP_CASES) {
    it(`${c.name}: writes every type and reads the same values back with a plain query`, () => runRoundTrip(sink.spark, sink.emu.clusterUrl, sink.probe, c, `Types_${c.name}`));
  }

  it('an interval column is refused before any side effect, naming the column', async () => {
    // 1 day and 2 ms: a calendar day has no fixed length, so no Kusto column keeps it.
    const period = makeVector(makeData({ type: new IntervalDayTime(), length: 1, data: new Int32Array([1, 2]) }));
    const df = sink.spark.createDataFrame(new Table({ k: vectorFromArray([1], new Int32()), period }));
    await assert.rejects(df.write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'Types_interval', { tableCreateOptions: 'CreateIfNotExist' })).mode('append').save(), (e: Error) => {
      assert.equal(e.name, 'InvalidParameterException');
      assert.equal(e.message, "Column 'period' has Arrow type Interval<DAY_TIME>, which has no Kusto column type: an interval of months or days has no fixed length");
      return true;
    });
    assert.ok(!(await sink.probe.tables('db')).includes('Types_interval'));
  });
});
