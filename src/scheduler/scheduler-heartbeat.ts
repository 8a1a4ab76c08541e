import type { Redis } from 'ioredis';
import { scheduleKeys } from './schedule-keys.js';

/** A running scheduler process, as its heartbeat registers it. */
export interface SchedulerInfo {
  readonly schedulerId: string;
  readonly host: string;
  readonly pid: number;
  readonly lastHeartbeat: number;
}

/** How long a scheduler's registration survives without a heartbeat (refreshed every third of it). */
export const SCHEDULER_HEARTBEAT_TTL_MS = 10_000;

/**
 * A scheduler's registration, like an executor's (src/executor/heartbeat.ts): `scheduler(id)` holds
 * its SchedulerInfo with a TTL the heartbeat refreshes, so a dead scheduler (even SIGKILLed) or one
 * that lost Redis disappears within the TTL; the `schedulers` set is an index pruned by readers.
 * `kjob health scheduler` (the compose health check) looks for this process's registration.
 */
export class SchedulerHeartbeat {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #info: Omit<SchedulerInfo, 'lastHeartbeat'>;
  readonly #ttlMs: number;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(redis: Redis, prefix: string, info: Omit<SchedulerInfo, 'lastHeartbeat'>, ttlMs = SCHEDULER_HEARTBEAT_TTL_MS) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#info = info;
    this.#ttlMs = ttlMs;
  }

  async start(onError: (err: unknown) => void): Promise<void> {
    await this.beat();
    this.#timer = setInterval(() => {
      this.#inFlight = this.beat().catch(onError);
    }, Math.max(200, Math.floor(this.#ttlMs / 3)));
    this.#timer.unref();
  }

  async beat(): Promise<void> {
    if (this.#stopped) return;
    const info: SchedulerInfo = { ...this.#info, lastHeartbeat: Date.now() };
    await this.#redis
      .multi()
      .set(scheduleKeys.scheduler(this.#prefix, info.schedulerId), JSON.stringify(info), 'PX', this.#ttlMs)
      .sadd(scheduleKeys.schedulers(this.#prefix), info.schedulerId)
      .exec();
  }

  /** Deregisters at once (graceful shutdown) instead of waiting for the TTL. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    // A beat already on the wire must land before the deletion, or it would register us again.
    await this.#inFlight;
    await this.#redis.multi().del(scheduleKeys.scheduler(this.#prefix, this.#info.schedulerId)).srem(scheduleKeys.schedulers(this.#prefix), this.#info.schedulerId).exec();
  }
}

/** The schedulers whose heartbeat has not expired; stale index entries are removed. */
export async function listLiveSchedulers(redis: Redis, prefix: string): Promise<SchedulerInfo[]> {
  const ids = (await redis.smembers(scheduleKeys.schedulers(prefix))).sort();
  if (ids.length === 0) return [];
  const values = await redis.mget(ids.map((id) => scheduleKeys.scheduler(prefix, id)));
  const live: SchedulerInfo[] = [];
  const stale: string[] = [];
  values.forEach((v, i) => {
    if (v === null) stale.push(ids[i]!);
    else {
      const o = JSON.parse(v) as Record<string, unknown>;
      live.push({ schedulerId: String(o['schedulerId']), host: String(o['host']), pid: Number(o['pid']), lastHeartbeat: Number(o['lastHeartbeat']) });
    }
  });
  if (stale.length > 0) await redis.srem(scheduleKeys.schedulers(prefix), ...stale);
  return live;
}
