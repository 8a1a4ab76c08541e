import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Client } from 'azure-kusto-data';
import { rows } from './support.js';

/** `kjob emulator --port 0`: prints the URL line, serves the SDK, stops cleanly on SIGTERM. */
describe('kjob emulator CLI', () => {
  it('starts, answers queries and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/kjob.js', 'emulator', '--port', '0'], { cwd: new URL('../../..', import.meta.url).pathname, env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout });
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no KUSTO_CLUSTER_URL line within 30 s')), 30_000);
        lines.on('line', (l) => {
          const m = /^KUSTO_CLUSTER_URL=(http:\/\/127\.0\.0\.1:\d+)$/.exec(l);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
      });
      const client = new Client(url);
      await client.execute('clidb', '.create table C (a:long)');
      await client.execute('clidb', '.ingest inline into table C <| 41\n1');
      assert.deepEqual(rows(await client.execute('clidb', 'C | summarize s = sum(a)')), [{ s: 42 }]);
      client.close();
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
