import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Field, Int64, RecordBatch, Schema, Utf8, makeData, Struct, vectorFromArray } from 'apache-arrow';
import type { CommitMessage, DriverContext, Log, TaskContext, WriteJob } from '../../../../src/datasource/datasource.js';
import { prepareKustoWrite } from '../../../../src/datasource/kusto/write/prepare-write.js';
import { kustoWriteTask } from '../../../../src/datasource/kusto/write/write-task.js';
import { abortKustoWrite, commitKustoWrite } from '../../../../src/datasource/kusto/write/commit-write.js';
import { moveAcceptedExtents } from '../../../../src/datasource/kusto/write/move-extents.js';
import { KustoEngineClient } from '../../../../src/datasource/kusto/client/engine-client.js';
import { resolveKustoSinkOptions } from '../../../../src/datasource/kusto/options/sink-options.js';
import type { Clock } from '../../../../src/datasource/kusto/polling/clock.js';
import type { RunningEmulator } from '../../../../src/emulator/start-emulator.js';
import { KustoProbe, sinkOptions, startSinkTestEmulator } from './support.js';
import { capturingLog } from '../../../support/test-log.js';

/**
 * The driver's commit and abort paths driven directly (prepare → write tasks → commit/abort) against the
 * emulator through the unmodified SDKs: only the runner is left out, so the commit can be given a clock
 * whose sleeps are short (the move retries back off 1 s … 3 min; after a partial move the limit is ≥ 10
 * retries) and a log the test reads.
 */
const schema = new Schema([new Field('id', new Int64(), true), new Field('name', new Utf8(), true)]);

function batchOf(ids: number[], name: (id: number) => string = (i) => `n${i}`): RecordBatch {
  const id = vectorFromArray(ids.map((i) => BigInt(i)), new Int64());
  const names = vectorFromArray(ids.map(name), new Utf8());
  const data = makeData({ type: new Struct(schema.fields), length: ids.length, nullCount: 0, children: [id.data[0]!, names.data[0]!] });
  return new RecordBatch(schema, data);
}

async function* batches(...bs: RecordBatch[]): AsyncIterable<RecordBatch> {
  yield* bs;
}

/** Real time, short sleeps: the emulator's operations and ingestion run at their own pace, back-offs do not. */
function fastClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now(),
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise((r) => setTimeout(r, Math.min(ms, 20)));
    },
  };
}

let emu: RunningEmulator;
let probe: KustoProbe;
const fault = (text: string) => probe.rows('db', `.emulator fault ${text}`);
const stagingTables = () => probe.stagingTables('db');

function driverContext(log: Log, conf: Record<string, string> = {}): DriverContext {
  return { appName: 'commit paths', appId: 'app-cp', jobId: 'job-cp', conf: new Map(Object.entries(conf)), log, defaultParallelism: 2 };
}

function taskContext(partition: number, numPartitions: number, conf: ReadonlyMap<string, string>, log: Log): TaskContext {
  return { appId: 'app-cp', jobId: 'job-cp', stageId: 0, partition, numPartitions, attempt: 0, attemptId: `job-cp.0.${partition}.0`, executorId: 'test-executor', conf, log, signal: new AbortController().signal };
}

async function runTasks(job: WriteJob, ctx: DriverContext, parts: RecordBatch[]): Promise<CommitMessage[]> {
  const out: CommitMessage[] = [];
  for (const [p, b] of parts.entries()) out.push(await kustoWriteTask(job, schema, batches(b), taskContext(p, parts.length, ctx.conf, ctx.log)));
  return out;
}

before(async () => {
  emu = await startSinkTestEmulator();
  probe = new KustoProbe(emu.clusterUrl);
  for (const t of ['P', 'A', 'G', 'MV']) await probe.rows('db', `.create table ${t} (id:long, name:string)`);
  // One blob per extent (the staging table copies this policy), so two tasks stage two extents to move.
  await probe.rows('db', `.alter table P policy ingestionbatching @'{"MaximumBatchingTimeSpan":"00:00:00.2","MaximumNumberOfItems":1,"MaximumRawDataSizeMB":1024}'`);
  await probe.rows('db', '.ingest inline into table P <| -1,before');
});
after(async () => {
  probe?.close();
  await emu?.stop();
});

