import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { testRedisUrl, uniqueTestPrefix } from '../support/redis.js';
import { kjob } from '../scheduler/support.js';

const JOB = fileURLToPath(new URL('../scheduler/fixtures/marker-job.ts', import.meta.url));

/**
 * `kjob schedule add` as a real CLI process (commander, option mapping, validation, exit status) on
 * real Redis under a key prefix of its own; `schedule list` reads back what was stored.
 */
describe('kjob schedule add as a CLI process', () => {
  const url = testRedisUrl();
  const env = { KJOB_MASTER: url, KJOB_REDIS_PREFIX: uniqueTestPrefix('schedcli') };
  type Run = Awaited<ReturnType<typeof kjob>>;
  let good: Run, badCron: Run, badTz: Run, badOverlap: Run, list: Run, listText: Run;

  before(async () => {
    // Independent processes at once: each one pays the CLI's start-up.
    [good, badCron, badTz, badOverlap] = await Promise.all([
      kjob(['schedule', 'add', 'etl', JOB, '--cron', '*/30 * * * *', '--tz', 'Europe/Paris', '--overlap', 'queue', '--app-name', 'nightly-etl', '--timeout', '1h30m', '--retries', '3', '--conf', 'a.b=1', '--conf', 'c=d'], env),
      kjob(['schedule', 'add', 'bad-cron', JOB, '--cron', '61 * * * *'], env),
      kjob(['schedule', 'add', 'bad-tz', JOB, '--cron', '0 * * * *', '--tz', 'Mars/Olympus_Mons'], env),
      kjob(['schedule', 'add', 'bad-overlap', JOB, '--cron', '0 * * * *', '--overlap', 'sometimes'], env),
    ]);
    [list, listText] = await Promise.all([kjob(['schedule', 'list', '--json'], env), kjob(['schedule', 'list'], env)]);
  });

  after(async () => {
    const redis = new Redis(url);
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `${env.KJOB_REDIS_PREFIX}:*`, count: 500 }) as AsyncIterable<string[]>) keys.push(...batch);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('a good add exits 0, and list shows it with every flag mapped through commander', () => {
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /^schedule 'etl' added: \*\/30 \* \* \* \* \(Europe\/Paris\) → .*marker-job\.ts; next run \d{4}-\d\d-\d\dT\d\d:[03]0:00\.000Z$/m);
    assert.equal(list.code, 0, list.stderr);
    const all = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(all.map((s) => s['name']), ['etl'], 'the refused adds stored nothing');
    const etl = all[0]!;
    assert.equal(etl['job'], JOB);
    assert.equal(etl['cron'], '*/30 * * * *');
    assert.equal(etl['tz'], 'Europe/Paris');
    assert.equal(etl['overlap'], 'queue');
    assert.equal(etl['appName'], 'nightly-etl');
    assert.equal(etl['timeoutMs'], 90 * 60_000);
    assert.equal(etl['retries'], 3);
    assert.deepEqual(etl['conf'], { 'a.b': '1', c: 'd' });
    assert.equal(etl['master'], undefined, 'no --master: runs go to the scheduler’s Redis');
    assert.equal(Date.parse(String(etl['nextRunAt'])) % (30 * 60_000), 0);
    assert.match(listText.stdout, /^etl\s+\*\/30 \* \* \* \*\s+Europe\/Paris\s+\S+\s+-\s+queue, timeout 1h30m, retries 3\s+\S+marker-job\.ts$/m);
  });

  it('a bad --cron exits non-zero with the named error', () => {
    assert.equal(badCron.code, 1);
    assert.match(badCron.stderr, /ConfigError: --cron '61 \* \* \* \*' is not a valid cron expression/);
    assert.equal(badCron.stdout, '');
  });

  it('a bad --tz exits non-zero with the named error', () => {
    assert.equal(badTz.code, 1);
    assert.match(badTz.stderr, /ConfigError: --tz 'Mars\/Olympus_Mons' is not a known IANA time zone/);
    assert.match(badTz.stderr, /--tz Europe\/Paris/, 'with the resolution');
  });

  it('a bad --overlap exits non-zero with the named error', () => {
    assert.equal(badOverlap.code, 1);
    assert.match(badOverlap.stderr, /--overlap 'sometimes' is not an overlap policy/);
  });
});
