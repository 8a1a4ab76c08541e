import type { Redis } from 'ioredis';

/** Where a kind of process registers: one key per process (with a TTL) and an index set of ids. */
export interface RegistrationKeys {
  entry(id: string): string;
  readonly index: string;
}

/**
 * A long-running process's registration in Redis (executors, schedulers): `entry(id)` holds its info
 * with a TTL that the heartbeat keeps refreshing, so a process that dies (even SIGKILLed) or loses Redis
 * disappears within the TTL; the index set is only an index and is pruned by readers.
 */
export class HeartbeatRegistration<T extends { readonly lastHeartbeat: number }> {
  readonly #redis: Redis;
  readonly #keys: RegistrationKeys;
  readonly #id: string;
  readonly #info: Omit<T, 'lastHeartbeat'>;
  readonly #ttlMs: number;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(redis: Redis, keys: RegistrationKeys, id: string, info: Omit<T, 'lastHeartbeat'>, ttlMs: number) {
    this.#redis = redis;
    this.#keys = keys;
    this.#id = id;
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
    const info = { ...this.#info, lastHeartbeat: Date.now() };
    await this.#redis.multi().set(this.#keys.entry(this.#id), JSON.stringify(info), 'PX', this.#ttlMs).sadd(this.#keys.index, this.#id).exec();
  }

  /** Deregisters at once (graceful shutdown), instead of waiting for the TTL. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    // A beat already on the wire must land before the deletion, or it would re-register us.
    await this.#inFlight;
    await this.#redis.multi().del(this.#keys.entry(this.#id)).srem(this.#keys.index, this.#id).exec();
  }
}

/** The registrations whose heartbeat has not expired, by id; stale index entries are removed. */
export async function listLiveRegistrations<T>(redis: Redis, keys: RegistrationKeys, parse: (text: string) => T): Promise<T[]> {
  const ids = (await redis.smembers(keys.index)).sort();
  if (ids.length === 0) return [];
  const values = await redis.mget(ids.map((id) => keys.entry(id)));
  const live: T[] = [];
  const stale: string[] = [];
  values.forEach((v, i) => {
    if (v === null) stale.push(ids[i]!);
    else live.push(parse(v));
  });
  if (stale.length > 0) await redis.srem(keys.index, ...stale);
  return live;
}