describe('Transactional commit: all-or-nothing', () => {
  it('a move that partly succeeds, then keeps failing: the moved part is rolled back, the staging table dropped; RetriesExhaustedException caused by FailedOperationException with its OperationId', async () => {
    const log = capturingLog();
    const ctx = driverContext(log);
    const job = await prepareKustoWrite(schema, sinkOptions(emu.clusterUrl, 'P'), 'append', ctx);
    const messages = await runTasks(job, ctx, [batchOf([1, 2, 3]), batchOf([4, 5])]);
    await fault('move-extents partial 1');
    await fault('move-extents fail 0');
    const clock = fastClock();
    try {
      await assert.rejects(commitKustoWrite(job, messages, ctx, clock), (e: Error & { requestId?: string; cause?: unknown }) => {
        assert.equal(e.name, 'RetriesExhaustedException');
        // The partial move moved one of the two extents; after a partial move at least 10 retries are allowed.
        assert.equal(e.message, 'Failed to move extents after 11 triesand 1 were moved.');
        assert.match(String(e.requestId), /^[0-9a-f-]{36}$/);
        const cause = e.cause as Error & { operationId?: string; state?: string; status?: string; requestId?: string; resolution?: string };
        assert.equal(cause.name, 'FailedOperationException');
        assert.match(String(cause.operationId), /^[0-9a-f-]{36}$/);
        assert.equal(cause.state, 'Failed');
        assert.match(String(cause.status), /^Moving extents from table 'sparkTempTable_commit_paths_P_[^']+' failed \(emulator fault injection #\d+\)\.$/);
        assert.equal(cause.message, `Failed to execute Kusto operation with OperationId '${cause.operationId}', State: 'Failed', Status: '${cause.status}'`);
        assert.equal(cause.requestId, e.requestId);
        assert.equal(cause.resolution, `Inspect '.show operations ${cause.operationId}' and '.show operation ${cause.operationId} details'.`);
        return true;
      });
    } finally {
      await fault('clear');
    }
    // The partial move did land rows in P (1 extent), and the roll-back took them out again by tag.
    assert.equal(log.lines.filter((l) => l.level === 'warn' && l.msg === 'moving extents failed; retrying').length, 10);
    assert.deepEqual(await probe.rows('db', 'P | project id, name'), [{ id: -1, name: 'before' }]);
    assert.deepEqual(await stagingTables(), []);
  });
});

describe('a destination with a materialized view', () => {
  it('the move with SetNewIngestionTime=true runs on the emulator and gives the moved extents a new creation time', async () => {
    // The emulator cannot create materialized views; only the view count the commit asks for is scripted.
    const log = capturingLog();
    const ctx = driverContext(log);
    const job = await prepareKustoWrite(schema, sinkOptions(emu.clusterUrl, 'MV', { requestId: 'mv-req' }), 'append', ctx);
    const state = job.state as { stagingTable: string; startedAt: string };
    const messages = await runTasks(job, ctx, [batchOf([1, 2, 3])]);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await probe.count('db', state.stagingTable)) < 3) await new Promise((r) => setTimeout(r, 50));
    const stagedAt = await probe.rows('db', `.show table ['${state.stagingTable}'] extents | project MaxCreatedOn`);
    await new Promise((r) => setTimeout(r, 50));
    const real = new KustoEngineClient(emu.clusterUrl, undefined, { requestId: 'mv-req' });
    const sent: string[] = [];
    const engine = {
      mgmt: (db: string, command: string, o: { activity: string }) => {
        sent.push(command);
        return command.startsWith('.show materialized-views') ? Promise.resolve([{ Count: 1 }]) : real.mgmt(db, command, o);
      },
    } as unknown as KustoEngineClient;
    const tags = messages.map((m) => `drop-by:${(m.detail as { attemptTag: string }).attemptTag}`);
    const r = await moveAcceptedExtents({ engine, sink: resolveKustoSinkOptions(sinkOptions(emu.clusterUrl, 'MV', { requestId: 'mv-req' })), stagingTable: state.stagingTable, acceptedTags: tags, startedAt: new Date(state.startedAt), clock: fastClock(), log });
    assert.equal(r.retries, 0);
    assert.ok(r.extentsMoved >= 1);
    assert.match(sent.find((c) => c.startsWith('.move async'))!, /^\.move async extents to table \['MV'\] with\(SetNewIngestionTime=true, extentCreatedOnFrom='[^']+', extentCreatedOnTo='[^']+'\) <\|\n/);
    assert.equal(await probe.count('db', 'MV'), 3);
    const moved = await probe.rows('db', `.show table MV extents | project MinCreatedOn`);
    const time = (v: unknown) => new Date(v as string | Date).getTime();
    for (const e of moved) assert.ok(time(e['MinCreatedOn']) > time(stagedAt[0]!['MaxCreatedOn']), `${JSON.stringify(moved)} vs ${JSON.stringify(stagedAt)}`);
    await probe.rows('db', `.drop table ['${state.stagingTable}'] ifexists`);
  });
});

