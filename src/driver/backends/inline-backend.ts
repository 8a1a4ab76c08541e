import { runTask } from '../../executor/task-runner.js';
import { KjobError } from '../../errors/kjob-error.js';
import { TaskFailedError } from '../../errors/task-failed-error.js';
import { toTaskFailure } from '../../protocol/task-failure.js';
import type { ExecutorInfo, SchedulerBackend, StageListener, StageSpec, TaskDescription, TaskResult } from '../../protocol/task.js';

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
    if (this.#closed) throw new KjobError('INTERNAL', 'The inline backend is closed');
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
          // The same error type as the local and redis backends raise, so jobs behave alike on every master.
          const e = err instanceof Error ? err : new Error(String(err));
          const code = (err as { code?: unknown }).code;
          const details = toTaskFailure(err).details;
          throw new TaskFailedError({
            appId: stage.appId,
            jobId: stage.jobId,
            stageId: stage.stageId,
            partition: task.partition,
            numPartitions: task.numPartitions,
            attempts: attempt + 1,
            errorName: e.name,
            errorMessage: e.message,
            ...(typeof code === 'string' ? { errorCode: code } : {}),
            ...(details ? { errorDetails: details } : {}),
            executorId: this.#executorId,
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
