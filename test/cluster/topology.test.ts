import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { testRedisUrl, uniqueTestPrefix } from '../support/redis.js';
import { expectedLateFlightsFingerprint, lateFlightsFingerprint, runSubmit, spawnExecutor, stopAll, waitForLog, type ExecutorProcess } from './support/cluster-processes.js';

/**
 * The docker-compose topology as local processes: a real Redis, three `kjob executor` processes and
 * `kjob submit` drivers — here two applications at once, which must not see each other's tasks.
 */
describe('cluster topology: redis + 3 executors + kjob submit', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('topo');
  const out = mkdtempSync(join(tmpdir(), 'kjob-topo-'));
  const executors: ExecutorProcess[] = [];

  before(async () => {
    for (const id of ['exec-1', 'exec-2', 'exec-3']) executors.push(spawnExecutor({ url, prefix, id }));
    await Promise.all(executors.map((e) => waitForLog(e, /executor started/, 30_000)));
  });

  after(async () => {
    await stopAll(executors);
    const redis = new Redis(url);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(out, { recursive: true, force: true });
  });

  it('runs the flights job and a second application side by side, each with exactly its own results', async () => {
    const env = { KJOB_REDIS_PREFIX: prefix, KJOB_OUT: out };
    const [flights, range] = await Promise.all([
      runSubmit(['jobs/flights-late.ts', '--master', url, '--app-name', 'flights-late', '--conf', 'kjob.executor.waitTimeoutMs=20000'], env),
      runSubmit(['test/cluster/fixtures/range-count-job.ts', '--master', url], env),
    ]);
    assert.equal(flights.code, 0, flights.stderr);
    assert.equal(range.code, 0, range.stderr);
    assert.match(range.stdout, /^RANGE-COUNT 200000$/m);
    assert.match(flights.stdout, /late flights \(>15m\) 599,055 rows/);

    assert.deepEqual(await lateFlightsFingerprint(join(out, 'flights-late')), await expectedLateFlightsFingerprint());

    // Every executor served tasks (11 flights splits + 6 range partitions over 3 single-core executors).
    const served = executors.filter((e) => e.log.some((l) => l.includes('"task finished"')));
    assert.ok(served.length >= 2, `tasks spread over executors: ${served.map((e) => e.id).join(', ')}`);
    // Both drivers unregistered their apps and removed their queues.
    const redis = new Redis(url);
    try {
      assert.deepEqual(await redis.smembers(`${prefix}:kjob:apps`), []);
      // Executors may recreate a stalled-check marker (TTL = stalled interval, 1 s) until they drop the app.
      const deadline = Date.now() + 5000;
      let left = await redis.keys(`${prefix}:kjob-app-*`);
      while (left.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        left = await redis.keys(`${prefix}:kjob-app-*`);
      }
      assert.deepEqual(left, []);
    } finally {
      redis.disconnect();
    }
  });
});
