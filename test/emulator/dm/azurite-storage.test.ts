import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { startAzurite, type RunningAzurite } from '../../../src/emulator/dm/azurite-in-process.js';
import { ensureSelfSignedCertificate } from '../../../src/emulator/dm/self-signed-cert.js';
import { devStorageAccount, parseConnectionString, toConnectionString, type StorageAccount } from '../../../src/emulator/dm/storage-account.js';
import { createDmResources, dmResourceNames, ingestionResourceRows, storageClients } from '../../../src/emulator/dm/ingestion-resources.js';

describe('Azurite in process with an https table endpoint', () => {
  let dir: string;
  let azurite: RunningAzurite;
  let account: StorageAccount;
  let certPath: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kjob-azurite-'));
    const cert = await ensureSelfSignedCertificate(dir);
    certPath = cert.certPath;
    azurite = await startAzurite({ tableCertPath: cert.certPath, tableKeyPath: cert.keyPath });
    account = devStorageAccount({ blob: azurite.blobEndpoint, queue: azurite.queueEndpoint, table: azurite.tableEndpoint });
    await createDmResources(storageClients(account, await readFile(cert.certPath)), dmResourceNames());
  });
  after(async () => {
    await azurite.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('listens on free ports, blob/queue over http and table over https', () => {
    assert.match(azurite.blobEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(azurite.queueEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(azurite.tableEndpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(azurite.blobEndpoint, azurite.queueEndpoint);
  });

  it('hands out all five resource kinds with SAS URLs that Azurite accepts', async () => {
    const rows = ingestionResourceRows(account, dmResourceNames());
    const kinds = new Set(rows.map(([k]) => k));
    assert.deepEqual([...kinds].sort(), ['FailedIngestionsQueue', 'IngestionsStatusTable', 'SecuredReadyForAggregationQueue', 'SuccessfulIngestionsQueue', 'TempStorage']);
    assert.ok(rows.filter(([k]) => k === 'TempStorage').length >= 2);
    assert.ok(rows.filter(([k]) => k === 'SecuredReadyForAggregationQueue').length >= 2);
    for (const [, url] of rows) assert.match(url, /sig=/);

    const container = rows.find(([k]) => k === 'TempStorage')![1];
    const blob = new ContainerClient(container).getBlockBlobClient('x.csv');
    await blob.uploadData(Buffer.from('a,b\n'));
    assert.equal((await blob.downloadToBuffer()).toString(), 'a,b\n');

    const queue = new QueueClient(rows.find(([k]) => k === 'SecuredReadyForAggregationQueue')![1]);
    await queue.sendMessage('aGVsbG8=');
    const got = await queue.receiveMessages();
    assert.equal(got.receivedMessageItems[0]?.messageText, 'aGVsbG8=');
  });

  it('rejects an unsigned request (SAS signatures are really checked)', async () => {
    const unsigned = new ContainerClient(`${account.blobEndpoint}/tempstorage-0`).getBlockBlobClient('y.csv');
    await assert.rejects(unsigned.uploadData(Buffer.from('x')), (e: { statusCode?: number }) => e.statusCode === 403);
  });

  it('serves the table over https with the generated certificate (SAN 127.0.0.1)', async () => {
    const ca = await readFile(certPath);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${azurite.tableEndpoint}/devstoreaccount1/Tables`, { ca, method: 'GET' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    // 403 (no auth) proves the TLS handshake succeeded with the certificate as the only trust anchor.
    assert.equal(status, 403);
  });

  it('round-trips the connection string', () => {
    const cs = toConnectionString(account);
    assert.deepEqual(parseConnectionString(cs), account);
    assert.equal(parseConnectionString('UseDevelopmentStorage=true').accountName, 'devstoreaccount1');
    assert.throws(() => parseConnectionString('BlobEndpoint=http://x;SharedAccessSignature=sv=1'), /AccountKey/);
  });

  it('reuses a still-valid certificate in the same directory', async () => {
    const again = await ensureSelfSignedCertificate(dir);
    assert.equal((await readFile(again.certPath)).toString(), (await readFile(certPath)).toString());
  });
});
