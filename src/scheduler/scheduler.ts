import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DelayedError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { runChild, type ChildRunResult } from './child-run.js';
import { dueRunOf, retryDelayMs, type DueRun } from './due-run.js';
import type { RunHistoryEntry } from './run-history.js';
import { RunLock } from './run-lock.js';
import type { ScheduleDefinition } from './schedule-definition.js';
import { SCHEDULES_QUEUE, scheduleKeys } from './schedule-keys.js';
import { ScheduleStore, type DueRunData } from './schedule-store.js';
import { SchedulerHeartbeat } from './scheduler-heartbeat.js';

export interface SchedulerOptions {
  /** The schedule store's Redis, also the default master of runs. */
  readonly url: string;
  readonly display: string;
  readonly prefix: string;
  /** Runs this process starts at once (over all schedules). */
  readonly concurrency: number;
  readonly log: Logger;
  readonly schedulerId?: string;
  /** The overlap lock's TTL; it is renewed every third of it while a run runs. */
  readonly lockTtlMs?: number;
  /** After SIGTERM to a child (timeout, shutdown), how long before SIGKILL. */
  readonly killGraceMs?: number;
  /** Overlap policy `queue`: how often a waiting due run looks at the lock again. */
  readonly queuePollMs?: number;
  readonly retryBaseMs?: number;
  /** The registration's TTL (`kjob health scheduler`); refreshed every third of it. */
  readonly heartbeatTtlMs?: number;
}

const STARTED_MARKER_TTL_S = 7 * 86_400;

/**
 * `kjob scheduler`: a BullMQ Worker on the schedules queue. BullMQ's job schedulers create one job per
 * due run with a deterministic id and hand each job to exactly one worker, so several schedulers can
 * run for availability. Per run: the overlap lock (a Redis lock with a renewed TTL, shared by every
 * scheduler), a started-marker so a redelivered due run never starts twice, then one `kjob submit`
 * child per attempt, each attempt recorded in the history.
 */
export class Scheduler {
  readonly schedulerId: string;
  readonly #o: SchedulerOptions;
  readonly #store: ScheduleStore;
  readonly #workerConn: Redis;
  #worker: Worker<DueRunData> | undefined;
  #heartbeat: SchedulerHeartbeat | undefined;
  readonly #shutdown = new AbortController();
  #stopping: Promise<void> | undefined;

