import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { ConfigError } from '../../../src/errors/kjob-error.js';
import { displayMaster, parseMaster } from '../../../src/driver/backends/master-url.js';
import { resolveBackendOptions, retryDelayMs } from '../../../src/driver/backends/backend-options.js';

describe('parseMaster', () => {
  it('reads local, local[N] and local[*] like Spark', () => {
    assert.deepEqual(parseMaster('local'), { kind: 'local', threads: 1 });
    assert.deepEqual(parseMaster('local[3]'), { kind: 'local', threads: 3 });
    assert.deepEqual(parseMaster(' local[*] '), { kind: 'local', threads: availableParallelism() });
    assert.deepEqual(parseMaster('inline'), { kind: 'inline' });
  });

  it('reads redis and rediss URLs with an optional database', () => {
    assert.deepEqual(parseMaster('redis://h:6380/2'), { kind: 'redis', url: 'redis://h:6380/2', db: 2, tls: false, display: 'redis://h:6380/2' });
    const tls = parseMaster('rediss://user:pw@h:6380');
    assert.equal(tls.kind, 'redis');
    if (tls.kind === 'redis') {
      assert.equal(tls.tls, true);
      assert.equal(tls.db, 0);
      assert.equal(tls.display, 'rediss://user:***@h:6380');
    }
  });

  it('rejects anything else with a ConfigError that names the value and the accepted forms', () => {
    for (const bad of ['spark://h:7077', 'local[0]', 'local[x]', 'local[]', 'yarn', '', 'redis://h:6379/abc', 'redis://h:6379/99']) {
      assert.throws(
        () => parseMaster(bad),
        (e: unknown) => e instanceof ConfigError && e.message.includes(bad.trim() === '' ? "''" : bad.split('/')[0]!) && /redis:\/\/|local/.test(e.describe()),
        bad,
      );
    }
  });

  it('never shows a Redis password', () => {
    assert.equal(displayMaster('redis://:s3cret@h:1'), 'redis://:***@h:1');
    assert.equal(displayMaster('redis://s3cret@h:1'), 'redis://***@h:1');
    assert.equal(displayMaster('redis://u:s3cret@h:1/0'), 'redis://u:***@h:1/0');
    assert.throws(() => parseMaster('redis://:s3cret@h:1/x'), (e: unknown) => e instanceof Error && !e.message.includes('s3cret'));
  });
});

describe('backend options', () => {
  it('applies defaults and validates each key by name', () => {
    const d = resolveBackendOptions(new Map(), {});
    assert.deepEqual(d, { prefix: 'kjob', retryBackoffMs: 500, executorWaitTimeoutMs: 60_000, progress: 'auto' });
    const c = resolveBackendOptions(new Map([['kjob.redis.prefix', 'p1'], ['kjob.task.retryBackoffMs', '0'], ['kjob.progress', 'log']]), {});
    assert.equal(c.prefix, 'p1');
    assert.equal(c.retryBackoffMs, 0);
    assert.equal(c.progress, 'log');
    assert.throws(() => resolveBackendOptions(new Map([['kjob.task.retryBackoffMs', '-1']])), /kjob\.task\.retryBackoffMs/);
    assert.throws(() => resolveBackendOptions(new Map([['kjob.progress', 'fancy']])), /kjob\.progress/);
    assert.throws(() => resolveBackendOptions(new Map([['kjob.redis.prefix', 'a:b']])), /kjob\.redis\.prefix/);
  });

  it('backs off exponentially, capped at a minute', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(500, n)), [500, 1000, 2000, 4000]);
    assert.equal(retryDelayMs(500, 30), 60_000);
  });
});
