/**
 * Poll cadences (reference §3.10 `doWhile`, with the intended 1 s base rather than the connector's
 * 1-day regression): the first poll is immediate; the delay starts at the base and doubles, capped at
 * `initialCapMs` while less than a minute has been waited, then at `laterCapMs`.
 * Ingestion status: 1 s, 2 s, 2 s … then 4 s, 8 s, 10 s, 10 s …; async operations: caps 4 s / 30 s.
 */
import type { Clock } from './clock.js';

export interface PollCadence {
  readonly baseMs: number;
  readonly initialCapMs: number;
  readonly laterCapMs: number;
  /** How long the initial cap applies. @defaultValue 60 000 */
  readonly initialPeriodMs?: number;
}

export const INGESTION_STATUS_CADENCE: PollCadence = { baseMs: 1000, initialCapMs: 2000, laterCapMs: 10_000 };
export const ASYNC_OPERATION_CADENCE: PollCadence = { baseMs: 1000, initialCapMs: 4000, laterCapMs: 30_000 };

/** The delays between successive polls (infinite). */
export function* pollDelays(c: PollCadence): Generator<number, never> {
  let cur = c.baseMs;
  let waited = 0;
  for (;;) {
    yield cur;
    waited += cur;
    const cap = waited > (c.initialPeriodMs ?? 60_000) ? c.laterCapMs : c.initialCapMs;
    cur = Math.min(2 * cur, cap);
  }
}

export type PollOutcome<T> = { readonly done: true; readonly value: T; readonly polls: number } | { readonly done: false; readonly last: T | undefined; readonly polls: number; readonly waitedMs: number };

/**
 * Polls until `isDone(value)`, or until `timeoutMs` has passed (negative: forever). Errors from `poll`
 * propagate unless `onError` returns true (keep polling, e.g. for a transient error).
 */
export async function pollUntil<T>(options: {
  poll: () => Promise<T | undefined>;
  isDone: (value: T) => boolean;
  cadence: PollCadence;
  timeoutMs: number;
  clock: Clock;
  onError?: (error: unknown) => boolean;
}): Promise<PollOutcome<T>> {
  const { clock } = options;
  const start = clock.now();
  const delays = pollDelays(options.cadence);
  let last: T | undefined;
  let polls = 0;
  /** One poll: true when the value is final. Errors the caller tolerates count as "not yet". */
  const pollOnce = async (): Promise<boolean> => {
    polls++;
    try {
      const v = await options.poll();
      if (v === undefined) return false;
      last = v;
      return options.isDone(v);
    } catch (e) {
      if (!options.onError?.(e)) throw e;
      return false;
    }
  };
  for (;;) {
    if (await pollOnce()) return { done: true, value: last as T, polls };
    const waited = clock.now() - start;
    const delay = delays.next().value;
    if (options.timeoutMs >= 0 && waited + delay > options.timeoutMs) {
      const remaining = options.timeoutMs - waited;
      if (remaining <= 0) return { done: false, last, polls, waitedMs: waited };
      await clock.sleep(remaining);
      // One last look at the deadline, so a result that arrives just in time is not lost.
      if (await pollOnce()) return { done: true, value: last as T, polls };
      return { done: false, last, polls, waitedMs: clock.now() - start };
    }
    await clock.sleep(delay);
  }
}