describe('abort after a failed stage', () => {
  it('drops the generated staging table, keeps a user-supplied tempTableName (with what the tasks staged)', async () => {
    await probe.rows('db', '.create table UserStage (id:long, name:string)');
    const log = capturingLog();
    const ctx = driverContext(log);
    const kept = await prepareKustoWrite(schema, sinkOptions(emu.clusterUrl, 'A', { tempTableName: 'UserStage' }), 'append', ctx);
    const generated = await prepareKustoWrite(schema, sinkOptions(emu.clusterUrl, 'A'), 'append', ctx);
    const generatedName = (generated.state as { stagingTable: string }).stagingTable;
    assert.ok((await probe.tables('db')).includes(generatedName));
    await runTasks(kept, ctx, [batchOf([7, 8])]);
    await abortKustoWrite(kept, [], ctx);
    await abortKustoWrite(generated, [], ctx);
    assert.ok((await probe.tables('db')).includes('UserStage'));
    assert.ok(!(await probe.tables('db')).includes(generatedName));
    assert.ok(log.lines.some((l) => l.level === 'warn' && l.msg === 'the write failed; the user-supplied temp table is kept for inspection' && (l.obj as { table?: string }).table === 'UserStage'));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await probe.count('db', 'UserStage')) < 2) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await probe.count('db', 'UserStage'), 2);
    assert.equal(await probe.count('db', 'A'), 0);
  });
});

describe('session configuration and warnings', () => {
  it('kjob.kusto.gzipLevel: level 9 makes smaller blobs than level 1 from the same rows; an invalid level is rejected naming the conf, before any side effect', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => i);
    const text = (i: number) => `row ${i % 97} of a fairly repetitive text column ${(i * 7919) % 1000}`;
    const compressed: Record<string, number> = {};
    for (const level of ['1', '9']) {
      const ctx = driverContext(capturingLog(), { 'kjob.kusto.gzipLevel': level });
      const job = await prepareKustoWrite(schema, sinkOptions(emu.clusterUrl, 'G', { writeMode: 'Queued' }), 'append', ctx);
      assert.equal((job.state as { gzipLevel: number }).gzipLevel, Number(level));
      const [m] = await runTasks(job, ctx, [batchOf(rows, text)]);
      const blobs = (m!.detail as { blobs: { rawBytes: number; compressedBytes: number }[] }).blobs;
      assert.equal(blobs.length, 1);
      compressed[level] = blobs[0]!.compressedBytes;
    }
    assert.ok(compressed['9']! < compressed['1']!, JSON.stringify(compressed));
    const ctx = driverContext(capturingLog(), { 'kjob.kusto.gzipLevel': '12' });
    await assert.rejects(prepareKustoWrite(schema, sinkOptions(emu.clusterUrl, 'NotCreated', { tableCreateOptions: 'CreateIfNotExist' }), 'append', ctx), (e: Error & { requestId?: string }) => {
      assert.equal(e.name, 'InvalidParameterException');
      assert.equal(e.message, "Session config kjob.kusto.gzipLevel must be an integer 0–9, got '12'");
      assert.match(String(e.requestId), /^[0-9a-f-]{36}$/);
      return true;
    });
    assert.ok(!(await probe.tables('db')).includes('NotCreated'));
  });

  it('warns when most blobs are under 100 MB of raw CSV (and not when they are big)', async () => {
    const MB = 1024 * 1024;
    const messagesOf = (sizes: number[]): CommitMessage[] =>
      sizes.map((raw, p) => ({ attemptId: `job-cp.0.${p}.0`, partition: p, rows: 1, bytes: raw, detail: { mode: 'Queued', blobs: [{ sourceId: `s${p}`, rows: 1, rawBytes: raw, compressedBytes: Math.round(raw / 4) }] } }));
    const warning = /^most blobs are under 100 MB of raw CSV/;
    const small = capturingLog();
    const job = await prepareKustoWrite(schema, sinkOptions(emu.clusterUrl, 'G', { writeMode: 'Queued' }), 'append', driverContext(small));
    const summary = await commitKustoWrite(job, messagesOf(Array.from({ length: 30 }, () => 10 * MB)), driverContext(small));
    assert.deepEqual((summary.detail as { blobs: object }).blobs, { count: 30, minRawBytes: 10 * MB, medianRawBytes: 10 * MB, maxRawBytes: 10 * MB, smallBlobs: 30 });
    const warned = small.lines.filter((l) => l.level === 'warn' && warning.test(l.msg ?? ''));
    assert.equal(warned.length, 1);
    assert.equal((warned[0]!.obj as { smallBlobs?: number }).smallBlobs, 30);
    assert.equal((warned[0]!.obj as { requestId?: string }).requestId, (summary.detail as { requestId: string }).requestId);

    const big = capturingLog();
    const job2 = await prepareKustoWrite(schema, sinkOptions(emu.clusterUrl, 'G', { writeMode: 'Queued' }), 'append', driverContext(big));
    await commitKustoWrite(job2, messagesOf([150 * MB, 200 * MB, 10 * MB]), driverContext(big));
    assert.equal(big.lines.filter((l) => warning.test(l.msg ?? '')).length, 0);
  });
});
