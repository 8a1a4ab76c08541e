import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerClient } from '@azure/storage-blob';
import { KustoStore } from '../../../src/emulator/engine/store.js';
import { KustoEngine } from '../../../src/emulator/engine/kusto-engine.js';
import { attachDataManagement } from '../../../src/emulator/dm/attach.js';

/** Storage bound to all interfaces and advertised under a host name (the docker-compose case). */
describe('advertised storage host', () => {
  it('hands out endpoints and SAS URLs under the advertised name, and they work', async () => {
    const engine = new KustoEngine(await KustoStore.open(undefined));
    const dm = await attachDataManagement(engine, { storageHost: '0.0.0.0', advertisedHost: 'localhost' });
    try {
      assert.match(dm.blobEndpoint, /^http:\/\/localhost:\d+\/devstoreaccount1$/);
      assert.match(dm.tableEndpoint, /^https:\/\/localhost:\d+\/devstoreaccount1$/);
      const rows = (await engine.executeMgmt('NetDefaultDB', '.get ingestion resources', { database: 'NetDefaultDB', clientRequestId: undefined, principal: undefined })).rows as [string, string][];
      for (const [, url] of rows) assert.match(url, /^https?:\/\/localhost:\d+\//);
      const blob = new ContainerClient(rows.find(([k]) => k === 'TempStorage')![1]).getBlockBlobClient('a.csv');
      await blob.uploadData(Buffer.from('x'));
      assert.equal((await blob.downloadToBuffer()).toString(), 'x');
    } finally {
      await dm.stop();
      await engine.close();
    }
  });
});
