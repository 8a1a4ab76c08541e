import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { testRedisUrl, uniqueTestPrefix } from '../support/redis.js';
import { duckQuery, ROOT, runSubmit, spawnExecutor, stopAll, waitForLog, type ExecutorProcess } from './support/cluster-processes.js';

const FLIGHTS = `${ROOT}node_modules/vega-datasets/data/flights-3m.parquet`;

/** An order-independent fingerprint of a written dataset: counts, sums and a hash over every row. */
async function fingerprint(dir: string): Promise<Record<string, unknown>> {
  const [row] = await duckQuery(
    `select count(*)::BIGINT n, sum(delay)::BIGINT "delay", sum(hour)::BIGINT hour_sum, count(distinct delay_bucket)::BIGINT buckets,
            bit_xor(hash(date, delay, distance, origin, destination, hour, delay_bucket))::UBIGINT row_hash
       from '${dir}/*.parquet'`,
  );
  return row!;
}

/**
 * The done-means on real processes: the same job gives identical output on local[2] and on
 * two executor processes; a SIGKILLed executor's tasks run again elsewhere with no missing or
 * duplicated rows; a task that throws on every attempt fails the job with its error and no output.
 */
describe('cluster fault tolerance (2 executor processes, real Redis)', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('faults');
  const out = mkdtempSync(join(tmpdir(), 'kjob-faults-'));
  const executors: ExecutorProcess[] = [];
  let reference: Record<string, unknown>;

  before(async () => {
    executors.push(spawnExecutor({ url, prefix, id: 'survivor' }), spawnExecutor({ url, prefix, id: 'victim', env: { LOG_LEVEL: 'debug' } }));
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

  it('writes identical output on local[2] and on two executor processes', async () => {
    const local = await runSubmit(['jobs/flights-late.ts', '--master', 'local[2]'], { KJOB_OUT: join(out, 'local') });
    assert.equal(local.code, 0, local.stderr);
    reference = await fingerprint(join(out, 'local', 'flights-late'));
    const [oracle] = await duckQuery(`select count(*)::BIGINT n, sum(delay)::BIGINT "delay" from '${FLIGHTS}' where delay > 15`);
    assert.deepEqual({ n: reference['n'], delay: reference['delay'] }, oracle);

    const cluster = await runSubmit(['jobs/flights-late.ts', '--master', url], { KJOB_OUT: join(out, 'cluster'), KJOB_REDIS_PREFIX: prefix });
    assert.equal(cluster.code, 0, cluster.stderr);
    assert.deepEqual(await fingerprint(join(out, 'cluster', 'flights-late')), reference);
  });

  it('completes with exactly the right output when an executor is SIGKILLed mid-job', async () => {
    const [survivor, victim] = executors as [ExecutorProcess, ExecutorProcess];
    const before = victim.log.length;
    const job = runSubmit(['jobs/flights-late.ts', '--master', url], { KJOB_OUT: join(out, 'killed'), KJOB_REDIS_PREFIX: prefix });
    const deadline = Date.now() + 60_000;
    while (!victim.log.slice(before).some((l) => l.includes('"task started"'))) {
      if (Date.now() > deadline) throw new Error('the victim never started a task');
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 200));
    victim.child.kill('SIGKILL');
    const result = await job;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await victim.exited(), null);
    assert.deepEqual(await fingerprint(join(out, 'killed', 'flights-late')), reference, 'no missing and no duplicated rows');
    // The killed attempt was picked up again after its lock expired: a later attempt of some task ran on the survivor.
    assert.ok(
      survivor.log.some((l) => l.includes('"task finished"') && /"attempt":[1-9]/.test(l)),
      'a task of the killed executor was retried on the survivor',
    );
  });

  it('fails the job with the task error after 4 attempts and leaves no output', async () => {
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
