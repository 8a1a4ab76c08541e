import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { buildScheduleDefinition, parseScheduleDefinition, validateScheduleName } from '../../src/scheduler/schedule-definition.js';
import { nextFireTimes, validateCron } from '../../src/scheduler/cron-validation.js';
import { formatDuration, parseDuration } from '../../src/scheduler/duration.js';
import { resolveStore } from '../../src/cli/commands/schedule-options.js';
import { resolveSchedulerCli } from '../../src/cli/commands/scheduler-options.js';

const JOB = fileURLToPath(new URL('./fixtures/marker-job.ts', import.meta.url));
const configError = (pattern: RegExp, option?: string) => (e: Error & { context?: Record<string, unknown> }) => {
  assert.equal(e.name, 'ConfigError');
  assert.match(e.message, pattern);
  if (option) assert.equal(e.context?.['option'], option);
  return true;
};

describe('schedule add: validation before anything is stored', () => {
  it('builds a definition with defaults: overlap skip, 1h timeout, no retries, app name = schedule name', () => {
    const d = buildScheduleDefinition('hourly', JOB, { cron: ' 0 * * * * ', conf: ['a.b=1', 'x=y=z'] }, '/', new Date('2026-01-01T00:00:00Z'));
    assert.deepEqual(d, { v: 1, name: 'hourly', job: JOB, cron: '0 * * * *', conf: { 'a.b': '1', x: 'y=z' }, appName: 'hourly', overlap: 'skip', timeoutMs: 3_600_000, retries: 0, updatedAt: '2026-01-01T00:00:00.000Z' });
    assert.deepEqual(parseScheduleDefinition('hourly', JSON.stringify(d)), d);
  });

  it('keeps tz, master, overlap queue, timeout and retries', () => {
    const d = buildScheduleDefinition('n', JOB, { cron: '*/2 * * * * *', tz: 'Europe/Paris', master: 'local[2]', overlap: 'QUEUE', timeout: '1m30s', retries: '2', appName: 'etl' });
    assert.equal(d.tz, 'Europe/Paris');
    assert.equal(d.master, 'local[2]');
    assert.equal(d.overlap, 'queue');
    assert.equal(d.timeoutMs, 90_000);
    assert.equal(d.retries, 2);
    assert.equal(d.appName, 'etl');
  });

  it('a bad cron expression is named, with an example', () => {
    assert.throws(() => buildScheduleDefinition('n', JOB, { cron: '61 * * * *' }), configError(/--cron '61 \* \* \* \*' is not a valid cron expression: .*0-59/, '--cron'));
    assert.throws(() => buildScheduleDefinition('n', JOB, { cron: 'every hour' }), (e: Error & { resolution?: string }) => /--cron 'every hour'/.test(e.message) && /e\.g\. --cron "0 \* \* \* \*"/.test(e.resolution ?? ''));
    assert.throws(() => validateCron('* * * *'), configError(/has 4 fields/, '--cron'));
    assert.throws(() => validateCron('* * * * * * *'), configError(/has 7 fields/, '--cron'));
    assert.throws(() => buildScheduleDefinition('n', JOB, {}), configError(/needs --cron/, '--cron'));
  });

  it('a bad time zone is named', () => {
    assert.throws(() => buildScheduleDefinition('n', JOB, { cron: '0 * * * *', tz: 'Mars/Olympus_Mons' }), configError(/--tz 'Mars\/Olympus_Mons' is not a known IANA time zone/, '--tz'));
  });

  it('the time zone moves the fire times (02:30 Paris is 01:30 UTC in winter)', () => {
    const [paris] = nextFireTimes('30 2 * * *', 'Europe/Paris', new Date('2026-01-10T00:00:00Z'));
    assert.equal(paris!.toISOString(), '2026-01-10T01:30:00.000Z');
    const secs = nextFireTimes('*/2 * * * * *', undefined, new Date('2026-01-10T00:00:00.500Z'), 3).map((d) => d.toISOString());
    assert.deepEqual(secs, ['2026-01-10T00:00:02.000Z', '2026-01-10T00:00:04.000Z', '2026-01-10T00:00:06.000Z']);
  });

  it('bad overlap, timeout, retries, name, job, master and conf are named', () => {
    const ok = { cron: '0 * * * *' };
    assert.throws(() => buildScheduleDefinition('n', JOB, { ...ok, overlap: 'never' }), configError(/--overlap 'never' is not an overlap policy/, '--overlap'));
    assert.throws(() => buildScheduleDefinition('n', JOB, { ...ok, timeout: '30' }), configError(/--timeout '30' is not a duration/, '--timeout'));
    assert.throws(() => buildScheduleDefinition('n', JOB, { ...ok, timeout: '0s' }), configError(/--timeout '0s' must be longer than 0/, '--timeout'));
    assert.throws(() => buildScheduleDefinition('n', JOB, { ...ok, retries: '-1' }), configError(/--retries must be an integer from 0 to 100, got '-1'/, '--retries'));
    assert.throws(() => buildScheduleDefinition('a:b', JOB, ok), configError(/Schedule name 'a:b'/, 'name'));
    assert.throws(() => validateScheduleName(''), configError(/Schedule name ''/));
    assert.throws(() => buildScheduleDefinition('n', 'no/such/job.ts', ok), configError(/Job file 'no\/such\/job.ts' does not exist/, 'job'));
    assert.throws(() => buildScheduleDefinition('n', JOB, { ...ok, master: 'yarn' }), configError(/Unknown master 'yarn'/));
    assert.throws(() => buildScheduleDefinition('n', JOB, { ...ok, conf: ['novalue'] }), configError(/--conf 'novalue' is not key=value/, '--conf'));
  });

  it('refuses secrets, which a schedule would store in Redis', () => {
    const ok = { cron: '0 * * * *' };
    assert.throws(
      () => buildScheduleDefinition('n', JOB, { ...ok, master: 'redis://:hunter2@redis:6379' }),
      (e: Error) => e.name === 'ConfigError' && /carries credentials/.test(e.message) && !e.message.includes('hunter2'),
    );
    assert.throws(() => buildScheduleDefinition('n', JOB, { ...ok, conf: ['kustoAadAppSecret=s3cr3t'] }), (e: Error) => /looks like a secret/.test(e.message) && !e.message.includes('s3cr3t'));
  });
});

