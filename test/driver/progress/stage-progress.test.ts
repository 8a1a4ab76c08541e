import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createStageProgress, resolveProgressMode } from '../../../src/driver/progress/stage-progress.js';
import { formatBytes, formatCount, formatDuration, StageCounters } from '../../../src/driver/progress/stage-counters.js';
import { combineListeners } from '../../../src/driver/progress/with-progress.js';
import { createBackend } from '../../../src/driver/backends/create-backend.js';
import type { StageSpec, TaskResult } from '../../../src/protocol/task.js';
import { rangeCountStage } from '../backends/fixtures/range-stage.js';

function capture(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); cb(); } });
  return { log: pino({ level }, stream), lines };
}

const stage: StageSpec = { appId: 'a', jobId: 'j', stageId: 2, maxAttempts: 4, tasks: [] };
const result = (partition: number): TaskResult => ({ partition, attempt: 1, attemptId: 'x', executorId: 'ex', metrics: { rowsRead: 1000, rowsWritten: 10, bytesRead: 2048, bytesWritten: 5, durationMs: 7 }, output: null });

describe('stage progress', () => {
  it('logs one structured line per finished task and a summary', () => {
    const { log, lines } = capture();
    const p = createStageProgress('log', { ...stage, tasks: [{} as never, {} as never] }, log);
    p.onTaskStarted?.(0, 0, 'ex');
    p.onTaskFailed?.(0, 0, 'RangeError: x', true);
    p.onTaskSucceeded?.(result(0));
    p.end(true);
    assert.deepEqual(
      lines.map((l) => l['msg']),
      ['task attempt failed; retrying', 'task finished', 'stage finished'],
      'task starts are debug-level only',
    );
    const task = lines[1]!;
    for (const [k, v] of Object.entries({ stage: 2, partition: 0, attempt: 1, executorId: 'ex', rows: 1000, bytes: 2048, durationMs: 7 })) assert.equal(task[k], v, k);
    assert.equal(lines[2]!['tasks'], 1);
    assert.equal(lines[2]!['failedAttempts'], 1);
  });

  it('shows scheduling lines at debug level', () => {
    const { log, lines } = capture('debug');
    createStageProgress('log', stage, log).onTaskStarted?.(3, 1, 'ex');
    assert.equal(lines[0]!['msg'], 'task started');
    assert.equal(lines[0]!['partition'], 3);
  });

  it('picks the bar only on a terminal', () => {
    const ci = process.env['CI'];
    delete process.env['CI'];
    try {
      assert.equal(resolveProgressMode('auto', { isTTY: true }), 'bar');
      assert.equal(resolveProgressMode('auto', { isTTY: false }), 'log');
      assert.equal(resolveProgressMode('off', { isTTY: true }), 'off');
    } finally {
      if (ci !== undefined) process.env['CI'] = ci;
    }
  });

  it('formats counters for the bar', () => {
    const c = new StageCounters(4, 0);
    c.add(result(0));
    assert.equal(c.rowsPerSecond(2000), 500);
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(12), '12 B');
    assert.equal(formatCount(2_500_000), '2.50M');
    assert.equal(formatDuration(61_000), '1m01s');
    assert.equal(formatDuration(1500), '1.5s');
  });

  it('reports the stages of a real backend without hiding the caller listener or the failure', async () => {
    const { log, lines } = capture();
    const backend = await createBackend('local[1]', { appId: 'p', appName: 'p', log, conf: new Map([['kjob.progress', 'log'], ['kjob.task.retryBackoffMs', '10']]) });
    try {
      assert.equal(backend.defaultParallelism, 1);
      const seen: number[] = [];
      await backend.runStage(rangeCountStage({ appId: 'p', n: 2, rowsPerTask: 300 }), { onTaskSucceeded: (r) => seen.push(r.partition) });
      assert.deepEqual(seen.sort(), [0, 1]);
      const tasks = lines.filter((l) => l['msg'] === 'task finished');
      assert.deepEqual(tasks.map((l) => l['rows']), [300, 300]);
      assert.equal(lines.find((l) => l['msg'] === 'stage finished')?.['rows'], 600);
      await assert.rejects(backend.runStage(rangeCountStage({ appId: 'p', jobId: 'j2', n: 1, fn: 'always-throws', maxAttempts: 2 })), /always-throws/);
      assert.deepEqual(
        lines.filter((l) => l['jobId'] === 'j2').map((l) => l['msg']),
        ['task attempt failed; retrying', 'task failed', 'stage failed'],
      );
    } finally {
      await backend.close();
    }
    const calls: string[] = [];
    combineListeners({ onTaskStarted: () => calls.push('a') }, { onTaskStarted: () => calls.push('b') }).onTaskStarted?.(0, 0, 'e');
    assert.deepEqual(calls, ['a', 'b']);
  });
});
