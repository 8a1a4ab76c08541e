import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { KjobError } from '../../errors/kjob-error.js';
import { NoLiveExecutorsError } from '../../errors/no-live-executors-error.js';
import { listLiveExecutors } from '../../executor/heartbeat.js';
import {
  APP_ALIVE_TTL_MS,
  clusterKeys,
  queueName,
  stageEntryPrefix,
  taskEntryId,
  type StageCancel,
} from '../../protocol/cluster-keys.js';
import type { ExecutorInfo, SchedulerBackend, StageListener, StageSpec, TaskResult } from '../../protocol/task.js';
import { decodeTaskFailure } from '../../protocol/task-failure.js';
import { parseTaskProgress } from '../../protocol/task-progress.js';
import { StageTracker } from './stage-tracker.js';

export interface BullmqBackendOptions {
  readonly url: string;
  /** The master without its password, for logs and errors. */
  readonly display: string;
  readonly appId: string;
  readonly appName: string;
  readonly prefix: string;
  readonly retryBackoffMs: number;
  readonly executorWaitTimeoutMs: number;
  readonly log: Logger;
}

/** How often unfinished tasks are checked directly, in case their QueueEvents event was missed. */
const SWEEP_INTERVAL_MS = 5000;

interface Entry {
  readonly tracker: StageTracker;
  readonly partition: number;
}

/**
 * `redis://` master: the driver side of the BullMQ cluster backend. One queue per application run
 * (`kjob-<appId>`, under the configured prefix), one entry per task with the deterministic id
 * `<jobId>:<stage>:<partition>`, `attempts = maxAttempts` with exponential backoff; executors
 * (src/executor/executor.ts) run them. Completion and failures arrive through QueueEvents, read from
 * the start of this app's event stream so no event published before the listener was ready is lost.
 *
 * When a task fails for good, the stage's other tasks are cancelled: waiting and delayed entries are
 * removed, a cancel key is set (checked by a task before it starts) and a cancel message aborts the
 * running ones. `close()` obliterates the app's queue and unregisters the app.
 *
 * CONCURRENCY: entries and trackers are mutated only from QueueEvents handlers and runStage, on the
 * driver's event loop.
 */
export class BullmqBackend implements SchedulerBackend {
  readonly master: string;
  readonly #opts: BullmqBackendOptions;
  readonly #conn: Redis;
  readonly #eventsConn: Redis;
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #entries = new Map<string, Entry>();
  readonly #cancelKeys: string[] = [];
  #parallelism = 0;
  #aliveTimer: NodeJS.Timeout | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #sweeping = false;
  #closed = false;

  private constructor(opts: BullmqBackendOptions, conn: Redis) {
    this.#opts = opts;
    this.master = opts.display;
    this.#conn = conn;
    this.#eventsConn = conn.duplicate();
    const name = queueName(opts.appId);
    this.#queue = new Queue(name, { connection: conn, prefix: opts.prefix, streams: { events: { maxLen: 100_000 } } });
    this.#events = new QueueEvents(name, { connection: this.#eventsConn, prefix: opts.prefix, lastEventId: '0-0' });
  }

