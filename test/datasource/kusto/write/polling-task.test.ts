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
  spark = await Session.builder().appName('kusto polling task').master('local[2]').config('kjob.task.maxAttempts', 1).config('kjob.kusto.queued.waitForIngestion', 'true').getOrCreate();
});
after(async () => {
  await spark?.stop();
  probe?.close();
  await emu?.stop();
});

const df = () => spark.createDataFrame(Array.from({ length: 30 }, (_, i) => ({ id: i, name: `n${i}` })), 'id bigint, name string', { partitions: 2 });
const polledBy = (r: { detail?: Readonly<Record<string, unknown>> }) => (r.detail as { ingestionPolledBy?: string }).ingestionPolledBy;

describe('pollingOnDriver=false: the ingestion polling runs as a task on an executor (local backend)', () => {
  it('Transactional: an executor polls, the driver moves; rows exact', async () => {
    const r = await df().write.format('kusto').options(sinkOptions(emu.clusterUrl, 'PollExec', { tableCreateOptions: 'CreateIfNotExist', pollingOnDriver: 'false' })).mode('append').save();
    assert.match(String(polledBy(r)), /^local-\d+$/);
    assert.equal(await probe.count('db', 'PollExec'), 30);
    assert.ok((r.detail as { extentsMoved: number }).extentsMoved >= 1);
  });
  it('Queued with waitForIngestion: polled on an executor too', async () => {
    const r = await df().write.format('kusto').options(sinkOptions(emu.clusterUrl, 'PollExecQ', { writeMode: 'Queued', tableCreateOptions: 'CreateIfNotExist', pollingOnDriver: 'false' })).mode('append').save();
    assert.match(String(polledBy(r)), /^local-\d+$/);
    assert.equal(await probe.count('db', 'PollExecQ'), 30);
  });
  it('pollingOnDriver=true, or not given (kjob\'s default, see write/README.md): the driver polls', async () => {
    const r = await df().write.format('kusto').options(sinkOptions(emu.clusterUrl, 'PollDriver', { tableCreateOptions: 'CreateIfNotExist', pollingOnDriver: 'true' })).mode('append').save();
    assert.equal(polledBy(r), 'driver');
    const d = await df().write.format('kusto').options(sinkOptions(emu.clusterUrl, 'PollDefault', { tableCreateOptions: 'CreateIfNotExist' })).mode('append').save();
    assert.equal(polledBy(d), 'driver');
  });
  it('a failed ingestion fails the polling task and the write; destination untouched, staging dropped', async () => {
    await probe.rows('db', '.emulator fault ingestion fail 1 table * ');
    try {
      // The executor hands the failed status back; the driver raises the very error its own poller would.
      await assert.rejects(df().write.format('kusto').options(sinkOptions(emu.clusterUrl, 'PollExecF', { tableCreateOptions: 'CreateIfNotExist', pollingOnDriver: 'false' })).mode('append').save(), (e: Error & { status?: string; errorCode?: string; requestId?: string }) => {
        assert.equal(e.name, 'IngestionFailedException');
        assert.equal(e.status, 'Failed');
        assert.equal(e.errorCode, 'General_InjectedIngestionFailure');
        assert.ok(e.requestId);
        assert.match(e.message, /^Ingestion to Kusto failed with status 'Failed'/);
        return true;
      });
    } finally {
      await probe.rows('db', '.emulator fault clear');
    }
    assert.equal(await probe.count('db', 'PollExecF'), 0);
    assert.deepEqual((await probe.tables('db')).filter((t) => t.startsWith('sparkTempTable_')), []);
  });
});
