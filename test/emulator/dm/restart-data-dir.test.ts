import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'azure-kusto-data';
import { DataFormat, IngestClient, IngestStatusQueues, IngestionProperties, ReportLevel, StreamDescriptor } from 'azure-kusto-ingest';
import { startEmulator } from '../../../src/emulator/start-emulator.js';

/** Nothing lost across a restart with a data directory: queued-ingested tables and extents survive, and the table certificate is reused. */
describe('emulator restart with a data directory', () => {
  let dir: string;
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps tables and extents ingested through the queue, and the certificate', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kjob-restart-'));
    const first = await startEmulator({ dataDir: dir, dataManagement: { dmPollIntervalMs: 50 } });
    const cert1 = first.dataManagement.caCertPath!;
    const pem1 = await readFile(cert1, 'utf8');
    try {
      const kusto = new Client(first.clusterUrl);
      await kusto.executeMgmt('db', '.create table R (a:long, b:string)');
      kusto.close();
      const ingest = new IngestClient(first.clusterUrl);
      const queues = new IngestStatusQueues(ingest);
      const props = new IngestionProperties({ database: 'db', table: 'R', format: DataFormat.CSV, reportLevel: ReportLevel.FailuresAndSuccesses, flushImmediately: true });
      const ids: string[] = [];
      for (const body of ['1,one\n2,two\n', '3,three\n']) {
        const r = await ingest.ingestFromStream(new StreamDescriptor(Buffer.from(body) as unknown as ArrayBuffer), props);
        ids.push(String((r as unknown as { ingestionStatus: { IngestionSourceId: string } }).ingestionStatus.IngestionSourceId));
      }
      const done = new Set<string>();
      for (let i = 0; i < 150 && done.size < ids.length; i++) {
        for (const m of await queues.success.pop(32)) done.add(String((m as { IngestionSourceId?: string }).IngestionSourceId));
        if (done.size < ids.length) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(done.size, 2);
      ingest.close();
    } finally {
      await first.stop();
    }

    const second = await startEmulator({ dataDir: dir });
    try {
      assert.equal(second.dataManagement.caCertPath, cert1);
      assert.equal(await readFile(second.dataManagement.caCertPath!, 'utf8'), pem1);
      const kusto = new Client(second.clusterUrl);
      const rows = [...(await kusto.execute('db', 'R | order by a asc')).primaryResults[0]!.rows()].map((r) => r.toJSON<{ a: number; b: string }>());
      assert.deepEqual(rows.map((r) => [r.a, r.b]), [[1, 'one'], [2, 'two'], [3, 'three']]);
      const extents = [...(await kusto.executeMgmt('db', '.show table R extents')).primaryResults[0]!.rows()];
      assert.equal(extents.length, 2);
      kusto.close();
    } finally {
      await second.stop();
    }
  });
});
