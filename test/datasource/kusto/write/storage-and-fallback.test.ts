import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BlobServiceClient, ContainerSASPermissions } from '@azure/storage-blob';
import { sinkOptions, useSinkTestContext, type TaskFailure } from './support.js';

const sink = useSinkTestContext('kusto storage', { 'kjob.task.maxAttempts': 1 }, async ({ probe }) => {
  await probe.rows('db', '.create table U (id:long, name:string)');
  await probe.rows('db', '.create table S (id:long, name:string)');
  await probe.rows('db', '.alter table S policy streamingingestion enable');
});

async function waitForCount(table: string, expected: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  let n = 0;
  while (Date.now() < deadline && (n = await sink.probe.count('db', table)) < expected) await new Promise((r) => setTimeout(r, 200));
  assert.equal(n, expected);
}

const df = () => sink.spark.createDataFrame([{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }], 'id bigint, name string', { partitions: 2 });

describe('kustoIngestionStorageContainer', () => {
  it('blobs go to the user\'s container (SAS used verbatim), not the cluster\'s temporary storage', async () => {
    const service = BlobServiceClient.fromConnectionString(sink.emu.dataManagement.connectionString);
    const container = service.getContainerClient('user-ingest');
    await container.createIfNotExists();
    const sasUrl = await container.generateSasUrl({ permissions: ContainerSASPermissions.parse('rcwl'), expiresOn: new Date(Date.now() + 3_600_000) });
    const [base, sas] = sasUrl.split('?') as [string, string];
    const storageUrl = base.slice(0, base.lastIndexOf('/'));
    const option = JSON.stringify([{ storageUrl, containerName: 'user-ingest', sas: `?${sas}` }]);
    const result = await df().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'U', { kustoIngestionStorageContainer: option })).mode('append').save();
    assert.equal(result.rows, 3);
    assert.equal(await sink.probe.count('db', 'U'), 3);
    const names: string[] = [];
    for await (const b of container.listBlobsFlat()) names.push(b.name);
    // The driver's write-task sizing reads both tiny partitions in one task: one blob.
    assert.equal(names.length, 1);
    assert.ok(names.every((n) => /^db_sparkTempTable_kusto_storage_U_.+_p0_a0_b0_kjob\.csv\.gz$/.test(n)), names.join(', '));
    assert.ok(!JSON.stringify(result).includes(sas.slice(sas.indexOf('sig=') + 4, sas.indexOf('sig=') + 14)));
  });
});

describe('storage failures', () => {
  it('an upload refused by storage fails the task with IngestionServiceException, SAS signature redacted', async () => {
    const service = BlobServiceClient.fromConnectionString(sink.emu.dataManagement.connectionString);
    const storageUrl = service.url.replace(/\/+$/, '');
    const forged = '?sv=2022-11-02&ss=b&srt=co&sp=rwl&se=2099-01-01T00:00:00Z&sig=Zm9yZ2VkLXNpZ25hdHVyZQ%3D%3D';
    const option = JSON.stringify([{ storageUrl, containerName: 'user-ingest', sas: forged }]);
    await assert.rejects(df().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'U', { kustoIngestionStorageContainer: option, writeMode: 'Queued' })).mode('append').save(), (e: TaskFailure) => {
      assert.equal(e.name, 'TaskFailedError');
      assert.equal(e.taskErrorName, 'IngestionServiceException');
      assert.equal(e.taskError.name, 'IngestionServiceException');
      assert.match(String(e.taskErrorMessage), /^Uploading blob db_\S+_kjob\.csv\.gz failed: Server failed to authenticate the request/);
      assert.match(e.taskError.likelyCause ?? '', /data-management endpoint or its storage/);
      assert.match(e.taskError.resolution ?? '', /Ingestor role/);
      assert.match(String(e.requestId), /^[0-9a-f-]{36}$/);
      assert.equal(e.taskError.requestId, e.requestId);
      assert.match(e.message, /Uploading blob .*_kjob\.csv\.gz failed/);
      assert.ok(!e.message.includes('Zm9yZ2VkLXNpZ25hdHVyZQ'), e.message);
      assert.ok(!(e.stack ?? '').includes('Zm9yZ2VkLXNpZ25hdHVyZQ'));
      return true;
    });
  });
});

describe('KustoStreaming fallback', () => {
  it('streaming failures (3 tries) fall back to queued ingestion through ManagedStreamingIngestClient', async () => {
    await sink.probe.rows('db', '.emulator fault fail 6 status 503 on ingest');
    try {
      const result = await df().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'S', { writeMode: 'KustoStreaming' })).mode('append').save();
      assert.equal(result.rows, 3);
      // KustoStreaming tasks are never regrouped by the write-task sizing, so: 2 partitions × 3 streaming tries consumed the 6 injected failures; the rows came by queue.
      assert.deepEqual(await sink.probe.rows('db', '.emulator faults'), []);
      await waitForCount('S', 3);
    } finally {
      await sink.probe.rows('db', '.emulator fault clear');
    }
  });
});
