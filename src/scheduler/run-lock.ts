import type { Redis } from 'ioredis';

// Compare-and-act: only the holder (its token) renews or releases the lock.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * A Redis lock with a TTL renewed while its holder lives: the overlap guard of one schedule across
 * every scheduler process. A scheduler that dies stops renewing, so the lock frees itself after ttlMs.
 */
export class RunLock {
  readonly #redis: Redis;
  readonly #key: string;
  readonly #token: string;
  #timer: NodeJS.Timeout | undefined;

  private constructor(redis: Redis, key: string, token: string) {
    this.#redis = redis;
    this.#key = key;
    this.#token = token;
  }

  /** The lock, or undefined with the current holder's token when someone else holds it. */
  static async acquire(redis: Redis, key: string, token: string, ttlMs: number): Promise<{ lock: RunLock } | { lock: undefined; holder: string | null }> {
    const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
    if (ok !== 'OK') return { lock: undefined, holder: await redis.get(key) };
    const lock = new RunLock(redis, key, token);
    lock.#timer = setInterval(() => void redis.eval(RENEW, 1, key, token, String(ttlMs)).catch(() => undefined), Math.max(100, Math.floor(ttlMs / 3)));
    lock.#timer.unref();
    return { lock };
  }

  async release(): Promise<void> {
    clearInterval(this.#timer);
    await this.#redis.eval(RELEASE, 1, this.#key, this.#token).catch(() => undefined);
  }
}
