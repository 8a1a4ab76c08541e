// Single-mode Kusto reads on the BullMQ backend (real Redis, two real executor processes, no
// KJOB_TASK_SECRET_KEY — a Single read carries no secret): an aggregate read by an executor, a small
// automatic read shipped inside the task, and a ForceSingleMode read over the emulator's record limit
// whose KustoRequestError reaches the driver with its likely cause, resolution and request id.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'azure-kusto-data';
import { Session } from '../../../../src/driver/session.js';
import { col } from '../../../../src/plan/functions.js';
import { TaskFailedError } from '../../../../src/errors/task-failed-error.js';
import { lastKustoReadReport } from '../../../../src/datasource/kusto/read/index.js';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/start-emulator.js';
import { testRedisUrl, uniqueTestPrefix } from '../../../support/redis.js';
import { startCluster, type ExecutorProcess } from '../../../cluster/support/cluster-processes.js';
import { registerKustoSource } from './support.js';

const DB = 'bullsingledb';
const ROWS = 3000;

describe('Kusto Single mode on BullMQ', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('kusto-single');
  const savedKey = process.env['KJOB_TASK_SECRET_KEY'];
  let emulator: RunningEmulator;
  let client: Client;
  let spark: Session;
  let executors: ExecutorProcess[] = [];
  let stopCluster: () => Promise<void> = async () => undefined;
  const opts = (extra: Record<string, string>) => ({ kustoCluster: emulator.clusterUrl, kustoDatabase: DB, ...extra });

  before(async () => {
    delete process.env['KJOB_TASK_SECRET_KEY'];
    await registerKustoSource();
    emulator = await startEmulator({ autoDeleteIntervalMs: 0, maxResultRows: 1000 });
    client = new Client(emulator.clusterUrl);
    await client.executeMgmt(DB, `.create database ${DB} volatile`);
    await client.executeMgmt(DB, `.set-or-append T <| range id from 1 to ${ROWS} step 1 | extend bucket = id % 7`);
    ({ executors, stop: stopCluster } = await startCluster(url, prefix, [{ id: 'single-1', env: { LOG_LEVEL: 'debug' } }, { id: 'single-2', env: { LOG_LEVEL: 'debug' } }]));
    spark = await Session.builder().master(url).config('kjob.redis.prefix', prefix).config('kjob.progress', 'off').config('kjob.task.maxAttempts', 2).getOrCreate();
  });
  after(async () => {
    await spark?.stop();
    await stopCluster();
    client?.close();
    await emulator?.stop();
    if (savedKey !== undefined) process.env['KJOB_TASK_SECRET_KEY'] = savedKey;
  });

  it('ForceSingleMode: an executor runs the aggregate query; the sums are exact', async () => {
    const finishedBefore = executors.flatMap((e) => e.log).filter((l) => l.includes('"task finished"')).length;
    const t = await spark.read.format('kusto').options(opts({ kustoQuery: 'T | summarize n = count(), total = sum(id) by bucket', readMode: 'ForceSingleMode' })).load().toArrow();
    assert.equal(lastKustoReadReport()?.mode, 'single');
    const got = new Map<number, [number, bigint]>();
    for (let i = 0; i < t.numRows; i++) got.set(Number(t.getChild('bucket')!.get(i)), [Number(t.getChild('n')!.get(i)), BigInt(t.getChild('total')!.get(i))]);
    const expected = new Map<number, [number, bigint]>();
    for (let id = 1; id <= ROWS; id++) {
      const [n, total] = expected.get(id % 7) ?? [0, 0n];
      expected.set(id % 7, [n + 1, total + BigInt(id)]);
    }
    assert.deepEqual(got, expected);
    assert.equal(executors.flatMap((e) => e.log).filter((l) => l.includes('"task finished"')).length, finishedBefore + 1, 'the query ran in an executor process');
  });

  it('automatic mode, few rows: the driver ships the result inside the task; rows exact', async () => {
    const t = await spark.read.format('kusto').options(opts({ kustoQuery: 'T | where id <= 10' })).load().filter(col('id').gt(3)).toArrow();
    assert.equal(lastKustoReadReport()?.mode, 'single');
    assert.deepEqual([...t.getChild('id')!].map(Number).sort((a, b) => a - b), [4, 5, 6, 7, 8, 9, 10]);
  });

  it('ForceSingleMode over the record limit: the executor\'s KustoRequestError keeps its cause, resolution and request id', async () => {
    const err = await spark.read.format('kusto').options(opts({ kustoQuery: 'T', readMode: 'ForceSingleMode', requestId: 'single-limit-test' })).load().toArrow().catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError, String(err));
    assert.equal(err.taskErrorName, 'KustoRequestError');
    assert.match(err.taskErrorMessage, /internal record count limit 1000/);
    const text = err.describe();
    assert.match(text, /Likely cause: The result exceeds the query limits/);
    assert.match(text, /Resolution: Read with readMode=ForceDistributedMode/);
    assert.match(text, /Request id: \S*single-limit-test/);
    assert.match(text, /Caused by: KustoRequestError: /);
    assert.equal(err.taskError.context['kustoCode'], 'LimitsExceeded');
  });
});
