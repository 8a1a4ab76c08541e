import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { KustoStore } from '../../../src/emulator/engine/store.js';
import { KustoEngine } from '../../../src/emulator/engine/kusto-engine.js';
import { attachDataManagement } from '../../../src/emulator/dm/attach.js';
import { startAzurite, type RunningAzurite } from '../../../src/emulator/dm/azurite-in-process.js';
import { devStorageAccount, toConnectionString } from '../../../src/emulator/dm/storage-account.js';

/**
 * An existing storage account (as docker-compose runs its own Azurite, here over plain http): the DM
 * uses it through its connection string, and a message still waiting for its batch when the DM stops
 * is handed back to the queue — the next DM ingests it.
 */
describe('DM on an existing storage account', () => {
  let azurite: RunningAzurite;
  let connectionString: string;
  before(async () => {
    azurite = await startAzurite();
    connectionString = toConnectionString(devStorageAccount({ blob: azurite.blobEndpoint, queue: azurite.queueEndpoint, table: azurite.tableEndpoint }));
  });
  after(async () => azurite.close());

  const ctx = { database: 'db', clientRequestId: undefined, principal: undefined };

  async function engineWithTable(batchingMs: number): Promise<KustoEngine> {
    const engine = new KustoEngine(await KustoStore.open(undefined), { defaultBatchingPolicy: { maximumBatchingTimeSpanMs: batchingMs, maximumNumberOfItems: 1000, maximumRawDataSizeMB: 1024 } });
    await engine.executeMgmt('db', '.create table X (a:long)', ctx);
    return engine;
  }

  it('hands a waiting message back on stop; the next DM ingests it', async () => {
    const engine1 = await engineWithTable(60_000);
    const dm1 = await attachDataManagement(engine1, { storageConnectionString: connectionString, dmPollIntervalMs: 50 });
    assert.equal(dm1.caCertPath, undefined);
    assert.equal(dm1.blobEndpoint, `${azurite.blobEndpoint}/devstoreaccount1`);
    const res = (await engine1.executeMgmt('NetDefaultDB', '.get ingestion resources', ctx)).rows as [string, string][];
    const temp = res.find(([k]) => k === 'TempStorage')![1];
    const ready = res.find(([k]) => k === 'SecuredReadyForAggregationQueue')![1];
    assert.ok(temp.startsWith(azurite.blobEndpoint));

    const id = randomUUID();
    const blob = new ContainerClient(temp).getBlockBlobClient(`db__X__${id}.csv`);
    await blob.uploadData(Buffer.from('7\n8\n'));
    const message = { Id: id, BlobPath: blob.url, DatabaseName: 'db', TableName: 'X', FlushImmediately: false, ReportLevel: 2, ReportMethod: 0, AdditionalProperties: { format: 'csv' } };
    await new QueueClient(ready).sendMessage(Buffer.from(JSON.stringify(message)).toString('base64'));
    for (let i = 0; i < 100 && dm1.dm.pending().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(dm1.dm.pending()[0]?.items, 1, 'the blob waits for its 60 s batching window');
    await dm1.stop();
    await engine1.close();

    const engine2 = await engineWithTable(200);
    const dm2 = await attachDataManagement(engine2, { storageConnectionString: connectionString, dmPollIntervalMs: 50 });
    try {
      // The handed-back message is visible again at once; this engine's short batching window seals it quickly.
      let n = 0;
      for (let i = 0; i < 200 && n === 0; i++) {
        n = Number((await engine2.query('db', 'X | count')).rows[0]![0]);
        if (n === 0) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(n, 2);
    } finally {
      await dm2.stop();
      await engine2.close();
    }
  });
});
