import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runSubmit } from '../cluster/support/cluster-processes.js';

describe('kjob submit', { concurrency: 3 }, () => {
  it('runs a job that exports a default function, with master, app name and --conf from the flags', async () => {
    const r = await runSubmit(['test/cli/fixtures/default-export-job.ts', '--master', 'local[2]', '--app-name', 'cli-test', '--conf', 'spark.task.maxFailures=2'], {});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^COUNT 7500 MASTER local\[2\] APP cli-test MAXFAIL 2$/m);
  });

  it('runs a top-level script job whose own session gets the master, app name and conf', async () => {
    const r = await runSubmit(['test/cli/fixtures/top-level-script-job.ts', '--master', 'local[1]', '--app-name', 'scripted', '--conf', 'spark.task.maxFailures=3'], {});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^SCRIPT 7 ON local\[1\] APP scripted MAXFAIL 3$/m);
  });

  it('exits non-zero with the kjob error described, not a stack', async () => {
    const r = await runSubmit(['test/cli/fixtures/failing-job.ts', '--master', 'local[1]'], { FAIL_WITH: 'kjob' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^ConfigError: option 'kustoTable' is missing\n {2}Resolution: Set \.option\("kustoTable", …\)\./m);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });

  it('prints a plain error with its cause, with secrets redacted', async () => {
    const r = await runSubmit(['test/cli/fixtures/failing-job.ts', '--master', 'local[1]'], {});
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: could not open https:\/\/acct\.blob\.core\.windows\.net\/c\/x\?sv=1&sig=/m);
    assert.match(r.stderr, /Caused by: socket hang up/);
    assert.doesNotMatch(r.stderr, /TOPSECRET/);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });

  it('rejects a bad master or a missing job file before running anything', async () => {
    const bad = await runSubmit(['test/cli/fixtures/default-export-job.ts', '--master', 'spark://h:7077'], {});
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /ConfigError: Unknown master 'spark:\/\/h:7077'\n {2}Resolution: Use one of: local, local\[N\], local\[\*\], inline, redis:\/\/host:port\[\/db\]/);
    assert.doesNotMatch(bad.stdout, /COUNT/);
    const missing = await runSubmit(['no/such/job.ts'], {});
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Job file 'no\/such\/job\.ts' does not exist/);
  });
});
