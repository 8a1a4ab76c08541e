/**
 * The retry and batch-size policy of the move-extents loop (reference §3.6 step 4.3), as a pure state
 * machine the commit code drives. Intended values: the first retry sleeps 1 s (the connector's
 * regression slept 24 h), doubling to at most 3 min.
 *
 * - failure: retry += 1; beyond the limit (`maxRetriesOnMoveExtents` before anything moved, at least
 *   10 after) → RetriesExhaustedException; else sleep `delay`, double it; on odd retries halve the
 *   batch (floor 50);
 * - success: count the moved extents, reset retries and delay; after more than 2 consecutive
 *   successes double the batch again, up to its original size.
 */
import { RetriesExhaustedException } from '../errors/operation-errors.js';

export const MOVE_RETRY_INITIAL_DELAY_MS = 1000;
export const MOVE_RETRY_MAX_DELAY_MS = 180_000;
export const MOVE_MIN_BATCH = 50;

export function initialMoveBatchSize(extentCount: number, nodeCount: number, maxExtentsPerNode: number): number | undefined {
  return extentCount > maxExtentsPerNode ? Math.max(1, nodeCount) * maxExtentsPerNode : undefined;
}

export class MoveExtentsPolicy {
  readonly #originalBatch: number | undefined;
  readonly #maxRetries: number;
  #batch: number | undefined;
  #retry = 0;
  #delayMs = MOVE_RETRY_INITIAL_DELAY_MS;
  #consecutiveSuccesses = 0;
  #moved = 0;

  constructor(options: { batchSize: number | undefined; maxRetriesOnMoveExtents: number }) {
    this.#originalBatch = options.batchSize;
    this.#batch = options.batchSize;
    this.#maxRetries = options.maxRetriesOnMoveExtents;
  }

  /** Extents per move command, or undefined for "all". */
  get batchSize(): number | undefined {
    return this.#batch;
  }
  get movedExtents(): number {
    return this.#moved;
  }
  get retries(): number {
    return this.#retry;
  }

  /** Records a failed move; returns how long to sleep before the next one, or throws when exhausted. */
  onFailure(cause?: unknown): { sleepMs: number } {
    this.#retry++;
    this.#consecutiveSuccesses = 0;
    const limit = this.#moved > 0 ? Math.max(10, this.#maxRetries) : this.#maxRetries;
    if (this.#retry > limit) throw new RetriesExhaustedException(this.#retry, this.#moved, cause === undefined ? {} : { cause });
    const sleepMs = this.#delayMs;
    this.#delayMs = Math.min(MOVE_RETRY_MAX_DELAY_MS, this.#delayMs * 2);
    if (this.#retry % 2 === 1 && this.#batch !== undefined) this.#batch = Math.max(MOVE_MIN_BATCH, Math.floor(this.#batch / 2));
    return { sleepMs };
  }

  onSuccess(movedExtents: number): void {
    this.#moved += movedExtents;
    this.#retry = 0;
    this.#delayMs = MOVE_RETRY_INITIAL_DELAY_MS;
    this.#consecutiveSuccesses++;
    if (this.#consecutiveSuccesses > 2 && this.#batch !== undefined && this.#originalBatch !== undefined) {
      this.#batch = Math.min(this.#originalBatch, this.#batch * 2);
    }
  }
}
