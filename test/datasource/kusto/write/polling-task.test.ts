import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sinkOptions, useSinkTestContext } from './support.js';

const sink = useSinkTestContext('kusto polling task', { 'kjob.task.maxAttempts': 1, 'kjob.kusto.queued.waitForIngestion': 'true' });

const df = () => sink.spark.createDataFrame(Array.from({ length: 30 }, (_, i) => ({ id: i, name: `n${i}` })), 'id bigint, name string', { partitions: 2 });
const polledBy = (r: { detail?: Readonly<Record<string, unknown>> }) => (r.detail as { ingestionPolledBy?: string }).ingestionPolledBy;

describe('pollingOnDriver=false: the ingestion polling runs as a task on an executor (local backend)', () => {
  it('Transactional: an executor polls, the driver moves; rows exact', async () => {
    const r = await df().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'PollExec', { tableCreateOptions: 'CreateIfNotExist', pollingOnDriver: 'false' })).mode('append').save();
    assert.match(String(polledBy(r)), /^local-\d+$/);
    assert.equal(await sink.probe.count('db', 'PollExec'), 30);
    assert.ok((r.detail as { extentsMoved: number }).extentsMoved >= 1);
  });
  it('Queued with waitForIngestion: polled on an executor too', async () => {
    const r = await df().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'PollExecQ', { writeMode: 'Queued', tableCreateOptions: 'CreateIfNotExist', pollingOnDriver: 'false' })).mode('append').save();
    assert.match(String(polledBy(r)), /^local-\d+$/);
    assert.equal(await sink.probe.count('db', 'PollExecQ'), 30);
  });
  it('pollingOnDriver=true, or not given (kjob\'s default, see write/README.md): the driver polls', async () => {
    const r = await df().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'PollDriver', { tableCreateOptions: 'CreateIfNotExist', pollingOnDriver: 'true' })).mode('append').save();
    assert.equal(polledBy(r), 'driver');
    const d = await df().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'PollDefault', { tableCreateOptions: 'CreateIfNotExist' })).mode('append').save();
    assert.equal(polledBy(d), 'driver');
  });
  it('a failed ingestion fails the polling task and the write; destination untouched, staging dropped', async () => {
    await sink.probe.rows('db', '.emulator fault ingestion fail 1 table * ');
    try {
      // The executor hands the failed status back; the driver raises the very error its own poller would.
      await assert.rejects(df().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'PollExecF', { tableCreateOptions: 'CreateIfNotExist', pollingOnDriver: 'false' })).mode('append').save(), (e: Error & { status?: string; errorCode?: string; requestId?: string }) => {
        assert.equal(e.name, 'IngestionFailedException');
        assert.equal(e.status, 'Failed');
        assert.equal(e.errorCode, 'General_InjectedIngestionFailure');
        assert.ok(e.requestId);
        assert.match(e.message, /^Ingestion to Kusto failed with status 'Failed'/);
        return true;
      });
    } finally {
      await sink.probe.rows('db', '.emulator fault clear');
    }
    assert.equal(await sink.probe.count('db', 'PollExecF'), 0);
    assert.deepEqual(await sink.probe.stagingTables('db'), []);
  });
});
