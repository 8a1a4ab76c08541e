import type { RecordBatch, Schema } from 'apache-arrow';
import type { Expr } from '../plan/expr.js';
import type { TaskInput } from '../plan/task-plan.js';
import type { TaskSecretSealer } from '../protocol/task-secret-key.js';

/**
 * The data-source contract, modelled on Spark's DataSource V2 batch read and write:
 * driver `planRead` → splits → executor `readSplit`; driver `prepareWrite` → executor `writeTask`
 * → driver `commitWrite` | `abortWrite`.
 *
 * Everything that crosses from driver to executor (options, splits, write-job state, commit
 * messages) is plain JSON and secret-free: executors resolve credentials from their own environment.
 */

/** Logger shape (pino-compatible subset). */
export interface Log {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** What the driver side of a source or sink may use. */
export interface DriverContext {
  readonly appName: string;
  readonly appId: string;
  readonly jobId: string;
  /** Session configuration (`session.conf`), e.g. storage keys `fs.azure.sas.<container>.<account>...`. */
  readonly conf: ReadonlyMap<string, string>;
  readonly log: Log;
  /** Default parallelism of the backend (cores of local[N], or live executor cores). */
  readonly defaultParallelism: number;
  /** Seals secrets that must reach executors (src/protocol/task-secret-key.ts); absent = in-process sealing. */
  readonly taskSecrets?: TaskSecretSealer;
  /**
   * Optional (additive; given to commitWrite by the writer): runs the sink's `runSinkTask(payload)` as
   * one more single-task stage of the write's job on an executor and returns its result.
   */
  readonly runSinkTask?: (payload: Readonly<Record<string, unknown>>) => Promise<Readonly<Record<string, unknown>>>;
}

/** What an executor-side read or write may use. */
export interface TaskContext {
  readonly appId: string;
  readonly jobId: string;
  readonly stageId: number;
  readonly partition: number;
  readonly numPartitions: number;
  /** 0-based attempt number of this task. */
  readonly attempt: number;
  /** Unique per attempt (`<jobId>.<stage>.<partition>.<attempt>`); sinks tag their output with it. */
  readonly attemptId: string;
  readonly executorId: string;
  readonly conf: ReadonlyMap<string, string>;
  readonly log: Log;
  readonly signal: AbortSignal;
}

/** One unit of input for one task: JSON chosen by the source (file + row groups, byte range, export file …). */
export type Split = Readonly<Record<string, unknown>> & { readonly description?: string; readonly estimatedBytes?: number };

/** What the planner offers a source for pushdown. */
export interface PushdownOffer {
  readonly filters: readonly Expr[];
  readonly requiredColumns?: readonly string[];
}

export interface ReadPlan {
  readonly schema: Schema;
  readonly splits: readonly Split[];
  /** The subset of offered filters the source applies itself; the planner keeps the rest. */
  readonly pushedFilters?: readonly Expr[];
  /** Options to ship to executors instead of the user's (e.g. resolved, with export paths). */
  readonly executorOptions?: Readonly<Record<string, string>>;
  /** Driver-side clean-up after the job (e.g. delete exported files). */
  readonly cleanup?: () => Promise<void>;
}

export type SaveMode = 'append' | 'overwrite' | 'errorifexists' | 'ignore';

/** Write-job state produced by `prepareWrite`; travels to every write task. */
export interface WriteJob {
  readonly format: string;
  readonly state: Readonly<Record<string, unknown>>;
  /** True when `prepareWrite` decided there is nothing to do (e.g. mode 'ignore' and the target exists). */
  readonly skip?: boolean;
  /**
   * Optional (additive): an asynchronous write. `save()` returns at once with `detail` and a handle;
   * the tasks and the commit run in the background (the session's stop() waits for them); the outcome
   * is `SaveResult.outcome` and `asyncWriteOutcome(id)` (src/driver/async-writes.ts).
   */
  readonly async?: { readonly id: string; readonly detail?: Readonly<Record<string, unknown>> };
}

/** Returned by a write task; only messages of accepted attempts reach `commitWrite`. */
export interface CommitMessage {
  readonly attemptId: string;
  readonly partition: number;
  readonly rows: number;
  readonly bytes: number;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface WriteSummary {
  readonly rows: number;
  readonly bytes: number;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface DataSource {
  /** Canonical format name and aliases, e.g. 'kusto' + 'com.microsoft.kusto.spark.datasource'. */
  readonly name: string;
  readonly aliases?: readonly string[];

  /** Validates options eagerly (driver, before any side effect); throws ConfigError naming the option. */
  validateReadOptions?(options: Readonly<Record<string, string>>, paths: readonly string[]): void;
  validateWriteOptions?(options: Readonly<Record<string, string>>, path: string | undefined, mode: SaveMode): void;

  /**
   * The schema of a read, without planning splits (driver, when `load()` resolves). Optional: without
   * it the driver calls planRead with an empty pushdown offer and runs its cleanup. Sources whose
   * planRead has side effects (e.g. an export) should implement it. (Additive.)
   */
  inferSchema?(options: Readonly<Record<string, string>>, paths: readonly string[], userSchema: Schema | undefined, ctx: DriverContext): Promise<Schema>;

  planRead?(
    options: Readonly<Record<string, string>>,
    paths: readonly string[],
    userSchema: Schema | undefined,
    pushdown: PushdownOffer,
    ctx: DriverContext,
  ): Promise<ReadPlan>;
  readSplit?(split: Split, options: Readonly<Record<string, string>>, schema: Schema, ctx: TaskContext): AsyncIterable<RecordBatch>;

  prepareWrite?(schema: Schema, options: Readonly<Record<string, string>>, path: string | undefined, mode: SaveMode, ctx: DriverContext): Promise<WriteJob>;
  /**
   * Optional (additive): regroups a write's planned task inputs on the driver before the stage runs,
   * e.g. several small splits read in sequence by one task so its output approaches a size the sink
   * prefers (see src/plan/write-task-sizing.ts). Must return every input exactly once; without it
   * there is one write task per planned partition.
   */
  planWriteTasks?(inputs: readonly TaskInput[], job: WriteJob, ctx: DriverContext): readonly TaskInput[];
  writeTask?(job: WriteJob, schema: Schema, batches: AsyncIterable<RecordBatch>, ctx: TaskContext): Promise<CommitMessage>;
  /** Optional (additive): executor side of DriverContext.runSinkTask (e.g. polling on an executor); secret-free payload. */
  runSinkTask?(payload: Readonly<Record<string, unknown>>, ctx: TaskContext): Promise<Readonly<Record<string, unknown>>>;
  commitWrite?(job: WriteJob, messages: readonly CommitMessage[], ctx: DriverContext): Promise<WriteSummary>;
  abortWrite?(job: WriteJob, messages: readonly CommitMessage[], ctx: DriverContext): Promise<void>;
}
