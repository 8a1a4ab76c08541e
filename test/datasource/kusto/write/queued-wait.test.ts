import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sinkOptions, useSinkTestContext } from './support.js';

const sink = useSinkTestContext('kusto queued wait', { 'kjob.task.maxAttempts': 1, 'kjob.kusto.queued.waitForIngestion': 'true' }, async ({ probe }) => {
  await probe.rows('db', '.create table Q (id:long, name:string)');
});

describe('Queued with kjob.kusto.queued.waitForIngestion', () => {
  it('waits for every blob and reports service-side failures (the connector cannot)', async () => {
    const df = sink.spark.createDataFrame([{ id: 1, name: 'a' }], 'id bigint, name string');
    await sink.probe.rows('db', '.emulator fault ingestion fail 1 table Q');
    await assert.rejects(df.write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'Q', { writeMode: 'Queued' })).mode('append').save(), (e: Error & { errorCode?: string; failureStatus?: string }) => {
      assert.equal(e.name, 'IngestionFailedException');
      assert.equal(e.errorCode, 'General_InjectedIngestionFailure');
      assert.equal(e.failureStatus, 'Permanent');
      assert.match(e.message, /table: 'Q'/);
      return true;
    });
    const ok = await df.write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'Q', { writeMode: 'Queued' })).mode('append').save();
    assert.ok((ok.detail as { phases: Record<string, number> }).phases['pollIngestionMs']! >= 0);
    assert.equal(await sink.probe.count('db', 'Q'), 1); // visible as soon as save() returns
  });
});