describe('durations', () => {
  it('parses and formats', () => {
    assert.equal(parseDuration('90s', '--timeout'), 90_000);
    assert.equal(parseDuration('30m', '--timeout'), 1_800_000);
    assert.equal(parseDuration('1h30m', '--timeout'), 5_400_000);
    assert.equal(parseDuration('250ms', '--timeout'), 250);
    assert.throws(() => parseDuration('1.5h', '--timeout'), configError(/--timeout '1.5h' is not a duration/));
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(1234), '1234ms');
  });
});

describe('schedule store and scheduler flags', () => {
  it('store URL: flag, else a Redis KJOB_MASTER, else localhost; prefix from KJOB_REDIS_PREFIX', () => {
    assert.equal(resolveStore('redis://r:6380', '--redis', {}).url, 'redis://r:6380');
    assert.equal(resolveStore(undefined, '--redis', { KJOB_MASTER: 'redis://m:6379', KJOB_REDIS_PREFIX: 'p1' }).prefix, 'p1');
    assert.match(resolveStore(undefined, '--redis', { KJOB_MASTER: 'redis://m:6379' }).url, /^redis:\/\/m:6379/);
    assert.match(resolveStore(undefined, '--redis', { KJOB_MASTER: 'local[*]' }).url, /^redis:\/\/127\.0\.0\.1:6379/);
    assert.equal(resolveStore(undefined, '--redis', {}).prefix, 'kjob');
    assert.throws(() => resolveStore('local[2]', '--redis', {}), configError(/--redis 'local\[2\]' is not a Redis URL/, '--redis'));
    assert.throws(() => resolveStore(undefined, '--redis', { KJOB_REDIS_PREFIX: 'a b' }), configError(/KJOB_REDIS_PREFIX 'a b'/));
  });

  it('kjob scheduler: --master is the store (--redis an alias), concurrency and grace validated', () => {
    const r = resolveSchedulerCli({ master: 'redis://s:1', concurrency: '3' }, {});
    assert.match(r.url, /^redis:\/\/s:1/);
    assert.equal(r.concurrency, 3);
    assert.equal(r.graceMs, 20_000);
    assert.match(resolveSchedulerCli({ redis: 'redis://alias:2' }, {}).url, /^redis:\/\/alias:2/);
    assert.equal(resolveSchedulerCli({}, { KJOB_SCHEDULER_CONCURRENCY: '7' }).concurrency, 7);
    assert.throws(() => resolveSchedulerCli({ concurrency: '0' }, {}), configError(/--concurrency must be an integer from 1 to 256, got '0'/, '--concurrency'));
    assert.throws(() => resolveSchedulerCli({ master: 'inline' }, {}), configError(/--master 'inline' is not a Redis URL/, '--master'));
  });
});
