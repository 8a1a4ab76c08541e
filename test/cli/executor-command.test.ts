import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { testRedisUrl, uniqueTestPrefix } from '../support/redis.js';
import { ROOT, spawnExecutor, waitForLog } from '../cluster/support/cluster-processes.js';

describe('kjob executor', () => {
  it('registers with a heartbeat, and on SIGTERM deregisters and exits 0', async () => {
    const url = testRedisUrl();
    const prefix = uniqueTestPrefix('execcli');
    const redis = new Redis(url);
    const ex = spawnExecutor({ url, prefix, id: 'cli-exec', cores: 3 });
    try {
      await waitForLog(ex, /executor started/, 30_000);
      const info = JSON.parse((await redis.get(`${prefix}:kjob:executor:cli-exec`)) ?? '{}') as Record<string, unknown>;
      assert.equal(info['cores'], 3);
      assert.equal(info['pid'], ex.child.pid);
      const ttl = await redis.pttl(`${prefix}:kjob:executor:cli-exec`);
      assert.ok(ttl > 0 && ttl <= 10_000, `heartbeat key expires (ttl ${ttl})`);
      ex.child.kill('SIGTERM');
      assert.equal(await ex.exited(), 0);
      assert.equal(await redis.exists(`${prefix}:kjob:executor:cli-exec`), 0);
      assert.deepEqual(await redis.smembers(`${prefix}:kjob:executors`), []);
    } finally {
      if (ex.child.exitCode === null) ex.child.kill('SIGKILL');
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('refuses a master that is not a Redis URL, naming the flag', () => {
    const r = spawnSync(process.execPath, [`${ROOT}bin/kjob.js`, 'executor', '--master', 'local[2]'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^ConfigError: kjob executor serves a Redis cluster; --master 'local\[2\]' is a local master/m);
  });
});
