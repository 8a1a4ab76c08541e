/**
 * What travels between driver and executors. Small, versioned, validated on receipt: an executor may
 * run another build than the driver. Never carries data (except createDataFrame's capped local data)
 * and never carries secrets in clear: a secret an executor needs travels sealed (sealed-secret.ts).
 */

export const TASK_PROTOCOL_VERSION = 1;

export interface TaskDescription {
  readonly v: typeof TASK_PROTOCOL_VERSION;
  readonly appId: string;
  readonly appName: string;
  readonly jobId: string;
  readonly stageId: number;
  readonly partition: number;
  readonly numPartitions: number;
  /** Absolute path or file URL of the job module, imported by executors for registered partition functions. */
  readonly jobModule?: string;
  /** Session configuration entries tasks may read (never secrets). */
  readonly conf: Readonly<Record<string, string>>;
  /** The per-task plan (splits, narrow operations, output), owned by src/plan. */
  readonly plan: unknown;
}

export interface TaskMetrics {
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly durationMs: number;
}

export interface TaskResult {
  readonly partition: number;
  readonly attempt: number;
  readonly attemptId: string;
  readonly executorId: string;
  readonly metrics: TaskMetrics;
  /** Action-specific output: Arrow IPC base64 (collect), a count, or a sink CommitMessage. */
  readonly output: unknown;
}

/** One stage = one task per partition; the backend runs them with retries and returns accepted results. */
export interface StageSpec {
  readonly appId: string;
  readonly jobId: string;
  readonly stageId: number;
  readonly tasks: readonly TaskDescription[];
  /** Attempts per task before the stage fails (spark.task.maxFailures). */
  readonly maxAttempts: number;
  readonly signal?: AbortSignal;
}

export interface StageListener {
  onTaskStarted?(partition: number, attempt: number, executorId: string): void;
  onTaskSucceeded?(result: TaskResult): void;
  onTaskFailed?(partition: number, attempt: number, error: string, willRetry: boolean): void;
}

export interface ExecutorInfo {
  readonly executorId: string;
  readonly host: string;
  readonly pid: number;
  readonly cores: number;
  readonly lastHeartbeat: number;
}

/**
 * Runs stages. `local[N]` (worker threads) and `redis://` (BullMQ) implement it; both end up calling
 * the same executor code (`runTask` in src/executor). `runStage` resolves with exactly one accepted
 * result per partition, or rejects (after cancelling outstanding tasks) with the failing task's error.
 */
export interface SchedulerBackend {
  readonly master: string;
  readonly defaultParallelism: number;
  runStage(stage: StageSpec, listener?: StageListener): Promise<TaskResult[]>;
  executors(): Promise<ExecutorInfo[]>;
  close(): Promise<void>;
}
