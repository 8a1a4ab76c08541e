import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { clusterKeys, queueName, type StageCancel } from '../protocol/cluster-keys.js';
import { TASK_PROTOCOL_VERSION, type TaskDescription, type TaskResult } from '../protocol/task.js';
import { encodeTaskFailure, toTaskFailure } from '../protocol/task-failure.js';
import type { TaskProgress } from '../protocol/task-progress.js';
import { ExecutorHeartbeat } from './heartbeat.js';
import { runTask } from './task-runner.js';

export interface ExecutorOptions {
  readonly url: string;
  /** The master without its password, for logs. */
  readonly display: string;
  readonly prefix: string;
  /** Tasks run at once, shared by the app queues being served. */
  readonly cores: number;
  readonly executorId?: string;
  /**
   * How long a task's lock lives without renewal. The worker renews it every half period while the
   * task runs, so long tasks keep it; a SIGKILLed executor's task becomes stalled once it expires.
   * @defaultValue 10000
   */
  readonly lockDurationMs: number;
  /** How often workers look for stalled tasks (and move them back to wait). @defaultValue 5000 */
  readonly stalledIntervalMs: number;
  /** Stalls a task survives before it fails. @defaultValue 2 */
  readonly maxStalledCount: number;
  /** How often the app registry is re-read, besides the change notifications. @defaultValue 5000 */
  readonly reconcileMs?: number;
  readonly heartbeatTtlMs?: number;
  readonly log: Logger;
}

interface InFlight {
  readonly appId: string;
  readonly desc: TaskDescription;
  readonly controller: AbortController;
}

/** Abort reasons: the executor is shutting down (give the task back), or the stage was cancelled. */
class ReleaseTask extends Error {
  override name = 'ReleaseTask';
}
class CancelTask extends Error {
  override name = 'TaskCancelledError';
}

/**
 * A `kjob executor` process: serves every application registered on the cluster's Redis with one
 * BullMQ Worker per application queue, running each task through `runTask` — the code the local[N]
 * backend runs in its threads.
 *
 * - Registration: a heartbeat key with a TTL (see heartbeat.ts) lets drivers list live executors.
 * - Apps: read from the registry set, on change notifications and periodically; an app whose driver
 *   stopped refreshing its alive key is dropped from the registry.
 * - Cores are shared: each app's Worker gets cores / apps concurrency (at least 1).
 * - Cancellation: a stage cancel message aborts the matching running tasks; they fail unrecoverably.
 * - Shutdown: stop taking tasks, let running ones finish within the grace period, then give the rest
 *   back to the queue (moveToWait, no attempt used) so another executor takes them.
 *
 * CONCURRENCY: all state lives on this process's event loop; processors, pub/sub handlers and timers
 * interleave only at awaits.
 */
export class Executor {
  readonly executorId: string;
  readonly #opts: ExecutorOptions;
  readonly #conn: Redis;
  readonly #sub: Redis;
  readonly #heartbeat: ExecutorHeartbeat;
  readonly #workers = new Map<string, Worker<TaskDescription, TaskResult>>();
  readonly #inflight = new Map<string, InFlight>();
  #reconcileTimer: NodeJS.Timeout | undefined;
  #reconciling: Promise<void> = Promise.resolve();
  #stopping: Promise<void> | undefined;

