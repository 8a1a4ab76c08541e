import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createBackend } from '../../src/driver/backends/create-backend.js';
import { Executor } from '../../src/executor/executor.js';
import { NoLiveExecutorsError } from '../../src/errors/no-live-executors-error.js';
import { TaskFailedError } from '../../src/errors/task-failed-error.js';
import { clusterKeys } from '../../src/protocol/cluster-keys.js';
import type { SchedulerBackend } from '../../src/protocol/task.js';
import { testRedisUrl, uniqueTestPrefix } from '../support/redis.js';
import { rangeCountStage } from '../driver/backends/fixtures/range-stage.js';

const log = pino({ level: 'silent' });
const url = testRedisUrl();

function startExecutor(prefix: string, id: string, cores = 2): Promise<Executor> {
  return Executor.start({ url, display: url, prefix, cores, executorId: id, lockDurationMs: 3000, stalledIntervalMs: 1000, maxStalledCount: 2, reconcileMs: 500, log });
}

function backendFor(prefix: string, appId: string, extra: Record<string, string> = {}): Promise<SchedulerBackend> {
  const conf = new Map(Object.entries({ 'kjob.redis.prefix': prefix, 'kjob.progress': 'off', 'kjob.task.retryBackoffMs': '20', 'kjob.executor.waitTimeoutMs': '5000', ...extra }));
  return createBackend(url, { appId, appName: appId, log, conf });
}