  static async create(opts: BullmqBackendOptions): Promise<BullmqBackend> {
    const conn = new Redis(opts.url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: 5000 });
    conn.on('error', (err) => opts.log.debug({ err: err.message }, 'redis connection error'));
    try {
      await conn.connect();
      await conn.ping();
    } catch (err) {
      conn.disconnect();
      throw new KjobError('CONFIG_INVALID', `Cannot reach Redis at ${opts.display}: ${(err as Error).message}`, {
        cause: err,
        likelyCause: 'Redis is not running there, the port or database is wrong, or a firewall blocks it.',
        resolution: 'Check the --master URL (redis://host:port[/db]) and that `redis-cli -u <url> ping` answers PONG.',
        context: { master: opts.display },
      });
    }
    const backend = new BullmqBackend(opts, conn);
    try {
      await backend.#start();
    } catch (err) {
      await backend.close().catch(() => undefined);
      throw err;
    }
    return backend;
  }

  get defaultParallelism(): number {
    return Math.max(1, this.#parallelism);
  }

  async #start(): Promise<void> {
    this.#events.on('progress', ({ jobId, data }) => this.#onProgress(jobId, data));
    this.#events.on('completed', ({ jobId, returnvalue }) => this.#onCompleted(jobId, returnvalue));
    this.#events.on('failed', ({ jobId, failedReason }) => void this.#onFailed(jobId, failedReason));
    this.#events.on('error', (err) => this.#opts.log.warn({ err: err.message }, 'queue events listener error'));
    await this.#events.waitUntilReady();
    await this.#queue.waitUntilReady();
    await this.#markAlive();
    const { prefix, appId } = this.#opts;
    await this.#conn.multi().sadd(clusterKeys.apps(prefix), appId).publish(clusterKeys.appsChanged(prefix), appId).exec();
    this.#aliveTimer = setInterval(() => this.#markAlive().catch((err: Error) => this.#opts.log.warn({ err: err.message }, 'app heartbeat failed')), APP_ALIVE_TTL_MS / 3);
    this.#aliveTimer.unref();
    this.#sweepTimer = setInterval(() => void this.#sweep(), SWEEP_INTERVAL_MS);
    this.#sweepTimer.unref();
    const live = await this.executors();
    this.#opts.log.info(
      { master: this.master, queue: queueName(appId), prefix, executors: live.map((e) => `${e.executorId}@${e.host}(${e.cores})`), cores: this.#parallelism },
      `connected to the cluster: ${live.length} live executor${live.length === 1 ? '' : 's'}`,
    );
  }

  #markAlive(): Promise<unknown> {
    const { prefix, appId, appName } = this.#opts;
    return this.#conn.set(clusterKeys.appAlive(prefix, appId), JSON.stringify({ appName, pid: process.pid }), 'PX', APP_ALIVE_TTL_MS);
  }

  async runStage(stage: StageSpec, listener?: StageListener): Promise<TaskResult[]> {
    if (this.#closed) throw new Error('The BullMQ backend is closed');
    await this.#awaitExecutors();
    const tracker = new StageTracker(stage, listener);
    const ids = stage.tasks.map((t) => taskEntryId(t.jobId, t.stageId, t.partition));
    stage.tasks.forEach((t, i) => this.#entries.set(ids[i]!, { tracker, partition: t.partition }));
    const onAbort = () => tracker.cancelled(stage.signal?.reason);
    stage.signal?.addEventListener('abort', onAbort, { once: true });
    const finished = () => {
      stage.signal?.removeEventListener('abort', onAbort);
      for (const id of ids) this.#entries.delete(id);
    };
    tracker.promise.then(finished, () => {
      finished();
      void this.#cancelStage(stage).catch((err: Error) => this.#opts.log.warn({ err: err.message, stageId: stage.stageId }, 'cancelling the stage failed'));
    });
    this.#opts.log.debug({ jobId: stage.jobId, stageId: stage.stageId, tasks: ids.length, maxAttempts: stage.maxAttempts }, 'enqueueing stage');
    try {
      await this.#queue.addBulk(
        stage.tasks.map((t, i) => ({
          name: `stage-${t.stageId}`,
          data: t,
          opts: {
            jobId: ids[i]!,
            attempts: Math.max(1, stage.maxAttempts),
            backoff: { type: 'exponential', delay: this.#opts.retryBackoffMs },
          },
        })),
      );
    } catch (err) {
      tracker.fail(err as Error);
    }
    if (stage.signal?.aborted) onAbort();
    return tracker.promise;
  }

  #onProgress(jobId: string, data: unknown): void {
    const entry = this.#entries.get(jobId);
    const p = parseTaskProgress(data);
    if (!entry || !p) return;
    if (p.kind === 'started') {
      this.#opts.log.debug({ entry: jobId, attempt: p.attempt, executorId: p.executorId }, 'task started');
      entry.tracker.started(entry.partition, p.attempt, p.executorId);
    } else {
      this.#opts.log.debug({ entry: jobId, attempt: p.attempt, executorId: p.executorId, error: p.error, willRetry: p.willRetry }, 'task attempt failed');
      entry.tracker.failed(entry.partition, p.attempt, decodeTaskFailure(p.error, p.unrecoverable), p.willRetry, {
        executorId: p.executorId,
        attempts: p.attemptsMade,
      });
    }
  }

  #onCompleted(jobId: string, value: unknown): void {
    const entry = this.#entries.get(jobId);
    if (!entry) return;
    const result = parseTaskResult(value);
    if (!result || result.partition !== entry.partition) {
      entry.tracker.fail(new KjobError('INTERNAL', `Task entry ${jobId} completed with a malformed result`, { context: { entry: jobId } }));
      return;
    }
    entry.tracker.succeeded(result);
  }

  /** Final failure (attempts exhausted, unrecoverable error, or stalled too often). */
  async #onFailed(jobId: string, failedReason: string): Promise<void> {
    const entry = this.#entries.get(jobId);
    if (!entry || entry.tracker.settled) return;
    const job = await Job.fromId(this.#queue, jobId).catch(() => undefined);
    const progress = parseTaskProgress(job?.progress);
    const attempts = job?.attemptsMade ?? 1;
    entry.tracker.failed(entry.partition, Math.max(0, attempts - 1), decodeTaskFailure(failedReason ?? 'unknown failure'), false, {
      attempts,
      ...(progress ? { executorId: progress.executorId } : {}),
    });
  }

  /**
   * Safety net behind QueueEvents: an outcome whose event was lost (trimmed stream, reconnect) is
   * read from the entry itself, so a stage can never wait forever on a task that already ended.
   */
  async #sweep(): Promise<void> {
    if (this.#sweeping || this.#closed || this.#entries.size === 0) return;
    this.#sweeping = true;
    try {
      for (const [id, entry] of [...this.#entries]) {
        if (entry.tracker.settled || entry.tracker.isDone(entry.partition)) continue;
        const state = await this.#queue.getJobState(id);
        if (state !== 'completed' && state !== 'failed') continue;
        const job = await Job.fromId(this.#queue, id);
        if (!job) continue;
        this.#opts.log.debug({ entry: id, state }, 'task outcome found by sweep');
        if (state === 'completed') this.#onCompleted(id, job.returnvalue);
        else await this.#onFailed(id, job.failedReason);
      }
    } catch (err) {
      this.#opts.log.debug({ err: (err as Error).message }, 'sweep failed');
    } finally {
      this.#sweeping = false;
    }
  }

  async #cancelStage(stage: StageSpec): Promise<void> {
    if (this.#closed) return;
    const { prefix, appId } = this.#opts;
    const cancelKey = clusterKeys.cancelled(prefix, appId, stage.jobId, stage.stageId);
    this.#cancelKeys.push(cancelKey);
    await this.#conn.set(cancelKey, '1', 'PX', 3_600_000);
    const stagePrefix = stageEntryPrefix(stage.jobId, stage.stageId);
    const pending = await this.#queue.getJobs(['waiting', 'delayed', 'prioritized']);
    let removed = 0;
    for (const job of pending) {
      if (!job.id?.startsWith(stagePrefix)) continue;
      // An entry that became active meanwhile is locked and cannot be removed; the cancel message reaches it.
      removed += await job.remove().then(() => 1, () => 0);
    }
    const msg: StageCancel = { appId, jobId: stage.jobId, stageId: stage.stageId };
    await this.#conn.publish(clusterKeys.cancel(prefix), JSON.stringify(msg));
    this.#opts.log.debug({ jobId: stage.jobId, stageId: stage.stageId, removed }, 'stage cancelled');
  }

  async #awaitExecutors(): Promise<void> {
    if ((await this.executors()).length > 0) return;
    const waitMs = this.#opts.executorWaitTimeoutMs;
    this.#opts.log.warn(
      { master: this.master, prefix: this.#opts.prefix, waitMs },
      `no live kjob executor on ${this.master}; waiting up to ${Math.round(waitMs / 1000)} s (start one with: npx kjob executor --master ${this.master})`,
    );
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline && !this.#closed) {
      await new Promise((r) => setTimeout(r, Math.min(500, Math.max(1, deadline - Date.now()))));
      const live = await this.executors();
      if (live.length > 0) {
        this.#opts.log.info({ executors: live.length }, 'executors joined');
        return;
      }
    }
    throw new NoLiveExecutorsError(this.master, waitMs, this.#opts.prefix);
  }

  async executors(): Promise<ExecutorInfo[]> {
    const live = await listLiveExecutors(this.#conn, this.#opts.prefix);
    this.#parallelism = live.reduce((n, e) => n + e.cores, 0);
    return live;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#aliveTimer);
    clearInterval(this.#sweepTimer);
    const trackers = new Set([...this.#entries.values()].map((e) => e.tracker));
    for (const t of trackers) t.cancelled(new Error('The backend was closed'));
    this.#entries.clear();
    const { prefix, appId } = this.#opts;
    try {
      if (this.#conn.status === 'ready') {
        // Unregister first, so executors stop their Workers on this queue while it is being removed.
        // (A Worker's stalled-job check may still recreate its short-lived marker key for one interval.)
        await this.#conn
          .multi()
          .srem(clusterKeys.apps(prefix), appId)
          .del(clusterKeys.appAlive(prefix, appId), ...this.#cancelKeys)
          .publish(clusterKeys.appsChanged(prefix), appId)
          .exec();
        await this.#queue.obliterate({ force: true }).catch((err: Error) => this.#opts.log.warn({ err: err.message }, 'could not remove the app queue'));
      }
    } finally {
      await this.#events.close().catch(() => undefined);
      await this.#queue.close().catch(() => undefined);
      this.#eventsConn.disconnect();
      await this.#conn.quit().catch(() => this.#conn.disconnect());
    }
  }
}

/** Validates a TaskResult that crossed Redis (an executor may run another build). */
export function parseTaskResult(value: unknown): TaskResult | undefined {
  const v = typeof value === 'string' ? safeJson(value) : value;
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  const m = r['metrics'] as Record<string, unknown> | undefined;
  if (typeof r['partition'] !== 'number' || typeof r['attempt'] !== 'number' || typeof r['attemptId'] !== 'string' || typeof r['executorId'] !== 'string') return undefined;
  if (!m || typeof m !== 'object' || !['rowsRead', 'rowsWritten', 'bytesRead', 'bytesWritten', 'durationMs'].every((k) => typeof m[k] === 'number')) return undefined;
  return v as TaskResult;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
