import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors/kjob-error.js';
import { resolveExecutorCli } from '../../src/cli/commands/executor-options.js';
import { resolveSubmit } from '../../src/cli/commands/submit-options.js';

describe('kjob executor options', () => {
  it('takes flags over environment over defaults', () => {
    const env = { KJOB_MASTER: 'redis://env:6379', KJOB_EXECUTOR_CORES: '3', KJOB_REDIS_PREFIX: 'envp', KJOB_EXECUTOR_GRACE_MS: '100' };
    const fromEnv = resolveExecutorCli({}, env);
    assert.equal(fromEnv.url, 'redis://env:6379');
    assert.equal(fromEnv.cores, 3);
    assert.equal(fromEnv.prefix, 'envp');
    assert.equal(fromEnv.graceMs, 100);
    assert.equal(fromEnv.lockDurationMs, 10_000);
    assert.equal(fromEnv.stalledIntervalMs, 5000);
    const fromFlags = resolveExecutorCli({ master: 'redis://flag:1/3', cores: '5', prefix: 'fp', lockDurationMs: '2000' }, env);
    assert.equal(fromFlags.url, 'redis://flag:1/3');
    assert.equal(fromFlags.cores, 5);
    assert.equal(fromFlags.prefix, 'fp');
    assert.equal(fromFlags.stalledIntervalMs, 2000, 'stalled checks never run slower than the lock expires');
  });

  it('names the flag that is wrong', () => {
    const cases: Array<[Parameters<typeof resolveExecutorCli>[0], RegExp]> = [
      [{}, /--master/],
      [{ master: 'local[2]' }, /local master/],
      [{ master: 'redis://h:1', cores: '0' }, /--cores/],
      [{ master: 'redis://h:1', cores: 'two' }, /--cores/],
      [{ master: 'redis://h:1', prefix: 'a:b' }, /--prefix/],
      [{ master: 'redis://h:1', lockDurationMs: '5' }, /--lock-duration-ms/],
    ];
    for (const [input, re] of cases) assert.throws(() => resolveExecutorCli(input, {}), (e: unknown) => e instanceof ConfigError && re.test(e.message), JSON.stringify(input));
  });
});

describe('kjob submit options', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kjob-submit-'));
  const job = join(dir, 'my-job.ts');
  writeFileSync(job, 'export default async function () {}\n');

  it('resolves the job file, app name and merged conf', () => {
    const r = resolveSubmit('my-job.ts', { conf: ['spark.task.maxFailures=2', 'a.b=x=y'] }, dir, { KJOB_CONF: '{"a.b":"old","c":1}' });
    assert.equal(r.jobFile, job);
    assert.equal(r.appName, 'my-job');
    assert.equal(r.master, undefined);
    assert.deepEqual(r.conf, { 'a.b': 'x=y', c: '1', 'spark.task.maxFailures': '2' });
    assert.equal(resolveSubmit(job, { master: 'local[2]', appName: 'n' }, dir, {}).appName, 'n');
  });

  it('rejects a missing file, a bad master, a malformed --conf and bad KJOB_CONF before running anything', () => {
    assert.throws(() => resolveSubmit('nope.ts', {}, dir, {}), /Job file 'nope\.ts' does not exist/);
    assert.throws(() => resolveSubmit(job, { master: 'yarn' }, dir, {}), /Unknown master 'yarn'/);
    assert.throws(() => resolveSubmit(job, { conf: ['novalue'] }, dir, {}), /--conf 'novalue' is not key=value/);
    assert.throws(() => resolveSubmit(job, {}, dir, { KJOB_CONF: '{' }), /KJOB_CONF is not valid JSON/);
    assert.throws(() => resolveSubmit(job, {}, dir, { KJOB_CONF: '[1]' }), /KJOB_CONF must be a JSON object/);
  });
});
