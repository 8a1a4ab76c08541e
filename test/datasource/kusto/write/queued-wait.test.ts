import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../../../src/driver/session.js';
import type { RunningEmulator } from '../../../../src/emulator/start-emulator.js';
import { KustoProbe, sinkOptions, startSinkTestEmulator } from './support.js';

let emu: RunningEmulator;
let spark: Session;
let probe: KustoProbe;

before(async () => {
  emu = await startSinkTestEmulator();
  probe = new KustoProbe(emu.clusterUrl);
  await probe.rows('db', '.create table Q (id:long, name:string)');
  spark = await Session.builder().appName('kusto queued wait').master('local[2]').config('kjob.task.maxAttempts', 1).config('kjob.kusto.queued.waitForIngestion', 'true').getOrCreate();
});
after(async () => {
  await spark?.stop();
  probe?.close();
  await emu?.stop();
});

describe('Queued with kjob.kusto.queued.waitForIngestion', () => {
  it('waits for every blob and reports service-side failures (the connector cannot)', async () => {
    const df = spark.createDataFrame([{ id: 1, name: 'a' }], 'id bigint, name string');
    await probe.rows('db', '.emulator fault ingestion fail 1 table Q');
    await assert.rejects(df.write.format('kusto').options(sinkOptions(emu.clusterUrl, 'Q', { writeMode: 'Queued' })).mode('append').save(), (e: Error & { errorCode?: string; failureStatus?: string }) => {
      assert.equal(e.name, 'IngestionFailedException');
      assert.equal(e.errorCode, 'General_InjectedIngestionFailure');
      assert.equal(e.failureStatus, 'Permanent');
      assert.match(e.message, /table: 'Q'/);
      return true;
    });
    const ok = await df.write.format('kusto').options(sinkOptions(emu.clusterUrl, 'Q', { writeMode: 'Queued' })).mode('append').save();
    assert.ok((ok.detail as { phases: Record<string, number> }).phases['pollIngestionMs']! >= 0);
    assert.equal(await probe.count('db', 'Q'), 1); // visible as soon as save() returns
  });
});