  private constructor(o: SchedulerOptions) {
    this.#o = o;
    this.schedulerId = o.schedulerId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 4)}`;
    this.#store = new ScheduleStore(o.url, o.prefix);
    this.#workerConn = new Redis(o.url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: 5000 });
    this.#workerConn.on('error', (err) => o.log.debug({ err: err.message }, 'redis connection error'));
  }

  static async start(o: SchedulerOptions): Promise<Scheduler> {
    const s = new Scheduler(o);
    await s.#store.connect(o.display);
    await s.#workerConn.connect();
    s.#worker = new Worker<DueRunData>(SCHEDULES_QUEUE, (job, token) => s.#process(job, token), {
      connection: s.#workerConn,
      prefix: o.prefix,
      concurrency: o.concurrency,
      drainDelay: 1,
    });
    s.#worker.on('error', (err) => o.log.warn({ err: err.message }, 'scheduler worker error'));
    // Failures of the scheduler's own bookkeeping (Redis gone mid-run …): the run's outcome may be unrecorded.
    s.#worker.on('failed', (job, err) => o.log.error({ runId: job?.id, schedule: job?.data.schedule, err: err.message }, 'handling a due run failed'));
    // Registered once it takes due runs: what `kjob health scheduler` (the compose health check) looks for.
    s.#heartbeat = new SchedulerHeartbeat(s.#store.redis, o.prefix, { schedulerId: s.schedulerId, host: hostname(), pid: process.pid }, o.heartbeatTtlMs);
    await s.#heartbeat.start((err) => o.log.warn({ err: (err as Error).message }, 'scheduler heartbeat failed'));
    const schedules = await s.#store.list();
    o.log.info({ schedulerId: s.schedulerId, store: o.display, prefix: o.prefix, concurrency: o.concurrency, schedules: schedules.length }, 'scheduler started');
    return s;
  }

  /**
   * Stops taking due runs; running runs get `graceMs` to finish, then their children are stopped
   * (SIGTERM, SIGKILL after killGraceMs) and recorded as failed ("interrupted"). Due runs not taken stay
   * in Redis for the other (or the next) scheduler.
   */
  shutdown(graceMs: number): Promise<void> {
    this.#stopping ??= (async () => {
      const t = setTimeout(() => this.#shutdown.abort(), graceMs);
      try {
        await this.#heartbeat?.stop().catch(() => undefined);
        await this.#worker?.close();
      } finally {
        clearTimeout(t);
        await this.#store.close();
        this.#workerConn.disconnect();
      }
      this.#o.log.info({ schedulerId: this.schedulerId }, 'scheduler stopped');
    })();
    return this.#stopping;
  }

  async #process(job: Job<DueRunData>, token: string | undefined): Promise<void> {
    const due = dueRunOf(job);
    const log = this.#o.log.child({ schedule: due.schedule, runId: due.runId });
    const def = await this.#store.get(due.schedule);
    if (!def) {
      log.info('the schedule was removed; due run dropped');
      return;
    }
    const lockKey = scheduleKeys.lock(this.#o.prefix, def.name);
    const acquired = await RunLock.acquire(this.#store.redis, lockKey, due.runId, this.#o.lockTtlMs ?? 30_000);
    if (!acquired.lock) {
      if (acquired.holder === due.runId || def.overlap === 'queue') {
        // queue: wait for the running run. Own run id: redelivered (stalled) while its first delivery
        // runs or its dead scheduler's lock has not expired yet: look again later (see the marker below).
        await job.moveToDelayed(Date.now() + (this.#o.queuePollMs ?? 1000), token);
        throw new DelayedError();
      }
      const now = new Date().toISOString();
      await this.#store.appendHistory(this.#entry(def, due, 1, { endedAt: now, outcome: 'skipped', error: `skipped: run ${acquired.holder ?? '?'} of this schedule was still running (overlap policy skip)` }));
      log.info({ running: acquired.holder }, 'due run skipped: the previous run is still running');
      return;
    }
    try {
      const markerKey = scheduleKeys.started(this.#o.prefix, def.name, due.runId);
      const first = await this.#store.redis.set(markerKey, this.schedulerId, 'EX', STARTED_MARKER_TTL_S, 'NX');
      if (first !== 'OK') {
        // Redelivered after its scheduler died mid-run (its lock expired): never start a job twice, but say so.
        const owner = await this.#store.redis.get(markerKey);
        if (owner?.startsWith('done:')) {
          log.debug('due run redelivered after it finished; nothing to do');
          return;
        }
        const error = `run started by scheduler ${owner ?? '?'}, which stopped before recording its end; not started again`;
        await this.#store.appendHistory(this.#entry(def, due, 1, { endedAt: new Date().toISOString(), outcome: 'failed', error }));
        log.error({ err: error }, 'scheduled run lost');
        return;
      }
      try {
        await this.#runAttempts(def, due, log);
      } finally {
        await this.#store.redis.set(markerKey, `done:${this.schedulerId}`, 'EX', STARTED_MARKER_TTL_S);
      }
    } finally {
      await acquired.lock.release();
    }
  }

  async #runAttempts(def: ScheduleDefinition, due: DueRun, log: Logger): Promise<void> {
    const attempts = def.retries + 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const startedAt = new Date();
      log.info({ attempt, job: def.job, master: def.master ?? this.#o.display }, 'scheduled run started');
      let result: ChildRunResult;
      try {
        result = await runChild({
          job: def.job,
          master: def.master ?? this.#o.url,
          appName: def.appName,
          conf: def.conf,
          timeoutMs: def.timeoutMs,
          killGraceMs: this.#o.killGraceMs ?? 5000,
          signal: this.#shutdown.signal,
          env: { KJOB_REDIS_PREFIX: this.#o.prefix, KJOB_SCHEDULE: def.name, KJOB_RUN_ID: due.runId },
        });
      } catch (e) {
        result = { outcome: 'failed', exitCode: null, exitSignal: null, report: undefined, error: `could not start kjob submit: ${(e as Error).message}` };
      }
      const writes = result.report?.writes ?? [];
      const requestIds = writes.flatMap((w) => (w.requestId ? [w.requestId] : []));
      await this.#store.appendHistory(
        this.#entry(def, due, attempt, {
          startedAt: startedAt.toISOString(),
          endedAt: new Date().toISOString(),
          outcome: result.outcome,
          exitCode: result.exitCode,
          ...(result.report ? { rowsWritten: writes.reduce((n, w) => n + (w.skipped ? 0 : w.rows), 0) } : {}),
          ...(requestIds.length ? { requestIds } : {}),
          ...(result.error !== undefined ? { error: result.error } : {}),
        }),
      );
      const fields = { attempt, outcome: result.outcome, exitCode: result.exitCode, elapsedMs: Date.now() - startedAt.getTime() };
      if (result.outcome === 'succeeded') {
        log.info(fields, 'scheduled run finished');
        return;
      }
      const last = attempt === attempts || this.#shutdown.signal.aborted;
      if (last) {
        log.error({ ...fields, attempts: attempt, err: result.error }, 'scheduled run failed');
        return;
      }
      const delay = retryDelayMs(attempt, this.#o.retryBaseMs);
      log.warn({ ...fields, retryInMs: delay, err: result.error }, 'scheduled run failed; retrying');
      if (!(await this.#sleepUnlessShutdown(delay))) {
        log.error({ ...fields, attempts: attempt, err: result.error }, 'scheduled run failed (no retry: the scheduler shut down)');
        return;
      }
    }
  }

  /** False when shutdown's grace ran out during the wait. */
  #sleepUnlessShutdown(ms: number): Promise<boolean> {
    const signal = this.#shutdown.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #entry(def: ScheduleDefinition, due: DueRun, attempt: number, rest: Omit<RunHistoryEntry, 'runId' | 'schedule' | 'trigger' | 'attempt' | 'dueAt' | 'scheduler'>): RunHistoryEntry {
    return { runId: due.runId, schedule: def.name, trigger: due.trigger, attempt, dueAt: due.dueAt.toISOString(), ...rest, scheduler: this.schedulerId };
  }
}