  private constructor(opts: ExecutorOptions) {
    this.#opts = opts;
    this.executorId = opts.executorId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 4)}`;
    this.#conn = new Redis(opts.url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: 5000 });
    this.#sub = this.#conn.duplicate();
    for (const c of [this.#conn, this.#sub]) c.on('error', (err) => opts.log.debug({ err: err.message }, 'redis connection error'));
    this.#heartbeat = new ExecutorHeartbeat(
      this.#conn,
      opts.prefix,
      { executorId: this.executorId, host: hostname(), pid: process.pid, cores: opts.cores },
      opts.heartbeatTtlMs,
    );
  }

  static async start(opts: ExecutorOptions): Promise<Executor> {
    const ex = new Executor(opts);
    await ex.#start();
    return ex;
  }

  /** Apps currently served (for tests and logs). */
  get apps(): string[] {
    return [...this.#workers.keys()];
  }

  async #start(): Promise<void> {
    const { prefix, log } = this.#opts;
    await this.#conn.connect();
    await this.#heartbeat.start((err) => log.warn({ err: (err as Error).message }, 'executor heartbeat failed'));
    this.#sub.on('message', (channel: string, message: string) => {
      if (channel === clusterKeys.appsChanged(prefix)) this.#scheduleReconcile();
      else if (channel === clusterKeys.cancel(prefix)) this.#onCancel(message);
    });
    await this.#sub.subscribe(clusterKeys.appsChanged(prefix), clusterKeys.cancel(prefix));
    this.#scheduleReconcile();
    await this.#reconciling;
    this.#reconcileTimer = setInterval(() => this.#scheduleReconcile(), this.#opts.reconcileMs ?? 5000);
    log.info({ executorId: this.executorId, master: this.#opts.display, prefix, cores: this.#opts.cores }, 'executor started');
  }

  #scheduleReconcile(): void {
    if (this.#stopping) return;
    this.#reconciling = this.#reconciling
      .then(() => this.#reconcile())
      .catch((err: Error) => this.#opts.log.warn({ err: err.message }, 'reading the app registry failed'));
  }

  /** Brings the set of Workers in line with the registry of live apps. */
  async #reconcile(): Promise<void> {
    if (this.#stopping) return;
    const { prefix } = this.#opts;
    const registered = await this.#conn.smembers(clusterKeys.apps(prefix));
    const alive = new Set<string>();
    if (registered.length > 0) {
      const flags = await this.#conn.mget(registered.map((a) => clusterKeys.appAlive(prefix, a)));
      registered.forEach((appId, i) => (flags[i] === null ? undefined : alive.add(appId)));
      const dead = registered.filter((a) => !alive.has(a));
      // The driver of these apps stopped refreshing its key (crashed): nobody will collect their results.
      if (dead.length > 0) await this.#conn.srem(clusterKeys.apps(prefix), ...dead);
    }
    for (const [appId, worker] of this.#workers) {
      if (alive.has(appId)) continue;
      this.#workers.delete(appId);
      this.#abortApp(appId);
      await worker.close().catch(() => undefined);
      this.#opts.log.info({ appId }, 'stopped serving app');
    }
    for (const appId of alive) if (!this.#workers.has(appId) && !this.#stopping) this.#workers.set(appId, this.#serve(appId));
    const perApp = Math.max(1, Math.floor(this.#opts.cores / Math.max(1, this.#workers.size)));
    for (const w of this.#workers.values()) if (w.concurrency !== perApp) w.concurrency = perApp;
  }

  #serve(appId: string): Worker<TaskDescription, TaskResult> {
    const o = this.#opts;
    const worker = new Worker<TaskDescription, TaskResult>(queueName(appId), (job, token) => this.#process(appId, job, token), {
      connection: this.#conn,
      prefix: o.prefix,
      concurrency: Math.max(1, o.cores),
      lockDuration: o.lockDurationMs,
      stalledInterval: o.stalledIntervalMs,
      maxStalledCount: o.maxStalledCount,
      drainDelay: 1,
    });
    // After the driver obliterated its queue, in-flight completions find no job key: expected, not alarming.
    worker.on('error', (err) => (/Missing (key|lock)/.test(err.message) ? o.log.debug : o.log.warn).call(o.log, { appId, err: err.message }, 'worker error'));
    o.log.info({ appId, queue: queueName(appId) }, 'serving app');
    return worker;
  }

  async #process(appId: string, job: Job<TaskDescription, TaskResult>, token: string | undefined): Promise<TaskResult> {
    const desc = job.data;
    const entry = job.id ?? '?';
    if (typeof desc !== 'object' || desc === null || desc.v !== TASK_PROTOCOL_VERSION || desc.appId !== appId) {
      throw new UnrecoverableError(
        encodeTaskFailure({
          name: 'TaskProtocolError',
          message: `task entry ${entry} is not a version-${TASK_PROTOCOL_VERSION} task of app ${appId} (got v=${String((desc as { v?: unknown } | null)?.v)})`,
          unrecoverable: true,
        }),
      );
    }
    // attemptsMade counts failed attempts only; a stalled attempt re-runs with the same count, so the
    // start counter keeps every attempt's id (and its output files) distinct.
    const attempt = Math.max(job.attemptsMade, (job.attemptsStarted ?? 1) - 1);
    const log = this.#opts.log.child({ appId, entry, attempt, executorId: this.executorId });
    if ((await this.#conn.exists(clusterKeys.cancelled(this.#opts.prefix, appId, desc.jobId, desc.stageId))) === 1) {
      throw new UnrecoverableError(encodeTaskFailure({ name: 'TaskCancelledError', message: `stage ${desc.stageId} of job ${desc.jobId} was cancelled`, unrecoverable: true }));
    }
    const controller = new AbortController();
    const key = `${appId}/${entry}/${token ?? ''}`;
    this.#inflight.set(key, { appId, desc, controller });
    const started = Date.now();
    try {
      await job.updateProgress({ kind: 'started', attempt, executorId: this.executorId } satisfies TaskProgress);
      log.debug('task started');
      const result = await untilAborted(runTask(desc, { executorId: this.executorId, signal: controller.signal, attempt }), controller.signal);
      log.info({ rowsRead: result.metrics.rowsRead, rowsWritten: result.metrics.rowsWritten, bytesRead: result.metrics.bytesRead, durationMs: Date.now() - started }, 'task finished');
      return result;
    } catch (err) {
      const reason: unknown = controller.signal.reason;
      if (controller.signal.aborted && reason instanceof ReleaseTask) {
        await job.moveToWait(token);
        log.info('task released to the queue (executor shutting down)');
        throw new WaitingError();
      }
      if (controller.signal.aborted && reason instanceof CancelTask) {
        throw new UnrecoverableError(encodeTaskFailure({ name: reason.name, message: reason.message, unrecoverable: true }));
      }
      const failure = toTaskFailure(err);
      const attemptsMade = job.attemptsMade + 1;
      const willRetry = !failure.unrecoverable && attemptsMade < (job.opts.attempts ?? 1);
      const encoded = encodeTaskFailure(failure);
      log.warn({ error: encoded, willRetry, durationMs: Date.now() - started }, 'task attempt failed');
      const progress: TaskProgress = { kind: 'attempt-failed', attempt, executorId: this.executorId, error: encoded, unrecoverable: failure.unrecoverable, willRetry, attemptsMade };
      await job.updateProgress(progress).catch(() => undefined);
      throw failure.unrecoverable ? new UnrecoverableError(encoded) : new Error(encoded);
    } finally {
      this.#inflight.delete(key);
    }
  }

  #onCancel(message: string): void {
    let c: StageCancel;
    try {
      c = JSON.parse(message) as StageCancel;
    } catch {
      return;
    }
    for (const t of this.#inflight.values()) {
      if (t.appId === c.appId && t.desc.jobId === c.jobId && t.desc.stageId === c.stageId) {
        t.controller.abort(new CancelTask(`stage ${c.stageId} of job ${c.jobId} was cancelled because another task failed`));
      }
    }
  }

  #abortApp(appId: string): void {
    for (const t of this.#inflight.values()) if (t.appId === appId) t.controller.abort(new CancelTask(`app ${appId} ended`));
  }

  /**
   * Graceful stop (SIGTERM): no new tasks; running ones get `graceMs` to finish, then are handed back
   * to their queue for another executor. Resolves when every Worker is closed and the executor is
   * deregistered.
   */
  shutdown(graceMs: number): Promise<void> {
    this.#stopping ??= (async () => {
      const log = this.#opts.log;
      clearInterval(this.#reconcileTimer);
      await this.#reconciling;
      log.info({ inFlight: this.#inflight.size, graceMs }, 'executor shutting down');
      const release = setTimeout(() => {
        for (const t of this.#inflight.values()) t.controller.abort(new ReleaseTask('executor shutting down'));
      }, graceMs);
      await Promise.all([...this.#workers.values()].map((w) => w.close().catch((err: Error) => log.warn({ err: err.message }, 'closing a worker failed'))));
      clearTimeout(release);
      this.#workers.clear();
      await this.#heartbeat.stop().catch(() => undefined);
      this.#sub.disconnect();
      await this.#conn.quit().catch(() => this.#conn.disconnect());
      log.info({ executorId: this.executorId }, 'executor stopped');
    })();
    return this.#stopping;
  }
}

/** Settles with the task, or rejects as soon as the signal fires, whether or not the task honours it. */
function untilAborted<T>(task: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    task.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}
