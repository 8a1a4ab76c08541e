import type { StageListener, StageSpec, TaskResult } from '../../protocol/task.js';
import type { TaskFailure } from '../../protocol/task-failure.js';
import { TaskFailedError } from '../../errors/task-failed-error.js';
import { KjobError } from '../../errors/kjob-error.js';

/**
 * The accounting of one stage, shared by both backends: accepts exactly one result per partition
 * (the first successful attempt; later ones — e.g. a retried task whose first attempt finished after
 * all — are ignored), forwards events to the listener, and settles once: resolved with the results in
 * partition order, or rejected with the first final failure.
 *
 * CONCURRENCY: called from one event loop only (the driver's), by the backend's event handlers.
 */
export class StageTracker {
  readonly promise: Promise<TaskResult[]>;
  readonly #stage: StageSpec;
  readonly #listener: StageListener | undefined;
  readonly #results: Array<TaskResult | undefined>;
  #remaining: number;
  #settled = false;
  #resolve!: (r: TaskResult[]) => void;
  #reject!: (e: Error) => void;

  constructor(stage: StageSpec, listener?: StageListener) {
    this.#stage = stage;
    this.#listener = listener;
    this.#results = new Array<TaskResult | undefined>(stage.tasks.length).fill(undefined);
    this.#remaining = stage.tasks.length;
    this.promise = new Promise<TaskResult[]>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (this.#remaining === 0) this.#finish();
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** Index of the task for `partition` in the stage (tasks need not be in partition order). */
  indexOf(partition: number): number {
    return this.#stage.tasks.findIndex((t) => t.partition === partition);
  }

  isDone(partition: number): boolean {
    const i = this.indexOf(partition);
    return i >= 0 && this.#results[i] !== undefined;
  }

  started(partition: number, attempt: number, executorId: string): void {
    if (this.#settled || this.isDone(partition)) return;
    this.#listener?.onTaskStarted?.(partition, attempt, executorId);
  }

  /** Returns true when the result was accepted (first success for its partition). */
  succeeded(result: TaskResult): boolean {
    const i = this.indexOf(result.partition);
    if (this.#settled || i < 0 || this.#results[i] !== undefined) return false;
    this.#results[i] = result;
    this.#remaining--;
    this.#listener?.onTaskSucceeded?.(result);
    if (this.#remaining === 0) this.#finish();
    return true;
  }

  /** One attempt failed; when it will not be retried, the stage fails with the task's error. */
  failed(partition: number, attempt: number, failure: TaskFailure, willRetry: boolean, where: { executorId?: string; attempts?: number } = {}): void {
    if (this.#settled || this.isDone(partition)) return;
    this.#listener?.onTaskFailed?.(partition, attempt, `${failure.name}: ${failure.message}`, willRetry);
    if (willRetry) return;
    const task = this.#stage.tasks[this.indexOf(partition)];
    this.fail(
      new TaskFailedError({
        appId: this.#stage.appId,
        jobId: this.#stage.jobId,
        stageId: this.#stage.stageId,
        partition,
        numPartitions: task?.numPartitions ?? this.#stage.tasks.length,
        attempts: where.attempts ?? attempt + 1,
        errorName: failure.name,
        errorMessage: failure.message,
        ...(failure.code ? { errorCode: failure.code } : {}),
        ...(failure.details ? { errorDetails: failure.details } : {}),
        ...(where.executorId ? { executorId: where.executorId } : {}),
      }),
    );
  }

  /** Fails the stage for a reason outside any task (cancellation, lost backend). */
  fail(error: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(error);
  }

  cancelled(reason: unknown): void {
    this.fail(
      new KjobError('JOB_CANCELLED', `Stage ${this.#stage.stageId} of job ${this.#stage.jobId} was cancelled`, {
        context: { jobId: this.#stage.jobId, stageId: this.#stage.stageId },
        ...(reason instanceof Error ? { cause: reason } : {}),
      }),
    );
  }

  #finish(): void {
    this.#settled = true;
    this.#resolve(this.#results as TaskResult[]);
  }
}
