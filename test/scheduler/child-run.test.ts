import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from '../../src/scheduler/child-run.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('a scheduled run as a kjob submit child', () => {
  it("the master's password is in the child's environment, never on its command line", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kjob-argv-'));
    try {
      const out = join(dir, 'argv.json');
      const master = 'redis://:Sup3rSecretPassw0rd@127.0.0.1:6379/0';
      const result = await runChild({ job: fixture('argv-job.ts'), master, appName: 'argv', conf: { 'a.b': '1' }, timeoutMs: 60_000, killGraceMs: 1000, env: { ARGV_OUT: out }, stdout: process.stderr });
      assert.equal(result.outcome, 'succeeded', result.error);
      const seen = JSON.parse(readFileSync(out, 'utf8')) as { argv: string[]; execArgv: string[]; master: string | null };
      assert.equal(seen.master, master, 'kjob submit got the master through KJOB_MASTER');
      const cmdline = [...seen.execArgv, ...seen.argv].join(' ');
      assert.match(cmdline, /submit .*argv-job\.ts --app-name argv --conf a\.b=1/);
      assert.doesNotMatch(cmdline, /Sup3rSecretPassw0rd|--master|redis:/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
