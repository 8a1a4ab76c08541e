/**
 * Single vs Distributed (reference §4.2) as a pure function over injected queries: forced modes win;
 * otherwise the row-count estimate (3 s), then an exact count when the estimate is 0 (3 s); any error
 * or timeout → Distributed; ≤ 5000 rows → Single; exactly 0 → an empty result with no query run.
 */
import type { Clock } from './clock.js';

export const DIRECT_QUERY_UPPER_BOUND_ROWS = 5000;
export const COUNT_CHECK_TIMEOUT_MS = 3000;

export type ReadDecision = 'single' | 'distributed' | 'empty';

/** The connector's reading of an estimate cell: digits → number, other text/null → 0. */
export function parseRowCount(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return /^\d+$/.test(value.trim()) ? Number(value.trim()) : 0;
  return 0;
}

class DecisionTimeout extends Error {}

async function withTimeout<T>(p: Promise<T>, ms: number, clock: Clock): Promise<T> {
  const cancel = new AbortController();
  try {
    return await Promise.race([p, clock.sleep(ms, cancel.signal).then(() => Promise.reject(new DecisionTimeout(`no answer within ${ms} ms`)))]);
  } finally {
    cancel.abort(); // no timer outlives the decision
  }
}

export async function decideReadMode(options: {
  readMode: 'ForceSingleMode' | 'ForceDistributedMode' | undefined;
  /** Runs `<q>| evaluate estimate_rows_count()` and returns the first row's `EstimatedRowsCount`. */
  estimate: () => Promise<unknown>;
  /** Runs `<q>| count` and returns column 0 of the first row. */
  count: () => Promise<unknown>;
  clock: Clock;
  timeoutMs?: number;
  onFallback?: (reason: unknown) => void;
}): Promise<ReadDecision> {
  if (options.readMode === 'ForceSingleMode') return 'single';
  if (options.readMode === 'ForceDistributedMode') return 'distributed';
  const timeout = options.timeoutMs ?? COUNT_CHECK_TIMEOUT_MS;
  let rows: number;
  try {
    rows = parseRowCount(await withTimeout(options.estimate(), timeout, options.clock));
    if (rows === 0) rows = parseRowCount(await withTimeout(options.count(), timeout, options.clock));
  } catch (e) {
    options.onFallback?.(e);
    return 'distributed';
  }
  if (rows === 0) return 'empty';
  return rows <= DIRECT_QUERY_UPPER_BOUND_ROWS ? 'single' : 'distributed';
}
