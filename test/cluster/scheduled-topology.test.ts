import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, makeVector, vectorFromArray, Utf8, Float64 } from 'apache-arrow';
import { testRedisUrl, uniqueTestPrefix } from '../support/redis.js';
import { ROOT, spawnLogged, startCluster, stopAll, type LoggedProcess } from './support/cluster-processes.js';
import { startAzurite, type TestAzurite } from '../datasource/storage/azurite-server.js';
import { writeParquetFixture } from '../datasource/parquet/fixtures.js';
import { KustoProbe } from '../datasource/kusto/write/support.js';
import { buildScheduleDefinition } from '../../src/scheduler/schedule-definition.js';
import { ScheduleStore } from '../../src/scheduler/schedule-store.js';
import type { RunHistoryEntry } from '../../src/scheduler/run-history.js';
import { spawnScheduler, stopSchedulers, until, waitForLog, type SchedulerProcess } from '../scheduler/support.js';

/**
 * The docker-compose topology as local processes: Redis, the Kusto emulator (`kjob emulator`, its own
 * process, as the compose `kusto` service), Azurite holding a landing container, 2 `kjob executor`s and
 * 1 `kjob scheduler` running the example job
 * (examples/hourly-incremental-load.ts) from a seconds cron against the redis:// master. A first run
 * loads the landing files; a file added later is loaded by a later run, which skips the files already
 * ingested (ingestIfNotExists on per-file tags): the table ends with every row exactly once.
 */
describe('scheduled ETL topology: redis + emulator + azurite + 2 executors + scheduler', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('schedtopo');
  const dir = mkdtempSync(join(tmpdir(), 'kjob-schedtopo-'));
  const key = randomBytes(32).toString('base64');
  let azurite: TestAzurite;
  let emulator: LoggedProcess | undefined;
  let probe: KustoProbe;
  let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
  let scheduler: SchedulerProcess | undefined;
  const store = new ScheduleStore(url, prefix);

  const upload = async (name: string, ids: number[]) => {
    const file = join(dir, name);
    const table = new Table({
      id: makeVector(Int32Array.from(ids)),
      device: vectorFromArray(ids.map((i) => `dev-${i % 7}`), new Utf8()),
      value: vectorFromArray(ids.map((i) => i / 4), new Float64()),
    });
    writeParquetFixture(file, table, 200);
    await azurite.service.getContainerClient('landing').getBlockBlobClient(`events/${name}`).uploadData(readFileSync(file));
  };
  const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  const succeeded = async () => (await store.history('hourly-load')).filter((e) => e.outcome === 'succeeded').reverse();
  const logs = () => scheduler?.log.slice(-60).join('\n') ?? '';

  before(async () => {
    azurite = await startAzurite();
    await azurite.service.getContainerClient('landing').create();
    await upload('2026-01-01T00.parquet', range(0, 500));
    await upload('2026-01-01T01.parquet', range(500, 400));
    // The emulator's https status table uses the certificate it keeps in its data directory; the
    // processes that read it (the scheduled runs' drivers) trust it as compose's do: NODE_EXTRA_CA_CERTS.
    const kustoDir = join(dir, 'kusto');
    emulator = spawnLogged('kusto', ['emulator', '--port', '0', '--data-dir', kustoDir], { ...process.env, LOG_LEVEL: 'info' });
    await waitForLog(emulator, /Kusto emulator ready/, 60_000);
    const clusterUrl = String((JSON.parse(emulator.log.find((l) => l.includes('Kusto emulator ready'))!) as { clusterUrl: string }).clusterUrl);
    probe = new KustoProbe(clusterUrl);
    // The emulator's default batching waits 10 s (documented); a 1 s database policy keeps runs short.
    await probe.rows('db', `.alter database db policy ingestionbatching '{"MaximumBatchingTimeSpan":"00:00:01","MaximumNumberOfItems":500,"MaximumRawDataSizeMB":1024}'`);
    const { base, sas } = azurite.containerSasUrl('landing');
    const env = {
      KJOB_TASK_SECRET_KEY: key,
      KUSTO_CLUSTER_URL: clusterUrl,
      NODE_EXTRA_CA_CERTS: join(kustoDir, 'certs', 'emulator-table-cert.pem'),
      KUSTO_DATABASE: 'db',
      KUSTO_TABLE: 'Events',
      LANDING_CONTAINER_URL: `${base}?${sas}`,
      LANDING_PREFIX: 'events/',
    };
    cluster = await startCluster(url, prefix, [{ id: 'exec-1', env }, { id: 'exec-2', env }]);
    await store.connect(url);
    await store.upsert(buildScheduleDefinition('hourly-load', `${ROOT}examples/hourly-incremental-load.ts`, { cron: '*/4 * * * * *', conf: ['kjob.kusto.queued.waitForIngestion=true'], timeout: '120s' }));
    scheduler = spawnScheduler({ url, prefix, id: 'sched-1', env });
    await waitForLog(scheduler, /scheduler started/, 30_000);
  });

  after(async () => {
    if (scheduler) await stopSchedulers([scheduler]);
    await store.close();
    await cluster?.stop();
    probe?.close();
    if (emulator) await stopAll([emulator], 10_000);
    await azurite?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the scheduled example job loads new files once: history shows rows and request ids, Kusto holds every row once', async () => {
    const first = await until('a first successful run', async () => (await succeeded())[0], 180_000, logs);
    assert.equal(first.rowsWritten, 900, 'the first run loads both landing files');
    assert.ok(first.requestIds && first.requestIds.length === 2, `one Kusto request id per file: ${JSON.stringify(first.requestIds)}`);
    assert.equal(first.exitCode, 0);

    const added = Date.now();
    await upload('2026-01-01T02.parquet', range(900, 300));
    // (Generous time limits: on a loaded machine one run of the example, a fresh `kjob submit` process on
    // the cluster, can take a minute; here it usually takes 10-20 s.)
    // A run that starts after the upload sees three files, of which two are already in the table.
    const later = await until('a run after the new file', async () => (await succeeded()).find((e: RunHistoryEntry) => Date.parse(e.startedAt!) > added), 180_000, logs);
    assert.equal(later.rowsWritten, 300, 'only the new file is loaded; the files of the first run are skipped');

    assert.equal(await probe.count('db', 'Events'), 1200);
    const dupes = await probe.rows('db', 'Events | summarize n = count() by id | where n > 1 | count');
    assert.equal(Number(dupes[0]!['Count']), 0, 'no row was ingested twice');
    const tags = await probe.rows('db', ".show table Events extents | mv-expand t = split(Tags, '\\r\\n') | where t startswith 'ingest-by:landing:' | distinct tostring(t) | count");
    assert.equal(Number(tags[0]!['Count']), 3, 'one ingest-by tag per landing file');
    // The runs ran on the cluster's executors (redis:// master), not inside the scheduler.
    assert.ok(cluster!.executors.some((e) => e.log.some((l) => l.includes('"task finished"'))));
  });
});
