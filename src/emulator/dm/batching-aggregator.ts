import type { IngestionBatchingPolicy } from '../contracts.js';

/**
 * Aggregates queued blobs per (database, table) as the ADX data-management service does, until the
 * ingestion batching policy allows a batch to be sealed:
 * - the oldest blob in the bucket has waited MaximumBatchingTimeSpan, or
 * - the bucket holds MaximumNumberOfItems blobs, or
 * - the bucket's raw data size reached MaximumRawDataSizeMB.
 * A FlushImmediately blob bypasses aggregation and becomes a batch of its own (it does not flush the
 * blobs already waiting). Each sealed batch becomes one extent.
 *
 * Pure: the clock is passed in, no timers. The DM loop calls `add` for each message and `due(now)`
 * on every tick; `nextDueAt()` tells it when the next time-based seal happens.
 */
export interface PendingBlob<T> {
  readonly database: string;
  readonly table: string;
  /** Uncompressed size estimate in bytes (RawDataSize, else the blob's length). */
  readonly sizeBytes: number;
  readonly flushImmediately: boolean;
  readonly payload: T;
}

export interface SealedBatch<T> {
  readonly database: string;
  readonly table: string;
  readonly items: readonly PendingBlob<T>[];
  readonly reason: 'time' | 'items' | 'size' | 'flushImmediately' | 'drain';
}

interface Bucket<T> {
  readonly database: string;
  readonly table: string;
  readonly openedAt: number;
  readonly policy: IngestionBatchingPolicy;
  readonly items: PendingBlob<T>[];
  sizeBytes: number;
}

const MB = 1024 * 1024;

export class BatchingAggregator<T> {
  private readonly buckets = new Map<string, Bucket<T>>();

  /** Adds a blob; returns the batches this addition sealed (zero or one). */
  add(blob: PendingBlob<T>, policy: IngestionBatchingPolicy, now: number): SealedBatch<T>[] {
    if (blob.flushImmediately) return [{ database: blob.database, table: blob.table, items: [blob], reason: 'flushImmediately' }];
    const key = bucketKey(blob.database, blob.table);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      // The policy in force when the first blob arrives governs the bucket, as in the service.
      bucket = { database: blob.database, table: blob.table, openedAt: now, policy, items: [], sizeBytes: 0 };
      this.buckets.set(key, bucket);
    }
    bucket.items.push(blob);
    bucket.sizeBytes += Math.max(0, blob.sizeBytes);
    if (bucket.items.length >= Math.max(1, bucket.policy.maximumNumberOfItems)) return [this.seal(key, 'items')];
    if (bucket.sizeBytes >= bucket.policy.maximumRawDataSizeMB * MB) return [this.seal(key, 'size')];
    if (now - bucket.openedAt >= bucket.policy.maximumBatchingTimeSpanMs) return [this.seal(key, 'time')];
    return [];
  }

  /** Batches whose batching time has elapsed at `now`. */
  due(now: number): SealedBatch<T>[] {
    const out: SealedBatch<T>[] = [];
    for (const [key, b] of [...this.buckets]) {
      if (now - b.openedAt >= b.policy.maximumBatchingTimeSpanMs) out.push(this.seal(key, 'time'));
    }
    return out;
  }

  /** Epoch ms of the next time-based seal, or undefined when nothing is waiting. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const b of this.buckets.values()) {
      const at = b.openedAt + b.policy.maximumBatchingTimeSpanMs;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  /** Everything still waiting, sealed now (used on shutdown to hand messages back). */
  drain(): SealedBatch<T>[] {
    return [...this.buckets.keys()].map((k) => this.seal(k, 'drain'));
  }

  /** Number of blobs waiting, per `database.table`. */
  pending(): { database: string; table: string; items: number; sizeBytes: number; openedAt: number }[] {
    return [...this.buckets.values()].map((b) => ({ database: b.database, table: b.table, items: b.items.length, sizeBytes: b.sizeBytes, openedAt: b.openedAt }));
  }

  private seal(key: string, reason: SealedBatch<T>['reason']): SealedBatch<T> {
    const b = this.buckets.get(key)!;
    this.buckets.delete(key);
    return { database: b.database, table: b.table, items: b.items, reason };
  }
}

function bucketKey(database: string, table: string): string {
  return `${database}\u0000${table}`;
}
