import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sinkOptions, useSinkTestContext, type TaskFailure } from './support.js';

/** The troubleshooting guide's error rows, reproduced with the emulator's fault injection. */
const sink = useSinkTestContext('kusto faults', { 'kjob.task.maxAttempts': 1, 'kjob.kusto.storageAttempts': 2 }, async ({ probe }) => {
  for (const t of ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8']) await probe.rows('db', `.create table ${t} (id:long, name:string)`);
});

const fault = (text: string) => sink.probe.rows('db', `.emulator fault ${text}`);
const df = () => sink.spark.createDataFrame([{ id: 1, name: 'a' }, { id: 2, name: 'b' }], 'id bigint, name string', { partitions: 2 });
const write = (table: string, extra: Record<string, string> = {}) => df().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, table, extra)).mode('append').save();
const stagingTables = () => sink.probe.stagingTables('db');

describe('error rows of the troubleshooting guide', () => {
  // First in the file: the executors' ingest clients have not cached any storage yet.
  it('NoStorageContainersException when the cluster hands out no temporary storage', async () => {
    await fault('no-storage 0');
    try {
      await assert.rejects(write('F1'), (e: TaskFailure) => {
        // The executor's error reaches the driver inside TaskFailedError, with its own name, cause and resolution.
        assert.equal(e.name, 'TaskFailedError');
        assert.equal(e.taskErrorName, 'NoStorageContainersException');
        assert.equal(e.taskErrorMessage, 'No storage containers received. Failed to allocate temporary storage');
        assert.equal(e.taskError.name, 'NoStorageContainersException');
        assert.match(e.taskError.likelyCause ?? '', /returned no temporary storage/);
        assert.match(e.taskError.resolution ?? '', /\.get ingestion resources.*kustoIngestionStorageContainer/);
        assert.match(e.resolution ?? '', /kustoIngestionStorageContainer/);
        assert.match(String(e.requestId), /^[0-9a-f-]{36}$/);
        assert.equal(e.taskError.requestId, e.requestId);
        return true;
      });
    } finally {
      await fault('clear');
    }
    assert.equal(await sink.probe.count('db', 'F1'), 0);
    assert.deepEqual(await stagingTables(), []);
  });

  it('… and with a user tempTableName the failed task\'s abort keeps that table', async () => {
    await sink.probe.rows('db', '.create table KeptTmp (id:long, name:string)');
    await fault('no-storage 0');
    try {
      await assert.rejects(write('F1', { tempTableName: 'KeptTmp' }), (e: TaskFailure) => e.name === 'TaskFailedError' && e.taskErrorName === 'NoStorageContainersException');
    } finally {
      await fault('clear');
    }
    assert.ok((await sink.probe.tables('db')).includes('KeptTmp'));
    await sink.probe.rows('db', '.drop table KeptTmp');
  });

  it('InvalidParameterException when a user tempTableName does not exist, before any side effect', async () => {
    await assert.rejects(write('F1', { tempTableName: 'NoSuchTmp' }), (e: Error & { requestId?: string; resolution?: string; context?: Record<string, unknown> }) => {
      assert.equal(e.name, 'InvalidParameterException');
      assert.equal(e.message, 'Temp table name provided but the table does not exist. Either drop this option or create the table beforehand.');
      assert.match(String(e.requestId), /^[0-9a-f-]{36}$/);
      assert.equal(e.context?.['option'], 'tempTableName');
      assert.match(e.resolution ?? '', /Fix the option named in the message/);
      return true;
    });
    assert.ok(!(await sink.probe.tables('db')).includes('NoSuchTmp'));
    assert.deepEqual(await stagingTables(), []);
    assert.equal(await sink.probe.count('db', 'F1'), 0);
  });

  it('throttling (429) and transient 5xx on commands are retried', async () => {
    await fault('throttle 2 on mgmt matching "schema as json"');
    await fault('fail 1 status 503 on mgmt matching "policy merge"');
    const r = await write('F2');
    assert.equal(r.rows, 2);
    assert.equal(await sink.probe.count('db', 'F2'), 2);
    assert.deepEqual(await sink.probe.rows('db', '.emulator faults'), []);
  });

  it('an ingestion Failed status fails the write with failureStatus and errorCode; destination untouched', async () => {
    await fault('ingestion fail 1 table * ');
    await assert.rejects(write('F3'), (e: Error & { status?: string; errorCode?: string; failureStatus?: string; requestId?: string }) => {
      assert.equal(e.name, 'IngestionFailedException');
      assert.equal(e.status, 'Failed');
      assert.equal(e.errorCode, 'General_InjectedIngestionFailure');
      assert.equal(e.failureStatus, 'Permanent');
      assert.match(e.message, /^Ingestion to Kusto failed with status 'Failed'\. RequestId: [0-9a-f-]+ cluster: '127\.0\.0\.1', database: 'db', table: 'sparkTempTable_kusto_faults_F3_/);
      assert.ok(e.requestId);
      return true;
    });
    await fault('clear');
    assert.equal(await sink.probe.count('db', 'F3'), 0);
    assert.deepEqual(await stagingTables(), []);
  });

  it('an ingestion PartiallySucceeded status also fails the write (all-or-nothing)', async () => {
    await fault('ingestion partial 1 table * ');
    try {
      await assert.rejects(write('F3'), (e: Error & { status?: string; errorCode?: string; failureStatus?: string; requestId?: string; resolution?: string }) => {
        assert.equal(e.name, 'IngestionFailedException');
        assert.equal(e.status, 'PartiallySucceeded');
        assert.equal(e.errorCode, 'General_PartialIngestion');
        assert.equal(e.failureStatus, 'Permanent');
        assert.match(String(e.requestId), /^[0-9a-f-]{36}$/);
        assert.match(e.resolution ?? '', /\.show ingestion failures/);
        assert.match(e.message, /^Ingestion to Kusto failed with status 'PartiallySucceeded'/);
        return true;
      });
    } finally {
      await fault('clear');
    }
    assert.equal(await sink.probe.count('db', 'F3'), 0);
    assert.deepEqual(await stagingTables(), []);
  });

  it('a move that fails twice then succeeds', async () => {
    await fault('move-extents fail 2');
    const r = await write('F4');
    assert.equal((r.detail as { moveRetries: number }).moveRetries, 2);
    assert.equal(await sink.probe.count('db', 'F4'), 2);
    assert.deepEqual(await stagingTables(), []);
  });

  it('a move that keeps failing: RetriesExhaustedException, destination untouched, staging table gone', async () => {
    await fault('move-extents fail 0');
    try {
      await assert.rejects(write('F5', { maxRetriesOnMoveExtents: '1' }), (e: Error) => {
        assert.equal(e.name, 'RetriesExhaustedException');
        assert.equal(e.message, 'Failed to move extents after 2 tries.');
        assert.match(String((e as Error & { requestId?: string }).requestId), /^[0-9a-f-]{36}$/);
        assert.match(String((e as Error & { resolution?: string }).resolution), /Queued|maxRetriesOnMoveExtents/);
        // The last failed move: the async operation ended Failed, named by its OperationId.
        const cause = e.cause as Error & { operationId?: string; state?: string; status?: string };
        assert.equal(cause.name, 'FailedOperationException');
        assert.match(String(cause.operationId), /^[0-9a-f-]{36}$/);
        assert.equal(cause.message, `Failed to execute Kusto operation with OperationId '${cause.operationId}', State: 'Failed', Status: '${cause.status}'`);
        assert.match(String(cause.status), /^Moving extents from table 'sparkTempTable_kusto_faults_F5_[^']+' failed \(emulator fault injection #\d+\)\.$/);
        return true;
      });
    } finally {
      await fault('clear');
    }
    assert.equal(await sink.probe.count('db', 'F5'), 0);
    assert.deepEqual(await stagingTables(), []);
  });

  it('… and a user-named temp table is kept on failure for inspection, dropped on success', async () => {
    await sink.probe.rows('db', '.create table UserTmp (id:long, name:string)');
    await fault('move-extents fail 0');
    try {
      await assert.rejects(write('F6', { maxRetriesOnMoveExtents: '0', tempTableName: 'UserTmp' }), /Failed to move extents after 1 tries\./);
    } finally {
      await fault('clear');
    }
    assert.equal(await sink.probe.count('db', 'F6'), 0);
    assert.equal(await sink.probe.count('db', 'UserTmp'), 2);
    await sink.probe.rows('db', '.drop table UserTmp');
    await sink.probe.rows('db', '.create table UserTmp (id:long, name:string)');
    await write('F6', { tempTableName: 'UserTmp' });
    assert.equal(await sink.probe.count('db', 'F6'), 2);
    assert.ok(!(await sink.probe.tables('db')).includes('UserTmp'));
  });

  it('a move still InProgress at timeoutLimit: TimeoutAwaitingPendingOperationException with its OperationId; destination untouched, staging gone', async () => {
    // Generous against the ingestion poll (same timeoutLimit) on a loaded machine; the hang outlasts it.
    await fault('move-extents hang 1 after 60000');
    try {
      await assert.rejects(write('F8', { timeoutLimit: '6' }), (e: Error & { operationId?: string; likelyCause?: string; resolution?: string; requestId?: string }) => {
        assert.equal(e.name, 'TimeoutAwaitingPendingOperationException');
        assert.match(String(e.operationId), /^[0-9a-f-]{36}$/);
        assert.equal(e.message, `Timed out while waiting for operation with OperationId '${e.operationId}'`);
        assert.ok(e.likelyCause && e.resolution?.includes(String(e.operationId)), `cause and resolution: ${e.likelyCause} / ${e.resolution}`);
        assert.match(String(e.requestId), /^[0-9a-f-]{36}$/);
        return true;
      });
      const op = await sink.probe.rows('db', '.show operations | where State == "InProgress"');
      assert.equal(op.length, 1, 'the hung move is still InProgress when the write gives up');
    } finally {
      await fault('clear');
    }
    assert.equal(await sink.probe.count('db', 'F8'), 0);
    assert.deepEqual(await stagingTables(), []);
  });

  it('ingestion still Pending at timeoutLimit: the timeout names MaximumBatchingTimeSpan', async () => {
    await fault('dm-delay 8000');
    try {
      await assert.rejects(write('F7', { timeoutLimit: '2' }), (e: Error & { likelyCause?: string }) => {
        assert.equal(e.name, 'IngestionPollingTimeoutException');
        assert.match(e.message, /^Ingestion to Kusto failed on timeout failure\. Table: 'sparkTempTable_kusto_faults_F7_/);
        assert.match(e.likelyCause ?? '', /MaximumBatchingTimeSpan/);
        return true;
      });
    } finally {
      await fault('clear');
    }
    assert.equal(await sink.probe.count('db', 'F7'), 0);
    assert.deepEqual(await stagingTables(), []);
  });
});
