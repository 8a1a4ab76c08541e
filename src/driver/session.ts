import { randomBytes } from 'node:crypto';
import type { Table } from 'apache-arrow';
import type { Logger } from 'pino';
import { toArrowSchema, type SchemaSpec } from '../arrow/schema-spec.js';
import type { DriverContext } from '../datasource/datasource.js';
import { DEFAULT_LOCAL_DATA_MAX_BYTES, localDataNode } from '../datasource/memory/local-data.js';
import { ConfigError, KjobError } from '../errors/kjob-error.js';
import { abortIfExecutorImport } from '../executor/job-module.js';
import { analyze } from '../plan/analyze.js';
import type { RangeNode } from '../plan/plan-node.js';
import type { SchedulerBackend, StageListener, StageSpec } from '../protocol/task.js';
import { childLogger } from '../util/logger.js';
import { isSecretOptionKey } from '../util/redact.js';
import { taskSecretSealerFor } from '../protocol/task-secret-key.js';
import { DataFrame } from './dataframe.js';
import { DataFrameReader } from './dataframe-reader.js';
import { RuntimeConfig } from './runtime-config.js';
import { resolveBackend } from './resolve-backend.js';
import type { ActionHost } from './run-action.js';
import { SessionBuilder, type StageListenerFactory } from './session-builder.js';

/** Session config keys kjob reads. */
export const CONF = {
  /** Absolute path of the job module executors import for partition functions (else env KJOB_JOB_MODULE). */
  jobModule: 'kjob.jobModule',
  /** Attempts per task before the action fails. @defaultValue 4 (also read from spark.task.maxFailures) */
  maxAttempts: 'kjob.task.maxAttempts',
  /** Cap on createDataFrame data carried inside tasks, in bytes. @defaultValue 16 MiB */
  localDataMaxBytes: 'kjob.localData.maxBytes',
} as const;

interface SessionSettings {
  readonly appName: string;
  readonly master: string;
  readonly conf: ReadonlyMap<string, string>;
  readonly listener: StageListenerFactory | undefined;
}


let active: Session | undefined;

/**
 * The entry point of a job: reads data, creates DataFrames and runs their actions on a scheduler
 * backend.
 *
 * @example
 * const spark = await Session.builder().appName('flights').getOrCreate();
 * await spark.range(10).filter(col('id').gt(5)).show();
 * await spark.stop();
 */
export class Session {
  readonly appName: string;
  readonly master: string;
  readonly appId: string;
  /** The runtime configuration: `conf.get(key)`, `conf.set(key, value)`, `conf.unset(key)`, `conf.getAll()` (runtime-config.ts). */
  readonly conf: RuntimeConfig;
  /** The map behind `conf`, handed to data sources (the Kusto source writes its storage keys into it). */
  readonly #confEntries: Map<string, string>;
  /** The job module path executors import (config kjob.jobModule, else env KJOB_JOB_MODULE). */
  readonly jobModule: string | undefined;
  readonly #log: Logger;
  readonly #backend: SchedulerBackend;
  readonly #listener: StageListenerFactory | undefined;
  readonly #host: ActionHost;
  #jobs = 0;
  #stopped = false;
  /** Asynchronous writes still running: stop() waits for them (additive, sink's writeEnableAsync). */
  readonly #background = new Set<Promise<unknown>>();

