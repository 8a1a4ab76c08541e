import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createBackend } from '../../../src/driver/backends/create-backend.js';
import { TaskFailedError } from '../../../src/errors/task-failed-error.js';
import { KjobError } from '../../../src/errors/kjob-error.js';
import type { SchedulerBackend } from '../../../src/protocol/task.js';
import { rangeCountStage } from './fixtures/range-stage.js';

const log = pino({ level: 'silent' });
const conf = new Map([['kjob.progress', 'off'], ['kjob.task.retryBackoffMs', '20']]);

describe('local[N] backend (worker threads, real runTask)', () => {
  let backend: SchedulerBackend;
  after(() => backend?.close());

  it('runs every task once on N threads and returns results in partition order', async () => {
    backend = await createBackend('local[2]', { appId: 'app-l1', appName: 't', log, conf });
    assert.equal(backend.defaultParallelism, 2);
    assert.equal((await backend.executors()).length, 2);
    const started: string[] = [];
    const results = await backend.runStage(rangeCountStage({ appId: 'app-l1', n: 5, rowsPerTask: 1000 }), { onTaskStarted: (_p, _a, e) => started.push(e) });
    assert.deepEqual(results.map((r) => r.partition), [0, 1, 2, 3, 4]);
    assert.deepEqual(results.map((r) => (r.output as { count: number }).count), [1000, 1000, 1000, 1000, 1000]);
    assert.deepEqual([...new Set(started)].sort(), ['local-0', 'local-1'], 'both threads took tasks');
    assert.ok(results.every((r) => r.attempt === 0 && r.attemptId === `job-1.0.${r.partition}.0`));
  });

  it('retries failed attempts and keeps the successful attempt', async () => {
    const failures: Array<[number, number, boolean]> = [];
    const results = await backend.runStage(rangeCountStage({ appId: 'app-l1', jobId: 'job-2', n: 2, fn: 'flaky-twice' }), {
      onTaskFailed: (p, a, e, willRetry) => {
        assert.match(e, /flaky-twice: attempt \d fails on purpose/);
        failures.push([p, a, willRetry]);
      },
    });
    assert.deepEqual(results.map((r) => r.attempt), [2, 2]);
    assert.deepEqual(failures.sort(), [[0, 0, true], [0, 1, true], [1, 0, true], [1, 1, true]]);
  });

  it('fails the stage with the task error after maxAttempts and cancels the other tasks', async () => {
    const attempts: number[] = [];
    const err = await backend
      .runStage(rangeCountStage({ appId: 'app-l1', jobId: 'job-3', n: 1, fn: 'always-throws', maxAttempts: 4 }), { onTaskFailed: (_p, a) => attempts.push(a) })
      .catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError, String(err));
    assert.equal(err.attempts, 4);
    assert.deepEqual(attempts, [0, 1, 2, 3]);
    assert.match(err.describe(), /Caused by: RangeError: always-throws: this partition is poisoned/);
  });

  it('does not retry an error that cannot succeed (plan error) and reports its name', async () => {
    const stage = rangeCountStage({ appId: 'app-l1', jobId: 'job-4', n: 1, fn: 'no-such-function' });
    const err = await backend.runStage(stage).catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal(err.attempts, 1);
    assert.equal(err.taskErrorName, 'PartitionFunctionNotFoundError');
  });

  it('cancels running and queued tasks when the stage signal fires', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const run = backend.runStage(rangeCountStage({ appId: 'app-l1', jobId: 'job-5', n: 6, fn: 'slow', signal: ac.signal }));
    setTimeout(() => ac.abort(new Error('user cancelled')), 300);
    await assert.rejects(run, (e: unknown) => e instanceof KjobError && e.code === 'JOB_CANCELLED');
    assert.ok(Date.now() - t0 < 1400, 'cancellation does not wait for the slow tasks');
    // The threads are free again for the next stage.
    const next = await backend.runStage(rangeCountStage({ appId: 'app-l1', jobId: 'job-6', n: 2 }));
    assert.equal(next.length, 2);
  });

  it('replaces a thread that dies and retries its task', async () => {
    const failures: string[] = [];
    const [r] = await backend.runStage(rangeCountStage({ appId: 'app-l1', jobId: 'job-7', n: 1, fn: 'exits-on-first-attempt' }), { onTaskFailed: (_p, _a, e) => failures.push(e) });
    assert.equal(r!.attempt, 1);
    assert.match(failures[0]!, /^ExecutorLostError: executor thread local-\d exited with code 7$/);
    assert.equal((await backend.runStage(rangeCountStage({ appId: 'app-l1', jobId: 'job-8', n: 4 }))).length, 4, 'both threads work again');
  });

  it('rejects unknown masters with the accepted forms', async () => {
    await assert.rejects(createBackend('mesos://x', { appId: 'a', appName: 'b', log }), /Unknown master 'mesos:\/\/x'/);
  });
});
