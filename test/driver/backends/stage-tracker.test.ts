import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StageTracker } from '../../../src/driver/backends/stage-tracker.js';
import { TaskFailedError } from '../../../src/errors/task-failed-error.js';
import { ConfigError, KjobError } from '../../../src/errors/kjob-error.js';
import { decodeTaskFailure, encodeTaskFailure, toTaskFailure } from '../../../src/protocol/task-failure.js';
import type { StageSpec, TaskResult } from '../../../src/protocol/task.js';
import { queueName, taskEntryId } from '../../../src/protocol/cluster-keys.js';

function stage(n: number): StageSpec {
  return {
    appId: 'app',
    jobId: 'job-1',
    stageId: 0,
    maxAttempts: 4,
    tasks: Array.from({ length: n }, (_, partition) => ({ v: 1, appId: 'app', appName: 'a', jobId: 'job-1', stageId: 0, partition, numPartitions: n, conf: {}, plan: {} })),
  };
}

function result(partition: number, attempt = 0): TaskResult {
  return { partition, attempt, attemptId: `job-1.0.${partition}.${attempt}`, executorId: 'e', metrics: { rowsRead: 1, rowsWritten: 1, bytesRead: 1, bytesWritten: 1, durationMs: 1 }, output: partition };
}

describe('StageTracker', () => {
  it('resolves with one result per partition, in partition order, ignoring late duplicates', async () => {
    const events: string[] = [];
    const t = new StageTracker(stage(3), { onTaskSucceeded: (r) => events.push(`ok${r.partition}.${r.attempt}`) });
    assert.equal(t.succeeded(result(2)), true);
    assert.equal(t.succeeded(result(2, 1)), false);
    t.succeeded(result(0));
    t.succeeded(result(1));
    const rs = await t.promise;
    assert.deepEqual(rs.map((r) => r.output), [0, 1, 2]);
    assert.deepEqual(events, ['ok2.0', 'ok0.0', 'ok1.0']);
  });

  it('reports retried failures and fails the stage with a TaskFailedError carrying the task error', async () => {
    const failures: Array<[number, boolean]> = [];
    const t = new StageTracker(stage(2), { onTaskFailed: (_p, a, _e, w) => failures.push([a, w]) });
    const f = toTaskFailure(new RangeError('bad row 7'));
    t.failed(1, 0, f, true);
    t.failed(1, 3, f, false, { executorId: 'ex-9' });
    const err = await t.promise.catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal(err.code, 'TASK_FAILED');
    assert.equal(err.partition, 1);
    assert.equal(err.attempts, 4);
    assert.match(err.message, /Task 2\/2 of stage 0 \(job job-1\) failed after 4 attempts: RangeError: bad row 7/);
    assert.match(err.describe(), /Caused by: RangeError: bad row 7/);
    assert.equal(err.context['executorId'], 'ex-9');
    assert.deepEqual(failures, [[0, true], [3, false]]);
    t.succeeded(result(0));
  });

  it('resolves an empty stage at once and reports cancellation as JOB_CANCELLED', async () => {
    assert.deepEqual(await new StageTracker(stage(0)).promise, []);
    const t = new StageTracker(stage(1));
    t.cancelled(new Error('user'));
    await assert.rejects(t.promise, (e: unknown) => e instanceof KjobError && e.code === 'JOB_CANCELLED');
  });
});

describe('task failure wire form', () => {
  it('keeps name, code and message, and marks deterministic kjob errors unrecoverable', () => {
    const cfg = toTaskFailure(new ConfigError('option x is bad'));
    assert.deepEqual(cfg, { name: 'ConfigError', code: 'CONFIG_INVALID', message: 'option x is bad', unrecoverable: true });
    assert.deepEqual(decodeTaskFailure(encodeTaskFailure(cfg), true), cfg);
    const plain = toTaskFailure(new TypeError('x: y\nz'));
    assert.deepEqual(decodeTaskFailure(encodeTaskFailure(plain)), plain);
    assert.deepEqual(decodeTaskFailure('no shape here!'), { name: 'Error', message: 'no shape here!', unrecoverable: false });
    assert.equal(toTaskFailure('str').message, 'str');
  });

  it('scrubs secrets from task errors', () => {
    const f = toTaskFailure(new Error('GET https://a.blob.core.windows.net/c?sv=1&sig=SECRETSIG failed'));
    assert.ok(!f.message.includes('SECRETSIG'));
  });

  it('names queues and entries within what BullMQ 6.7 accepts', () => {
    assert.equal(queueName('a:b'), 'kjob-a-b');
    assert.equal(taskEntryId('job-7', 1, 3), 'job-7:1:3');
    assert.equal(taskEntryId('j:x', 0, 0).split(':').length, 3);
  });
});