  private constructor(settings: SessionSettings, appId: string, backend: SchedulerBackend, log: Logger, jobModule: string | undefined) {
    this.appName = settings.appName;
    this.master = settings.master;
    this.#confEntries = new Map(settings.conf);
    this.conf = new RuntimeConfig(this.#confEntries);
    this.appId = appId;
    this.jobModule = jobModule;
    this.#backend = backend;
    this.#log = log;
    this.#listener = settings.listener;
    this.#host = this.#makeHost();
  }

  static builder(): SessionBuilder {
    return new SessionBuilder();
  }

  /** The active (not stopped) session, if any. */
  static active(): Session | undefined {
    return active;
  }

  /** @internal Used by SessionBuilder.getOrCreate. */
  static async getOrCreateFrom(settings: SessionSettings): Promise<Session> {
    // Inside an executor's import of the job module the job itself must not run (see job-module.ts).
    abortIfExecutorImport();
    if (active && !active.#stopped) return active;
    const appId = `app-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(4).toString('hex')}`;
    const log = childLogger({ component: 'driver', appId, appName: settings.appName });
    const jobModule = settings.conf.get(CONF.jobModule) ?? process.env['KJOB_JOB_MODULE'] ?? undefined;
    const backend = await resolveBackend(settings.master, { appId, appName: settings.appName, log, conf: settings.conf, ...(jobModule ? { jobModule } : {}) });
    active = new Session(settings, appId, backend, log, jobModule);
    log.debug({ master: settings.master }, 'session started');
    return active;
  }

  /** Default parallelism of the backend (cores of local[N], or live executor cores). */
  get defaultParallelism(): number {
    return this.#backend.defaultParallelism;
  }

  /** A reader for data sources (immutable builder). */
  get read(): DataFrameReader {
    return new DataFrameReader(this.#host);
  }

  /**
   * A DataFrame over in-driver data: row objects (schema inferred unless given) or an Arrow table.
   * The data travels inside the tasks, so it is capped (config kjob.localData.maxBytes, 16 MiB).
   */
  createDataFrame(data: readonly Record<string, unknown>[] | Table, schema?: SchemaSpec, options: { partitions?: number } = {}): DataFrame {
    const node = localDataNode(data, {
      ...(schema !== undefined ? { schema: toArrowSchema(schema) } : {}),
      ...(options.partitions !== undefined ? { partitions: options.partitions } : {}),
      maxBytes: this.#confNumber(CONF.localDataMaxBytes, DEFAULT_LOCAL_DATA_MAX_BYTES),
    });
    return new DataFrame(this.#host, { node, schema: analyze(node) });
  }

  /**
   * A single int64 column `id` from start (inclusive) to end (exclusive) by step: `range(n)`,
   * `range(n, { partitions })`, `range(start, end, step?, { partitions }?)`. Default partitions: the
   * backend's default parallelism.
   */
  range(end: number | bigint, options?: { partitions?: number }): DataFrame;
  range(start: number | bigint, end: number | bigint, step?: number | bigint, options?: { partitions?: number }): DataFrame;
  range(a: number | bigint, b?: number | bigint | { partitions?: number }, c?: number | bigint | { partitions?: number }, d?: { partitions?: number }): DataFrame {
    const isOpts = (x: unknown): x is { partitions?: number } => typeof x === 'object' && x !== null;
    let start = 0n;
    let end: bigint;
    let step = 1n;
    let opts: { partitions?: number } = {};
    if (b === undefined || isOpts(b)) {
      end = toBig(a, 'end');
      opts = b ?? {};
    } else {
      start = toBig(a, 'start');
      end = toBig(b, 'end');
      if (c !== undefined && !isOpts(c)) step = toBig(c, 'step');
      opts = (isOpts(c) ? c : d) ?? {};
    }
    if (step === 0n) throw new ConfigError('range(): step must not be 0', { context: { option: 'step' } });
    const partitions = opts.partitions ?? Math.max(1, this.defaultParallelism);
    if (!Number.isSafeInteger(partitions) || partitions < 1) throw new ConfigError(`range(): partitions must be a positive integer, got ${partitions}`, { context: { option: 'partitions' } });
    const node: RangeNode = { kind: 'Range', start: String(start), end: String(end), step: String(step), partitions };
    return new DataFrame(this.#host, { node, schema: analyze(node) });
  }

  /** Stops the session and its backend (idempotent). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    if (this.#background.size > 0) {
      this.#log.warn({ pending: this.#background.size }, 'stop(): waiting for asynchronous writes to finish');
      while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
    }
    if (this.#stopped) return;
    this.#stopped = true;
    if (active === this) active = undefined;
    await this.#backend.close();
  }

  #confNumber(key: string, fallback: number): number {
    const v = this.conf.get(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`Session config '${key}' must be a positive number, got '${v}'`, { context: { option: key } });
    return n;
  }

  #makeHost(): ActionHost {
    const entries = this.#confEntries;
    const maxAttempts = this.#confNumber(CONF.maxAttempts, Number(this.conf.get('spark.task.maxFailures') ?? 4));
    return {
      appId: this.appId,
      appName: this.appName,
      jobModule: this.jobModule,
      maxAttempts,
      // Read per action, as conf.set() may have changed it. Conf keys that name credentials never
      // travel inside tasks (executors resolve their own, or get them sealed).
      get taskConf() {
        return Object.fromEntries([...entries].filter(([k]) => !isSecretOptionKey(k)));
      },
      backend: async () => this.#backend,
      driverContext: (jobId: string): DriverContext => ({
        appName: this.appName,
        appId: this.appId,
        jobId,
        conf: entries,
        log: this.#log.child({ jobId }),
        defaultParallelism: this.#backend.defaultParallelism,
        taskSecrets: taskSecretSealerFor(this.master),
      }),
      nextJobId: () => `job-${++this.#jobs}`,
      listenerFor: (stage: StageSpec): StageListener | undefined => this.#listener?.(stage),
      trackBackground: (work: Promise<unknown>) => {
        this.#background.add(work);
        const done = () => void this.#background.delete(work);
        work.then(done, done);
      },
      checkCanRun: () => {
        abortIfExecutorImport();
        if (this.#stopped) throw new KjobError('JOB_CANCELLED', `Session ${this.appId} is stopped`);
      },
    };
  }
}

function toBig(v: number | bigint, name: string): bigint {
  if (typeof v === 'bigint') return v;
  if (!Number.isSafeInteger(v)) throw new ConfigError(`range(): ${name} must be an integer, got ${v}`, { context: { option: name } });
  return BigInt(v);
}
