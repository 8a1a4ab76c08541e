import type { Redis } from 'ioredis';
import type { ExecutorInfo } from '../protocol/task.js';
import { clusterKeys, EXECUTOR_HEARTBEAT_TTL_MS } from '../protocol/cluster-keys.js';

/**
 * An executor's registration: `executor(id)` holds its ExecutorInfo with a TTL that the heartbeat
 * keeps refreshing, so an executor that dies (even SIGKILLed) disappears from `listLiveExecutors`
 * within the TTL; the `executors` set is only an index and is pruned by readers.
 */
export class ExecutorHeartbeat {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #info: Omit<ExecutorInfo, 'lastHeartbeat'>;
  readonly #ttlMs: number;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(redis: Redis, prefix: string, info: Omit<ExecutorInfo, 'lastHeartbeat'>, ttlMs = EXECUTOR_HEARTBEAT_TTL_MS) {
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
    const info: ExecutorInfo = { ...this.#info, lastHeartbeat: Date.now() };
    await this.#redis
      .multi()
      .set(clusterKeys.executor(this.#prefix, info.executorId), JSON.stringify(info), 'PX', this.#ttlMs)
      .sadd(clusterKeys.executors(this.#prefix), info.executorId)
      .exec();
  }

  /** Deregisters at once (graceful shutdown), instead of waiting for the TTL. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    // A beat already on the wire must land before the deletion, or it would re-register us.
    await this.#inFlight;
    await this.#redis
      .multi()
      .del(clusterKeys.executor(this.#prefix, this.#info.executorId))
      .srem(clusterKeys.executors(this.#prefix), this.#info.executorId)
      .exec();
  }
}

/** The executors whose heartbeat has not expired, by id; stale index entries are removed. */
export async function listLiveExecutors(redis: Redis, prefix: string): Promise<ExecutorInfo[]> {
  const ids = (await redis.smembers(clusterKeys.executors(prefix))).sort();
  if (ids.length === 0) return [];
  const values = await redis.mget(ids.map((id) => clusterKeys.executor(prefix, id)));
  const live: ExecutorInfo[] = [];
  const stale: string[] = [];
  values.forEach((v, i) => {
    if (v === null) stale.push(ids[i]!);
    else live.push(parseExecutorInfo(v));
  });
  if (stale.length > 0) await redis.srem(clusterKeys.executors(prefix), ...stale);
  return live;
}

function parseExecutorInfo(text: string): ExecutorInfo {
  const o = JSON.parse(text) as Record<string, unknown>;
  return {
    executorId: String(o['executorId']),
    host: String(o['host']),
    pid: Number(o['pid']),
    cores: Number(o['cores']),
    lastHeartbeat: Number(o['lastHeartbeat']),
  };
}
