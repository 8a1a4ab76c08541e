import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kustoAsyncWrite } from '../../../../src/datasource/kusto/write/index.js';
import { sinkOptions, useSinkTestContext } from './support.js';

const sink = useSinkTestContext('kusto async', { 'kjob.task.maxAttempts': 1 });

const rows = (n: number) => sink.spark.createDataFrame(Array.from({ length: n }, (_, i) => ({ id: i, name: `r${i}` })), 'id bigint, name string', { partitions: 2 });
const asyncOptions = (table: string, requestId: string) => sinkOptions(sink.emu.clusterUrl, table, { tableCreateOptions: 'CreateIfNotExist', writeEnableAsync: 'true', requestId });

describe('writeEnableAsync: save() returns at once with a handle', () => {
  it('returns before any row is visible; the handle (and save().outcome) resolves with the summary', async () => {
    await sink.probe.rows('db', '.create table AsyncA (id:long, name:string)');
    const result = await rows(50).write.format('kusto').options(asyncOptions('AsyncA', 'async-a')).mode('append').save();
    // At this point the tasks have not even run: nothing can be in the destination.
    assert.equal(await sink.probe.count('db', 'AsyncA'), 0);
    assert.deepEqual(result.detail, { requestId: 'async-a', writeMode: 'Transactional', table: 'AsyncA', async: true });
    assert.equal(result.rows, 0);
    const handle = kustoAsyncWrite('async-a');
    assert.ok(handle && result.outcome);
    const summary = await handle;
    assert.equal(summary.rows, 50);
    assert.equal((summary.detail as { requestId: string }).requestId, 'async-a');
    assert.equal((await result.outcome).rows, 50);
    assert.equal(await sink.probe.count('db', 'AsyncA'), 50);
  });

  it('an injected ingestion failure is reported through the handle with the request id; destination untouched', async () => {
    await sink.probe.rows('db', '.emulator fault ingestion fail 1 table * ');
    try {
      const result = await rows(10).write.format('kusto').options(asyncOptions('AsyncF', 'async-f')).mode('append').save();
      assert.equal(result.rows, 0);
      await assert.rejects(kustoAsyncWrite('async-f')!, (e: Error & { requestId?: string; errorCode?: string }) => {
        assert.equal(e.name, 'IngestionFailedException');
        assert.equal(e.requestId, 'async-f');
        assert.equal(e.errorCode, 'General_InjectedIngestionFailure');
        return true;
      });
      assert.equal(await sink.probe.count('db', 'AsyncF'), 0);
    } finally {
      await sink.probe.rows('db', '.emulator fault clear');
    }
  });

  it('stop() waits for a running asynchronous write (the session does not stop under it)', async () => {
    const result = await rows(20).write.format('kusto').options(asyncOptions('AsyncS', 'async-s')).mode('append').save();
    let settled = false;
    void result.outcome!.then(() => (settled = true), () => (settled = true));
    assert.equal(settled, false);
    await sink.spark.stop();
    assert.equal(settled, true);
    assert.equal((await result.outcome!).rows, 20);
    assert.equal(await sink.probe.count('db', 'AsyncS'), 20);
  });
});
