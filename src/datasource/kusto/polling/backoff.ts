/**
 * Retry delays. `exponentialRandomBackoff` is the connector's command/storage retry policy (base 1 s,
 * ×1.5 per attempt, ±50 % jitter, at most 10 s); `retryTransient` applies it to transient failures.
 */
import type { Clock } from './clock.js';

export interface ExponentialBackoff {
  readonly baseMs: number;
  readonly multiplier: number;
  /** 0.5 → the delay is scaled by a random factor in [0.5, 1.5). */
  readonly jitter: number;
  readonly maxMs: number;
}

export const COMMAND_RETRY_BACKOFF: ExponentialBackoff = { baseMs: 1000, multiplier: 1.5, jitter: 0.5, maxMs: 10_000 };

/** Delay before retry number `retry` (1-based). */
export function exponentialRandomBackoff(retry: number, b: ExponentialBackoff = COMMAND_RETRY_BACKOFF, random: () => number = Math.random): number {
  const nominal = Math.min(b.maxMs, b.baseMs * b.multiplier ** Math.max(0, retry - 1));
  const factor = 1 - b.jitter + 2 * b.jitter * random();
  return Math.min(b.maxMs, Math.round(nominal * factor));
}

/** Runs `fn` up to `attempts` times, sleeping between attempts while `isTransient(error)`. */
export async function retryTransient<T>(
  fn: (attempt: number) => Promise<T>,
  options: { attempts: number; isTransient: (e: unknown) => boolean; clock: Clock; backoff?: ExponentialBackoff; random?: () => number; onRetry?: (error: unknown, attempt: number, delayMs: number) => void },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= options.attempts || !options.isTransient(e)) throw e;
      const delay = exponentialRandomBackoff(attempt, options.backoff, options.random);
      options.onRetry?.(e, attempt, delay);
      await options.clock.sleep(delay);
    }
  }
}
