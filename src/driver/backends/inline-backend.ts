import { runTask } from '../../executor/task-runner.js';
import { KjobError } from '../../errors/kjob-error.js';
import type { ExecutorInfo, SchedulerBackend, StageListener, StageSpec, TaskDescription, TaskResult } from '../../protocol/task.js';

/** A stage whose task failed on its last allowed attempt. */
export class StageFailedError extends KjobError {
  override name = 'StageFailedError';
}

/**
 * Master `inline`: runs every task in the driver's own process, one at a time. Each description makes
 * a JSON round trip first, so whatever runs here would also survive the trip to a real executor.
 * Retries a failed task up to `maxAttempts` times. Meant for tests and debugging.
 *
 * CONCURRENCY: runStage calls are independent; tasks of one stage run sequentially.
 */
export class InlineBackend implements SchedulerBackend {
  readonly master = 'inline';
  readonly defaultParallelism = 1;
  readonly #executorId = `inline-${process.pid}`;
  #closed = false;

  async runStage(stage: StageSpec, listener?: StageListener): Promise<TaskResult[]> {
    if (this.#closed) throw new StageFailedError('INTERNAL', 'The inline backend is closed');
    const results: TaskResult[] = [];
    for (const task of stage.tasks) results.push(await this.#runWithRetries(task, stage, listener));
    return results;
  }

  async #runWithRetries(task: TaskDescription, stage: StageSpec, listener?: StageListener): Promise<TaskResult> {
    const maxAttempts = Math.max(1, stage.maxAttempts);
    for (let attempt = 0; ; attempt++) {
      stage.signal?.throwIfAborted();
      const desc = JSON.parse(JSON.stringify(task)) as TaskDescription;
      listener?.onTaskStarted?.(task.partition, attempt, this.#executorId);
      try {
        const result = await runTask(desc, { executorId: this.#executorId, signal: stage.signal ?? new AbortController().signal, attempt });
        const sent = JSON.parse(JSON.stringify(result)) as TaskResult;
        listener?.onTaskSucceeded?.(sent);
        return sent;
      } catch (err) {
        const willRetry = attempt + 1 < maxAttempts && !isUnrecoverable(err);
        listener?.onTaskFailed?.(task.partition, attempt, err instanceof Error ? err.message : String(err), willRetry);
        if (!willRetry) {
          if (err instanceof KjobError) throw err;
          throw new StageFailedError('TASK_FAILED', `Task ${task.partition} of stage ${stage.stageId} (job ${stage.jobId}) failed after ${attempt + 1} attempt(s): ${err instanceof Error ? err.message : String(err)}`, {
            cause: err,
            context: { jobId: stage.jobId, stageId: stage.stageId, partition: task.partition, attempts: attempt + 1 },
          });
        }
      }
    }
  }

  async executors(): Promise<ExecutorInfo[]> {
    return [{ executorId: this.#executorId, host: 'localhost', pid: process.pid, cores: 1, lastHeartbeat: Date.now() }];
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

/** Plan and configuration errors fail the same way on every attempt: do not retry them. */
function isUnrecoverable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'PLAN_INVALID' || code === 'CONFIG_INVALID' || code === 'SCHEMA_MISMATCH';
}
