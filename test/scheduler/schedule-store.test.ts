import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { testRedisUrl, uniqueTestPrefix } from '../support/redis.js';
import { buildScheduleDefinition } from '../../src/scheduler/schedule-definition.js';
import { ScheduleStore } from '../../src/scheduler/schedule-store.js';
import { HISTORY_LIMIT, scheduleKeys } from '../../src/scheduler/schedule-keys.js';
import type { RunHistoryEntry } from '../../src/scheduler/run-history.js';
import { RunLock } from '../../src/scheduler/run-lock.js';

const JOB = fileURLToPath(new URL('./fixtures/marker-job.ts', import.meta.url));

describe('schedule store on real Redis (no scheduler)', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('schedstore');
  const store = new ScheduleStore(url, prefix);
  const entry = (schedule: string, i: number): RunHistoryEntry => ({ runId: `r${i}`, schedule, trigger: 'cron', attempt: 1, dueAt: new Date(i * 1000).toISOString(), endedAt: new Date(i * 1000 + 10).toISOString(), outcome: 'skipped', scheduler: 's' });

  before(() => store.connect(url));
  after(async () => {
    const keys = await store.redis.keys(`${prefix}:*`);
    if (keys.length) await store.redis.del(...keys);
    await store.close();
  });

  it('add stores a BullMQ job scheduler with the cron and zone; add again updates it', async () => {
    const first = await store.upsert(buildScheduleDefinition('nightly', JOB, { cron: '30 2 * * *', tz: 'Europe/Paris' }));
    assert.equal(first.created, true);
    const s = await store.queue.getJobScheduler('nightly');
    assert.equal(s?.pattern, '30 2 * * *');
    assert.equal(s?.tz, 'Europe/Paris');
    assert.equal(new Date(first.nextRunAt!).getUTCMinutes(), 30);
    const again = await store.upsert(buildScheduleDefinition('nightly', JOB, { cron: '0 3 * * *', tz: 'Europe/Paris' }));
    assert.equal(again.created, false);
    assert.equal((await store.queue.getJobScheduler('nightly'))?.pattern, '0 3 * * *');
    assert.equal((await store.get('nightly'))?.cron, '0 3 * * *');
    assert.equal(await store.queue.getJobSchedulersCount(), 1);
  });

  it('the history keeps the newest HISTORY_LIMIT entries, newest first', async () => {
    await store.upsert(buildScheduleDefinition('capped', JOB, { cron: '0 0 1 1 *' }));
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) await store.appendHistory(entry('capped', i));
    const h = await store.history('capped');
    assert.equal(h.length, HISTORY_LIMIT);
    assert.equal(h[0]!.runId, `r${HISTORY_LIMIT + 4}`);
    assert.equal(h[HISTORY_LIMIT - 1]!.runId, 'r5');
    assert.deepEqual((await store.history('capped', 2)).map((e) => e.runId), [`r${HISTORY_LIMIT + 4}`, `r${HISTORY_LIMIT + 3}`]);
  });

  it('remove drops scheduler, definition and history; a run ending afterwards does not bring the history back', async () => {
    await store.upsert(buildScheduleDefinition('gone', JOB, { cron: '0 0 1 1 *' }));
    await store.appendHistory(entry('gone', 1));
    // More started-markers than one SCAN batch, and another schedule's marker that must stay.
    const markers = Array.from({ length: 1200 }, (_, i) => scheduleKeys.started(prefix, 'gone', `repeat:gone:${i}`));
    await store.redis.mset(...markers.flatMap((k) => [k, 'done:s']));
    await store.redis.set(scheduleKeys.started(prefix, 'gone2', 'r1'), 'done:s');
    assert.equal(await store.remove('gone'), true);
    assert.equal(await store.redis.exists(...markers), 0, 'every started-marker of the schedule is gone');
    assert.equal(await store.redis.exists(scheduleKeys.started(prefix, 'gone2', 'r1')), 1, "another schedule's marker stays");
    await store.appendHistory(entry('gone', 2));
    assert.deepEqual(await store.history('gone'), []);
    assert.equal(await store.get('gone'), undefined);
    assert.equal(await store.queue.getJobScheduler('gone'), undefined);
    await assert.rejects(store.runNow('gone'), /No schedule named 'gone'/);
  });

  it('the overlap lock: one holder at a time, only the holder releases, a dead holder frees it after the TTL', async () => {
    const key = `${prefix}:lock-test`;
    const a = await RunLock.acquire(store.redis, key, 'run-a', 300);
    assert.ok(a.lock);
    const b = await RunLock.acquire(store.redis, key, 'run-b', 300);
    assert.deepEqual(b, { lock: undefined, holder: 'run-a' });
    // Renewed while held: still held well after one TTL.
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(await store.redis.get(key), 'run-a');
    await a.lock.release();
    const c = await RunLock.acquire(store.redis, key, 'run-c', 300);
    assert.ok(c.lock);
    await a.lock.release(); // a stale holder's release leaves the new holder's lock alone
    assert.equal(await store.redis.get(key), 'run-c');
    // A holder that stops renewing (a killed scheduler) loses the lock after its TTL.
    const other = new Redis(url);
    try {
      await c.lock.release();
      await other.set(key, 'dead-run', 'PX', 200);
      assert.equal((await RunLock.acquire(store.redis, key, 'run-d', 300)).lock, undefined);
      await new Promise((r) => setTimeout(r, 300));
      const d = await RunLock.acquire(store.redis, key, 'run-d', 300);
      assert.ok(d.lock);
      await d.lock.release();
    } finally {
      other.disconnect();
    }
  });
});
