import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, KustoConnectionStringBuilder } from 'azure-kusto-data';
import { IngestClient } from 'azure-kusto-ingest';
import { ingestionContainers } from '../../../../src/datasource/kusto/client/ingestion-storage-provider.js';
import { KustoRequestException } from '../../../../src/datasource/kusto/client/engine-client.js';
import { NoStorageContainersException } from '../../../../src/datasource/kusto/errors/ingestion-errors.js';
import { ManualClock } from '../../../../src/datasource/kusto/polling/clock.js';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/start-emulator.js';

/**
 * `.get ingestion resources` through the unmodified ingest SDK against the emulator in auth mode:
 * transient failures are retried (backoff on a manual clock), permanent ones fail at once.
 */
describe('temporary storage from .get ingestion resources', () => {
  let emu: RunningEmulator;
  let admin: Client;
  const clients: IngestClient[] = [];
  const ingestClient = (token: string) => {
    const c = new IngestClient(KustoConnectionStringBuilder.withAccessToken(emu.clusterUrl, token), undefined, false);
    clients.push(c);
    return c;
  };
  const fault = (text: string) => admin.executeMgmt('db', `.emulator fault ${text}`);

  before(async () => {
    emu = await startEmulator({
      warmUp: false,
      autoDeleteIntervalMs: 0,
      auth: { tokens: { 'tok-admin': 'aadapp=admin-app', 'tok-view': 'aadapp=viewer-app' }, clusterAdmins: ['aadapp=admin-app'] },
    });
    admin = new Client(KustoConnectionStringBuilder.withAccessToken(emu.clusterUrl, 'tok-admin'));
    await admin.executeMgmt('db', '.create table A (a:long)');
    await admin.executeMgmt('db', ".add database db viewers ('aadapp=viewer-app') 'read only'");
  });
  after(async () => {
    for (const c of clients) c.close();
    admin?.close();
    await emu?.stop();
  });

  it('403 (no Ingestor role) fails at once with the service message, not NoStorageContainersException after retries', async () => {
    const clock = new ManualClock();
    await assert.rejects(ingestionContainers(ingestClient('tok-view'), { requestId: 'req-403', clock, attempts: 8 }), (e: unknown) => {
      assert.ok(e instanceof KustoRequestException, String(e));
      assert.equal(e.name, 'KustoRequestException');
      assert.equal(e.httpStatus, 403);
      assert.equal(e.requestId, 'req-403');
      assert.equal(e.retryable, false);
      assert.match(e.message, /^Kusto KJOB\.write\.ingestionResources failed \(HTTP 403\): .*Database Ingestor.*\. Command: \.get ingestion resources$/);
      assert.match(e.message, /viewer-app/);
      assert.match(e.likelyCause ?? '', /Ingestor for ingestion/);
      assert.match(e.resolution ?? '', /req-403/);
      assert.ok(!e.message.includes('tok-view'));
      return true;
    });
    assert.deepEqual(clock.sleeps, []);
  });

  it('401 (unknown token) also fails at once', async () => {
    const clock = new ManualClock();
    await assert.rejects(ingestionContainers(ingestClient('tok-wrong'), { requestId: 'req-401', clock }), (e: unknown) => e instanceof KustoRequestException && e.httpStatus === 401 && /bearer token is not valid/.test(e.message) && !e.message.includes('tok-wrong'));
    assert.deepEqual(clock.sleeps, []);
  });

  it('transient 503s are retried with backoff until the resources come', async () => {
    const clock = new ManualClock();
    await fault('fail 2 status 503 on mgmt matching "ingestion resources"');
    const containers = await ingestionContainers(ingestClient('tok-admin'), { requestId: 'req-503', clock });
    assert.ok(containers.length > 0);
    assert.equal(clock.sleeps.length, 2);
    assert.ok(clock.sleeps.every((ms) => ms >= 500 && ms <= 10_000), String(clock.sleeps));
  });

  it('a 503 that persists ends as NoStorageContainersException after the attempts, the last 503 as its cause', async () => {
    const clock = new ManualClock();
    await fault('fail 0 status 503 on mgmt matching "ingestion resources"');
    try {
      await assert.rejects(ingestionContainers(ingestClient('tok-admin'), { requestId: 'req-persist', clock, attempts: 3 }), (e: unknown) => {
        assert.ok(e instanceof NoStorageContainersException, String(e));
        assert.equal(e.message, 'No storage containers received. Failed to allocate temporary storage');
        assert.equal(e.requestId, 'req-persist');
        assert.match(e.resolution ?? '', /kustoIngestionStorageContainer/);
        assert.equal((e.cause as { response?: { status?: number } }).response?.status, 503);
        assert.match(e.describe(), /Caused by: .*503/);
        return true;
      });
    } finally {
      await fault('clear');
    }
    assert.equal(clock.sleeps.length, 2);
  });
});
