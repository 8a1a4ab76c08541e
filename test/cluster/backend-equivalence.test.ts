import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testRedisUrl, uniqueTestPrefix } from '../support/redis.js';
import { expectedLateFlightsFingerprint, lateFlightsFingerprint, runSubmit, startCluster } from './support/cluster-processes.js';

const JOB = 'test/cluster/fixtures/flights-write-job.ts';

describe('the same job on local[2] and on two executor processes', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('equiv');
  const out = mkdtempSync(join(tmpdir(), 'kjob-equiv-'));
  let stop: () => Promise<void> = async () => undefined;

  before(async () => {
    ({ stop } = await startCluster(url, prefix, [{ id: 'exec-a' }, { id: 'exec-b' }]));
  });
  after(async () => {
    await stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('writes identical rows, equal to what DuckDB computes from the source', async () => {
    const [local, cluster] = await Promise.all([
      runSubmit([JOB, '--master', 'local[2]'], { KJOB_OUT: join(out, 'local') }),
      runSubmit([JOB, '--master', url], { KJOB_OUT: join(out, 'cluster'), KJOB_REDIS_PREFIX: prefix }),
    ]);
    assert.equal(local.code, 0, local.stderr);
    assert.equal(cluster.code, 0, cluster.stderr);
    const expected = await expectedLateFlightsFingerprint();
    assert.equal(expected['n'], 599_055n);
    assert.deepEqual(await lateFlightsFingerprint(join(out, 'local', 'flights-late')), expected);
    assert.deepEqual(await lateFlightsFingerprint(join(out, 'cluster', 'flights-late')), expected);
  });
});
