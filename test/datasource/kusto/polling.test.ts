import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, systemClock } from '../../../src/datasource/kusto/polling/clock.js';
import { ASYNC_OPERATION_CADENCE, INGESTION_STATUS_CADENCE, pollDelays, pollUntil } from '../../../src/datasource/kusto/polling/poll-cadence.js';
import { COMMAND_RETRY_BACKOFF, exponentialRandomBackoff, retryTransient } from '../../../src/datasource/kusto/polling/backoff.js';
import { initialMoveBatchSize, MoveExtentsPolicy } from '../../../src/datasource/kusto/polling/move-extents-policy.js';
import { decideReadMode, parseRowCount } from '../../../src/datasource/kusto/polling/read-mode-decision.js';
import { RetriesExhaustedException } from '../../../src/datasource/kusto/errors/operation-errors.js';
import { isTransientKustoError } from '../../../src/datasource/kusto/errors/transient-kusto-error.js';

function take(gen: Generator<number>, n: number): number[] {
  return Array.from({ length: n }, () => gen.next().value);
}

describe('poll cadences (intended, not the 1-day regression)', () => {
  it('ingestion status: 1 s, then 2 s for the first minute, then doubling to 10 s', () => {
    const d = take(pollDelays(INGESTION_STATUS_CADENCE), 36);
    assert.deepEqual(d.slice(0, 4), [1000, 2000, 2000, 2000]);
    const firstMinute = d.slice(0, 31);
    assert.equal(firstMinute.reduce((a, b) => a + b, 0), 61000);
    assert.deepEqual(d.slice(31, 36), [4000, 8000, 10000, 10000, 10000]);
  });
  it('async operations: caps 4 s then 30 s', () => {
    const d = take(pollDelays(ASYNC_OPERATION_CADENCE), 25);
    assert.deepEqual(d.slice(0, 5), [1000, 2000, 4000, 4000, 4000]);
    assert.ok(d.slice(-3).every((x) => x === 30000));
    assert.ok(d.includes(8000) && d.includes(16000));
  });
  it('pollUntil polls immediately, follows the cadence and stops at the deadline', async () => {
    const clock = new ManualClock();
    let n = 0;
    const done = await pollUntil({ poll: async () => ++n, isDone: (v) => v === 4, cadence: INGESTION_STATUS_CADENCE, timeoutMs: 60_000, clock });
    assert.deepEqual(done, { done: true, value: 4, polls: 4 });
    assert.deepEqual(clock.sleeps, [1000, 2000, 2000]);
    const c2 = new ManualClock();
    const pending = await pollUntil({ poll: async () => 'Pending', isDone: (v) => v !== 'Pending', cadence: INGESTION_STATUS_CADENCE, timeoutMs: 5000, clock: c2 });
    assert.equal(pending.done, false);
    assert.ok(!pending.done && pending.last === 'Pending' && pending.waitedMs === 5000);
    assert.deepEqual(c2.sleeps, [1000, 2000, 2000]);
  });
  it('keeps polling through errors the caller deems transient', async () => {
    const clock = new ManualClock();
    let n = 0;
    const r = await pollUntil({
      poll: async () => {
        n++;
        if (n < 3) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
        return 'Completed';
      },
      isDone: () => true,
      cadence: ASYNC_OPERATION_CADENCE,
      timeoutMs: -1,
      clock,
      onError: isTransientKustoError,
    });
    assert.equal(r.done, true);
    await assert.rejects(pollUntil({ poll: async () => { throw new Error('Semantic error'); }, isDone: () => true, cadence: ASYNC_OPERATION_CADENCE, timeoutMs: -1, clock, onError: isTransientKustoError }), /Semantic/);
  });
});

describe('exponential random backoff', () => {
  it('1 s × 1.5^n, ±50 %, at most 10 s', () => {
    assert.equal(exponentialRandomBackoff(1, COMMAND_RETRY_BACKOFF, () => 0.5), 1000);
    assert.equal(exponentialRandomBackoff(2, COMMAND_RETRY_BACKOFF, () => 0.5), 1500);
    assert.equal(exponentialRandomBackoff(3, COMMAND_RETRY_BACKOFF, () => 0), 1125);
    assert.equal(exponentialRandomBackoff(3, COMMAND_RETRY_BACKOFF, () => 0.999999), 3375);
    assert.equal(exponentialRandomBackoff(20, COMMAND_RETRY_BACKOFF, () => 0.9), 10000);
  });
  it('retryTransient retries transient errors only, up to the attempt limit', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const v = await retryTransient(async () => {
      if (++calls < 3) throw Object.assign(new Error('x'), { response: { status: 503 } });
      return 'ok';
    }, { attempts: 4, isTransient: isTransientKustoError, clock, random: () => 0.5 });
    assert.equal(v, 'ok');
    assert.deepEqual(clock.sleeps, [1000, 1500]);
    calls = 0;
    await assert.rejects(retryTransient(async () => { calls++; throw Object.assign(new Error('bad'), { response: { status: 400 } }); }, { attempts: 4, isTransient: isTransientKustoError, clock }), /bad/);
    assert.equal(calls, 1);
    calls = 0;
    await assert.rejects(retryTransient(async () => { calls++; throw Object.assign(new Error('busy'), { response: { status: 429 } }); }, { attempts: 4, isTransient: isTransientKustoError, clock }), /busy/);
    assert.equal(calls, 4);
  });
});