describe('BullMQ backend with in-process executors (real Redis, real runTask)', () => {
  const prefix = uniqueTestPrefix('exec');
  const redis = new Redis(url);
  let ex1: Executor;
  let ex2: Executor | undefined;
  let backend: SchedulerBackend;

  before(async () => {
    ex1 = await startExecutor(prefix, 'ex-1');
    backend = await backendFor(prefix, 'app-a');
  });
  after(async () => {
    await backend?.close();
    assert.deepEqual(await redis.keys(`${prefix}:kjob:cancelled:*`), [], 'closing the app removed its cancel markers');
    await ex1?.shutdown(100);
    await ex2?.shutdown(100);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('lists live executors and runs a stage with one result per partition', async () => {
    const live = await backend.executors();
    assert.deepEqual(live.map((e) => [e.executorId, e.cores, e.pid]), [['ex-1', 2, process.pid]]);
    assert.equal(backend.defaultParallelism, 2);
    const results = await backend.runStage(rangeCountStage({ appId: 'app-a', n: 4, rowsPerTask: 500 }));
    assert.deepEqual(results.map((r) => [r.partition, (r.output as { count: number }).count, r.executorId]), [0, 1, 2, 3].map((p) => [p, 500, 'ex-1']));
  });

  it('retries with backoff and reports every failed attempt', async () => {
    const failed: Array<[number, number, boolean]> = [];
    const results = await backend.runStage(rangeCountStage({ appId: 'app-a', jobId: 'job-2', n: 2, fn: 'flaky-twice' }), {
      onTaskFailed: (p, a, e, w) => {
        assert.match(e, /^Error: flaky-twice: attempt \d fails on purpose$/);
        failed.push([p, a, w]);
      },
    });
    assert.deepEqual(results.map((r) => r.attempt), [2, 2]);
    assert.deepEqual(failed.sort(), [[0, 0, true], [0, 1, true], [1, 0, true], [1, 1, true]]);
  });

  it('fails the stage after maxAttempts with the task error and cancels the outstanding tasks', async () => {
    process.env['KJOB_TEST_SLOW_MS'] = '4000';
    const stage = rangeCountStage({ appId: 'app-a', jobId: 'job-3', n: 6, fn: 'slow' });
    // Partition 0 always throws; the five slow ones must be cancelled, not waited for.
    const poisoned = rangeCountStage({ appId: 'app-a', jobId: 'job-3', n: 6, fn: 'always-throws' }).tasks[0]!;
    const err = await backend.runStage({ ...stage, tasks: [poisoned, ...stage.tasks.slice(1)] }).catch((e: unknown) => e);
    const failedAt = Date.now();
    assert.ok(err instanceof TaskFailedError, String(err));
    assert.equal(err.attempts, 4);
    assert.equal(err.partition, 0);
    assert.match(err.message, /RangeError: always-throws: this partition is poisoned/);
    // Queued entries are removed and the running slow ones (4 s each) are aborted at once.
    await waitFor(async () => (await redis.zcard(`${prefix}:kjob-app-a:delayed`)) + (await redis.llen(`${prefix}:kjob-app-a:wait`)) + (await redis.llen(`${prefix}:kjob-app-a:active`)) === 0, 3000);
    assert.ok(Date.now() - failedAt < 1500, `outstanding tasks were cancelled (took ${Date.now() - failedAt} ms)`);
    const cancelled = await redis.zrange(`${prefix}:kjob-app-a:failed`, 0, -1);
    assert.ok(cancelled.some((id) => id.startsWith('job-3:0:') && id !== 'job-3:0:0'), `aborted running tasks end as failed entries: ${cancelled.join(' ')}`);
  });

  it('finds the outcome of a task whose completion event it never saw', async () => {
    // Same ids twice: BullMQ keeps the finished entry and adds nothing, so no new event will come;
    // only the driver's sweep of unfinished tasks can answer (within its 5 s interval).
    const stage = () => rangeCountStage({ appId: 'app-a', jobId: 'job-again', n: 1, rowsPerTask: 42 });
    await backend.runStage(stage());
    const t0 = Date.now();
    const [again] = await backend.runStage(stage());
    assert.equal((again!.output as { count: number }).count, 42);
    assert.ok(Date.now() - t0 < 7000);
  });

  it('keeps two applications on one Redis apart', async () => {
    const other = await backendFor(prefix, 'app-b');
    try {
      const seenA: string[] = [];
      const seenB: string[] = [];
      const [a, b] = await Promise.all([
        backend.runStage(rangeCountStage({ appId: 'app-a', jobId: 'same-job', n: 3, rowsPerTask: 10 }), { onTaskSucceeded: (r) => seenA.push(r.attemptId) }),
        other.runStage(rangeCountStage({ appId: 'app-b', jobId: 'same-job', n: 2, rowsPerTask: 20 }), { onTaskSucceeded: (r) => seenB.push(r.attemptId) }),
      ]);
      assert.deepEqual(a.map((r) => (r.output as { count: number }).count), [10, 10, 10]);
      assert.deepEqual(b.map((r) => (r.output as { count: number }).count), [20, 20]);
      assert.equal(seenA.length, 3);
      assert.equal(seenB.length, 2);
      assert.deepEqual((await redis.smembers(clusterKeys.apps(prefix))).sort(), ['app-a', 'app-b']);
    } finally {
      await other.close();
    }
    // (an executor's stalled-check marker, TTL 1 s, may outlive the queue until the executor drops the app)
    await waitFor(async () => (await redis.keys(`${prefix}:kjob-app-b:*`)).length === 0, 3000);
    assert.ok((await redis.keys(`${prefix}:kjob-app-a:*`)).length > 0, "and left app a's alone");
    await waitFor(async () => !ex1.apps.includes('app-b'), 2000);
    assert.deepEqual(ex1.apps, ['app-a']);
  });

  it('keeps the lock of a task that runs longer than the lock duration (no false stall)', async () => {
    process.env['KJOB_TEST_SLOW_MS'] = '4500';
    const starts: number[] = [];
    const [r] = await backend.runStage(rangeCountStage({ appId: 'app-a', jobId: 'job-long', n: 1, fn: 'slow' }), { onTaskStarted: (_p, a) => starts.push(a) });
    assert.deepEqual(starts, [0], 'started once: the 3 s lock was renewed while the task ran 4.5 s');
    assert.equal(r!.attempt, 0);
  });

  it('hands running tasks to another executor on graceful shutdown', async () => {
    process.env['KJOB_TEST_SLOW_MS'] = '1500';
    const started: Array<[number, number, string]> = [];
    const run = backend.runStage(rangeCountStage({ appId: 'app-a', jobId: 'job-6', n: 2, fn: 'slow' }), { onTaskStarted: (p, a, e) => started.push([p, a, e]) });
    await waitFor(async () => started.length === 2, 3000);
    ex2 = await startExecutor(prefix, 'ex-2');
    await ex1.shutdown(100);
    const results = await run;
    assert.deepEqual(results.map((r) => r.executorId), ['ex-2', 'ex-2']);
    assert.ok(results.every((r) => r.attempt === 1), 'the released attempt is not counted as a failure but gets a new attempt id');
    assert.deepEqual((await backend.executors()).map((e) => e.executorId), ['ex-2'], 'the stopped executor deregistered at once');
  });
});

describe('BullMQ backend without executors', () => {
  it('warns, waits the configured time, then fails with NoLiveExecutorsError', async () => {
    const prefix = uniqueTestPrefix('noexec');
    const backend = await backendFor(prefix, 'lonely', { 'kjob.executor.waitTimeoutMs': '400' });
    try {
      const t0 = Date.now();
      await assert.rejects(backend.runStage(rangeCountStage({ appId: 'lonely', n: 1 })), (e: unknown) => e instanceof NoLiveExecutorsError && /kjob executor --master/.test(e.describe()));
      assert.ok(Date.now() - t0 >= 400);
    } finally {
      await backend.close();
    }
  });

  it('names the Redis it cannot reach', async () => {
    await assert.rejects(createBackend('redis://127.0.0.1:1', { appId: 'x', appName: 'x', log }), /Cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
