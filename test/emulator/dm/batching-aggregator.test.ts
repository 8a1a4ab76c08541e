import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatchingAggregator, type PendingBlob } from '../../../src/emulator/dm/batching-aggregator.js';

const policy = { maximumBatchingTimeSpanMs: 10_000, maximumNumberOfItems: 3, maximumRawDataSizeMB: 1 };
const blob = (id: string, extra: Partial<PendingBlob<string>> = {}): PendingBlob<string> => ({
  database: 'db', table: 'T', sizeBytes: 100, flushImmediately: false, payload: id, ...extra,
});

describe('BatchingAggregator', () => {
  it('holds blobs until MaximumBatchingTimeSpan has passed since the first one', () => {
    const agg = new BatchingAggregator<string>();
    assert.deepEqual(agg.add(blob('a'), policy, 1000), []);
    assert.deepEqual(agg.add(blob('b'), policy, 5000), []);
    assert.equal(agg.nextDueAt(), 11_000);
    assert.deepEqual(agg.due(10_999), []);
    const [batch] = agg.due(11_000);
    assert.deepEqual(batch?.items.map((i) => i.payload), ['a', 'b']);
    assert.equal(batch?.reason, 'time');
    assert.equal(agg.nextDueAt(), undefined);
  });

  it('seals at MaximumNumberOfItems', () => {
    const agg = new BatchingAggregator<string>();
    agg.add(blob('a'), policy, 0);
    agg.add(blob('b'), policy, 1);
    const sealed = agg.add(blob('c'), policy, 2);
    assert.equal(sealed.length, 1);
    assert.equal(sealed[0]?.reason, 'items');
    assert.deepEqual(sealed[0]?.items.map((i) => i.payload), ['a', 'b', 'c']);
    assert.deepEqual(agg.pending(), []);
  });

  it('seals at MaximumRawDataSizeMB', () => {
    const agg = new BatchingAggregator<string>();
    assert.deepEqual(agg.add(blob('a', { sizeBytes: 600_000 }), policy, 0), []);
    const sealed = agg.add(blob('b', { sizeBytes: 600_000 }), policy, 0);
    assert.equal(sealed[0]?.reason, 'size');
    assert.equal(sealed[0]?.items.length, 2);
  });

  it('keeps one bucket per database and table', () => {
    const agg = new BatchingAggregator<string>();
    agg.add(blob('a'), policy, 0);
    agg.add(blob('b', { table: 'U' }), { ...policy, maximumBatchingTimeSpanMs: 2000 }, 0);
    agg.add(blob('c', { database: 'db2' }), policy, 0);
    assert.equal(agg.pending().length, 3);
    const due = agg.due(2000);
    assert.deepEqual(due.map((b) => b.table), ['U']);
    assert.equal(agg.due(10_000).length, 2);
  });

  it('ingests a FlushImmediately blob on its own, leaving the waiting bucket alone', () => {
    const agg = new BatchingAggregator<string>();
    agg.add(blob('a'), policy, 0);
    const sealed = agg.add(blob('now', { flushImmediately: true }), policy, 1);
    assert.deepEqual(sealed.map((b) => [b.reason, b.items.map((i) => i.payload)]), [['flushImmediately', ['now']]]);
    assert.equal(agg.pending()[0]?.items, 1);
  });

  it('uses the policy in force when the bucket opened', () => {
    const agg = new BatchingAggregator<string>();
    agg.add(blob('a'), { ...policy, maximumBatchingTimeSpanMs: 1000 }, 0);
    agg.add(blob('b'), { ...policy, maximumBatchingTimeSpanMs: 60_000 }, 10);
    assert.equal(agg.due(1000)[0]?.items.length, 2);
  });

  it('drains everything on shutdown', () => {
    const agg = new BatchingAggregator<string>();
    agg.add(blob('a'), policy, 0);
    agg.add(blob('b', { table: 'U' }), policy, 0);
    const drained = agg.drain();
    assert.equal(drained.length, 2);
    assert.ok(drained.every((b) => b.reason === 'drain'));
    assert.deepEqual(agg.pending(), []);
  });
});