describe('move-extents policy', () => {
  it('sizes batches by nodes only above the per-node limit', () => {
    assert.equal(initialMoveBatchSize(400, 3, 400), undefined);
    assert.equal(initialMoveBatchSize(401, 3, 400), 1200);
  });
  it('backs off 1 s doubling to 3 min, halves the batch on odd retries (floor 50), exhausts after the limit', () => {
    const p = new MoveExtentsPolicy({ batchSize: 400, maxRetriesOnMoveExtents: 10 });
    const sleeps: number[] = [];
    const batches: (number | undefined)[] = [];
    for (let i = 0; i < 10; i++) {
      sleeps.push(p.onFailure().sleepMs);
      batches.push(p.batchSize);
    }
    assert.deepEqual(sleeps, [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 180000, 180000]);
    assert.deepEqual(batches, [200, 200, 100, 100, 50, 50, 50, 50, 50, 50]);
    assert.throws(() => p.onFailure(new Error('boom')), (e: unknown) => e instanceof RetriesExhaustedException && e.message === 'Failed to move extents after 11 tries.');
  });
  it('resets the delay after a success', () => {
    const p = new MoveExtentsPolicy({ batchSize: 400, maxRetriesOnMoveExtents: 10 });
    p.onFailure();
    p.onFailure();
    p.onSuccess(10);
    assert.equal(p.retries, 0);
    assert.equal(p.onFailure().sleepMs, 1000);
  });
  it('allows at least 10 retries once something moved', () => {
    const p = new MoveExtentsPolicy({ batchSize: 400, maxRetriesOnMoveExtents: 2 });
    p.onFailure();
    assert.equal(p.batchSize, 200);
    p.onSuccess(200);
    p.onSuccess(200);
    assert.equal(p.batchSize, 200);
    p.onSuccess(200);
    assert.equal(p.batchSize, 400);
    p.onSuccess(200);
    assert.equal(p.batchSize, 400);
    assert.equal(p.movedExtents, 800);
    for (let i = 0; i < 10; i++) p.onFailure();
    assert.throws(() => p.onFailure(), /Failed to move extents after 11 triesand 800 were moved\./);
  });
  it('exhausts at maxRetriesOnMoveExtents before anything moved', () => {
    const p = new MoveExtentsPolicy({ batchSize: undefined, maxRetriesOnMoveExtents: 2 });
    p.onFailure();
    p.onFailure();
    assert.equal(p.batchSize, undefined);
    assert.throws(() => p.onFailure(), RetriesExhaustedException);
  });
});

describe('read-mode decision', () => {
  const never = (): Promise<unknown> => new Promise(() => undefined);
  it('forced modes run no query', async () => {
    const fail = async (): Promise<unknown> => assert.fail('no query expected');
    assert.equal(await decideReadMode({ readMode: 'ForceSingleMode', estimate: fail, count: fail, clock: systemClock }), 'single');
    assert.equal(await decideReadMode({ readMode: 'ForceDistributedMode', estimate: fail, count: fail, clock: systemClock }), 'distributed');
  });
  it('estimate, then count when the estimate is 0', async () => {
    let counted = 0;
    const count = async (): Promise<unknown> => { counted++; return 7; };
    assert.equal(await decideReadMode({ readMode: undefined, estimate: async () => 100, count, clock: systemClock }), 'single');
    assert.equal(counted, 0);
    assert.equal(await decideReadMode({ readMode: undefined, estimate: async () => '5001', count, clock: systemClock }), 'distributed');
    assert.equal(await decideReadMode({ readMode: undefined, estimate: async () => 5000n, count, clock: systemClock }), 'single');
    assert.equal(await decideReadMode({ readMode: undefined, estimate: async () => null, count, clock: systemClock }), 'single');
    assert.equal(counted, 1);
    assert.equal(await decideReadMode({ readMode: undefined, estimate: async () => 'n/a', count: async () => 0, clock: systemClock }), 'empty');
  });
  it('errors and timeouts fall back to Distributed, leaving no timer behind', async () => {
    const reasons: unknown[] = [];
    assert.equal(await decideReadMode({ readMode: undefined, estimate: async () => { throw new Error('estimate_rows_count unsupported'); }, count: never, clock: systemClock, onFallback: (r) => reasons.push(r) }), 'distributed');
    assert.equal(await decideReadMode({ readMode: undefined, estimate: never, count: never, clock: systemClock, timeoutMs: 20, onFallback: (r) => reasons.push(r) }), 'distributed');
    assert.equal(await decideReadMode({ readMode: undefined, estimate: async () => 0, count: never, clock: systemClock, timeoutMs: 20 }), 'distributed');
    assert.equal(reasons.length, 2);
    assert.match(String(reasons[1]), /no answer within 20 ms/);
  });
  it('parses row counts like the connector', () => {
    assert.deepEqual(['12', ' 7 ', '', 'x1', null, 3.9, undefined].map(parseRowCount), [12, 7, 0, 0, 0, 3, 0]);
  });
});
