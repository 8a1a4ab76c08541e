import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testRedisUrl, uniqueTestPrefix } from '../../../support/redis.js';
import { runSubmit, startCluster, type ExecutorProcess } from '../../../cluster/support/cluster-processes.js';
import type { RunningEmulator } from '../../../../src/emulator/start-emulator.js';
import { KustoProbe, startSinkTestEmulator } from './support.js';

const ROWS = 600_000;

interface QueuedBlob {
  partition: number;
  attempt: number;
  blobIndex: number;
  tag: string;
}

/** The executor's 'blob queued for ingestion' debug lines (src/datasource/kusto/write/write-task.ts). */
function queuedBlobs(log: readonly string[]): QueuedBlob[] {
  return log.filter((l) => l.includes('"blob queued for ingestion"')).map((l) => JSON.parse(l.slice(l.indexOf('{'))) as QueuedBlob);
}

async function firstQueuedBlob(log: readonly string[], timeoutMs: number): Promise<QueuedBlob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const first = queuedBlobs(log)[0];
    if (first) return first;
    if (Date.now() > deadline) throw new Error('the victim never queued a blob');
    await new Promise((r) => setTimeout(r, 5));
  }
}

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
      // Both at debug level: each logs the blobs it queued (partition, attempt, tag).
      const { executors, stop } = await startCluster(url, prefix, [{ id: 'survivor', env: { LOG_LEVEL: 'debug' } }, { id: 'victim', env: { LOG_LEVEL: 'debug' } }]);
      try {
        const [survivor, victim] = executors as [ExecutorProcess, ExecutorProcess];
        const table = `Killed_${writeMode}`;
        // Sizing off: the test needs its 3 partitions as 3 tasks (the driver would group 600 000 narrow rows into one).
        const job = runSubmit(['test/datasource/kusto/write/fixtures/kusto-write-job.ts', '--master', url, '--conf', 'kjob.kusto.writeTaskSizing=off'], { KJOB_REDIS_PREFIX: prefix, KUSTO_CLUSTER_URL: emu.clusterUrl, KUSTO_TABLE: table, KUSTO_WRITE_MODE: writeMode }, 150_000);
        // Killed as soon as it has queued its first blob (4 per task): the dead attempt leaves a blob behind.
        const victimBlob = await firstQueuedBlob(victim.log, 60_000);
        victim.child.kill('SIGKILL');
        const result = await job;
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, new RegExp(`WROTE ${ROWS}`));
        const detail = JSON.parse(/^DETAIL (.*)$/m.exec(result.stdout)![1]!) as { extentsDroppedFromOtherAttempts: number };
        // A partition the victim had queued blobs for was re-run on the survivor by a later attempt (with
        // 3 blobs still to write after the first, the victim cannot have finished that task).
        const dead = queuedBlobs(victim.log);
        const retried = queuedBlobs(survivor.log).filter((b) => dead.some((d) => d.partition === b.partition && b.attempt > d.attempt));
        assert.ok(retried.some((b) => b.partition === victimBlob.partition), `partition ${victimBlob.partition} was not retried on the survivor; victim queued ${JSON.stringify(dead)}`);
        if (writeMode === 'Transactional') {
          // The dead attempt's blob reached the staging table with its own attempt tag and was dropped there.
          assert.ok(detail.extentsDroppedFromOtherAttempts > 0, JSON.stringify(detail));
        } else {
          // The re-run queued the same deterministic ingest-by tag again: the service Skipped one of the two.
          assert.ok(retried.some((b) => b.tag === victimBlob.tag), `${victimBlob.tag} not re-queued: ${JSON.stringify(retried)}`);
          const until = Date.now() + 30_000;
          while (Date.now() < until && (await probe.count('db', table)) < ROWS) await new Promise((r) => setTimeout(r, 250));
          await new Promise((r) => setTimeout(r, 1500)); // any late duplicate would have landed by now
        }
        const r = await probe.rows('db', `['${table}'] | summarize n = count(), d = dcount(id), s = sum(id)`);
        assert.equal(Number(r[0]!['n']), ROWS);
        assert.equal(Number(r[0]!['d']), ROWS);
        assert.equal(BigInt(String(r[0]!['s'])), (BigInt(ROWS) * BigInt(ROWS - 1)) / 2n);
      } finally {
        await stop();
      }
    });
  }
});
