import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testRedisUrl, uniqueTestPrefix } from '../support/redis.js';
import { runSubmit, startCluster } from './support/cluster-processes.js';

describe('a task that throws on every attempt, on two executor processes', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('poison');
  const out = mkdtempSync(join(tmpdir(), 'kjob-poison-'));
  let stop: () => Promise<void> = async () => undefined;

  before(async () => {
    ({ stop } = await startCluster(url, prefix, [{ id: 'exec-a' }, { id: 'exec-b' }]));
  });
  after(async () => {
    await stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('fails the job after 4 attempts with the task error, and leaves no output', async () => {
    const result = await runSubmit(['test/cluster/fixtures/poisoned-write-job.ts', '--master', url, '--conf', 'kjob.task.retryBackoffMs=100'], { KJOB_OUT: out, KJOB_REDIS_PREFIX: prefix });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /TaskFailedError: Task 2\/\d+ of stage 0 \(job job-1\) failed after 4 attempts: Error: partition 1 is poisoned \(attempt \d\)/);
    assert.match(result.stderr, /Caused by: Error: partition 1 is poisoned/);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace without LOG_LEVEL=debug');
    const dir = join(out, 'poisoned');
    const files = existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => !f.startsWith('.') && !f.includes('/.')) : [];
    assert.deepEqual(files, [], 'no partial output');
  });
});
