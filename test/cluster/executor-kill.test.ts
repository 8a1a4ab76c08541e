import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testRedisUrl, uniqueTestPrefix } from '../support/redis.js';
import { expectedLateFlightsFingerprint, lateFlightsFingerprint, runSubmit, startCluster, type ExecutorProcess } from './support/cluster-processes.js';

describe('an executor SIGKILLed mid-job', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('kill');
  const out = mkdtempSync(join(tmpdir(), 'kjob-kill-'));
  let executors: ExecutorProcess[] = [];
  let stop: () => Promise<void> = async () => undefined;

  before(async () => {
    // The victim logs at debug level so the test sees its task start.
    ({ executors, stop } = await startCluster(url, prefix, [{ id: 'survivor' }, { id: 'victim', env: { LOG_LEVEL: 'debug' } }]));
  });
  after(async () => {
    await stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('does not stop the job, which writes exactly the right rows (none missing, none twice)', async () => {
    const [survivor, victim] = executors as [ExecutorProcess, ExecutorProcess];
    const job = runSubmit(['test/cluster/fixtures/flights-write-job.ts', '--master', url], { KJOB_OUT: out, KJOB_REDIS_PREFIX: prefix });
    const deadline = Date.now() + 60_000;
    while (!victim.log.some((l) => l.includes('"task started"'))) {
      if (Date.now() > deadline) throw new Error('the victim never started a task');
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 200));
    victim.child.kill('SIGKILL');
    const result = await job;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await victim.exited(), null, 'the victim died of the signal');
    assert.deepEqual(await lateFlightsFingerprint(join(out, 'flights-late')), await expectedLateFlightsFingerprint());
    // Its task's lock expired and a later attempt ran on the survivor.
    assert.ok(
      survivor.log.some((l) => l.includes('"task finished"') && /"attempt":[1-9]/.test(l)),
      'a task of the killed executor was retried on the survivor',
    );
  });
});
