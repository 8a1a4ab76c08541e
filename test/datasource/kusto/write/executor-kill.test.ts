import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testRedisUrl, uniqueTestPrefix } from '../../../support/redis.js';
import { runSubmit, startCluster, type ExecutorProcess } from '../../../cluster/support/cluster-processes.js';
import type { RunningEmulator } from '../../../../src/emulator/start-emulator.js';
import { KustoProbe, startSinkTestEmulator } from './support.js';

const ROWS = 600_000;

describe('an executor SIGKILLed in the middle of a Kusto write (BullMQ backend)', () => {
  let emu: RunningEmulator;
  let probe: KustoProbe;
  before(async () => {
    emu = await startSinkTestEmulator();
    probe = new KustoProbe(emu.clusterUrl);
  });
  after(async () => {
    probe?.close();
    await emu?.stop();
  });

  for (const writeMode of ['Transactional', 'Queued'] as const) {
    it(`${writeMode}: the job succeeds with every row exactly once`, async () => {
      const url = testRedisUrl();
      const prefix = uniqueTestPrefix(`kkill-${writeMode.toLowerCase()}`);
      const { executors, stop } = await startCluster(url, prefix, [{ id: 'survivor' }, { id: 'victim', env: { LOG_LEVEL: 'debug' } }]);
      try {
        const [survivor, victim] = executors as [ExecutorProcess, ExecutorProcess];
        const table = `Killed_${writeMode}`;
        // Sizing off: the test needs its 6 partitions as 6 tasks (the driver would group 600 000 narrow rows into one).
        const job = runSubmit(['test/datasource/kusto/write/fixtures/kusto-write-job.ts', '--master', url, '--conf', 'kjob.kusto.writeTaskSizing=off'], { KJOB_REDIS_PREFIX: prefix, KUSTO_CLUSTER_URL: emu.clusterUrl, KUSTO_TABLE: table, KUSTO_WRITE_MODE: writeMode }, 150_000);
        const deadline = Date.now() + 60_000;
        while (!victim.log.some((l) => l.includes('"task started"'))) {
          if (Date.now() > deadline) throw new Error('the victim never started a task');
          await new Promise((r) => setTimeout(r, 20));
        }
        // Long enough to seal and queue a first blob, short of finishing the task.
        await new Promise((r) => setTimeout(r, 700));
        victim.child.kill('SIGKILL');
        const result = await job;
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, new RegExp(`WROTE ${ROWS}`));
        if (writeMode === 'Queued') {
          const until = Date.now() + 30_000;
          while (Date.now() < until && (await probe.count('db', table)) < ROWS) await new Promise((r) => setTimeout(r, 250));
          await new Promise((r) => setTimeout(r, 1500)); // any late duplicate would have landed by now
        }
        const r = await probe.rows('db', `['${table}'] | summarize n = count(), d = dcount(id), s = sum(id)`);
        assert.equal(Number(r[0]!['n']), ROWS);
        assert.equal(Number(r[0]!['d']), ROWS);
        assert.equal(BigInt(String(r[0]!['s'])), (BigInt(ROWS) * BigInt(ROWS - 1)) / 2n);
        assert.ok(survivor.log.some((l) => l.includes('"task finished"') && /"attempt":[1-9]/.test(l)), 'a task of the killed executor was retried on the survivor');
      } finally {
        await stop();
      }
    });
  }
});
