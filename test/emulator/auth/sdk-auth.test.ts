import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { Client, KustoConnectionStringBuilder } from 'azure-kusto-data';
import { DataFormat, IngestClient, IngestStatusQueues, IngestionProperties, ReportLevel, StreamDescriptor, StreamingIngestClient } from 'azure-kusto-ingest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/start-emulator.js';

/** The optional auth mode through the unmodified SDKs: 401 without a token, 403 naming the missing role. */
describe('auth mode through the unmodified SDKs', () => {
  let emu: RunningEmulator;
  let admin: Client;
  const kcsb = (token: string) => KustoConnectionStringBuilder.withAccessToken(emu.clusterUrl, token);

  before(async () => {
    emu = await startEmulator({
      auth: { tokens: { 'tok-admin': 'aadapp=admin-app', 'tok-view': 'aadapp=viewer-app;tenant-1', 'tok-ingest': 'aadapp=ingest-app', 'tok-nobody': 'aaduser=nobody@example.com' }, clusterAdmins: ['aadapp=admin-app'] },
      dataManagement: { dmPollIntervalMs: 50 },
    });
    admin = new Client(kcsb('tok-admin'));
    await admin.executeMgmt('db', '.create table A (a:long, b:string)');
    await admin.executeMgmt('db', '.alter table A policy streamingingestion enable');
    await admin.executeMgmt('db', ".add database db viewers ('aadapp=viewer-app') 'read only'");
    await admin.executeMgmt('db', ".add database db ingestors ('aadapp=ingest-app')");
  });
  after(async () => {
    admin.close();
    await emu.stop();
  });

  const httpStatus = (e: unknown) => (e as { response?: { status?: number } }).response?.status;
  const serviceMessage = (e: unknown) => String((e as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message ?? (e as Error).message);

  it('401 without a bearer token and with an unknown token', async () => {
    const anonymous = new Client(emu.clusterUrl);
    const wrong = new Client(kcsb('tok-wrong'));
    try {
      await assert.rejects(anonymous.execute('db', 'A | count'), (e: unknown) => httpStatus(e) === 401);
      await assert.rejects(wrong.executeMgmt('db', '.show tables'), (e: unknown) => httpStatus(e) === 401);
    } finally {
      anonymous.close();
      wrong.close();
    }
  });

  it('a viewer queries but gets 403 naming the Ingestor role for ingestion commands', async () => {
    const viewer = new Client(kcsb('tok-view'));
    try {
      await viewer.execute('db', 'A | count');
      await assert.rejects(viewer.executeMgmt('db', '.set-or-append A <| print a=1, b="x"'), (e: unknown) => httpStatus(e) === 403 && /Database Ingestor/.test(serviceMessage(e)) && /viewer-app/.test(serviceMessage(e)));
      await assert.rejects(viewer.executeMgmt('db', '.drop table A'), (e: unknown) => httpStatus(e) === 403 && /Database Admin/.test(serviceMessage(e)));
      const principals = [...(await viewer.executeMgmt('db', '.show database db principals')).primaryResults[0]!.rows()].map((r) => r.toJSON<{ Role: string; PrincipalFQN: string }>());
      assert.ok(principals.some((p) => p.Role === 'Database db Viewer' && p.PrincipalFQN === 'aadapp=viewer-app'));
    } finally {
      viewer.close();
    }
  });

  it('an ingestor ingests through the queue and through streaming, but cannot query', async () => {
    const ingest = new IngestClient(kcsb('tok-ingest'));
    const streaming = new StreamingIngestClient(kcsb('tok-ingest'));
    const asIngestor = new Client(kcsb('tok-ingest'));
    try {
      const props = new IngestionProperties({ database: 'db', table: 'A', format: DataFormat.CSV, reportLevel: ReportLevel.FailuresAndSuccesses, flushImmediately: true });
      const r = await ingest.ingestFromStream(new StreamDescriptor(Buffer.from('1,queued\n') as unknown as ArrayBuffer), props);
      const id = String((r as unknown as { ingestionStatus: { IngestionSourceId: string } }).ingestionStatus.IngestionSourceId);
      const queues = new IngestStatusQueues(ingest);
      let done = false;
      for (let i = 0; i < 150 && !done; i++) {
        done = (await queues.success.pop(32)).some((m) => (m as { IngestionSourceId?: string }).IngestionSourceId === id);
        if (!done) await new Promise((res) => setTimeout(res, 100));
      }
      assert.ok(done, 'queued ingestion succeeded');
      await streaming.ingestFromStream(new StreamDescriptor(Readable.from([Buffer.from('2,streamed\n')])), props);
      const rows = [...(await admin.execute('db', 'A | order by a asc')).primaryResults[0]!.rows()].map((x) => x.toJSON<{ a: number; b: string }>());
      assert.deepEqual(rows.map((x) => [x.a, x.b]), [[1, 'queued'], [2, 'streamed']]);
      await assert.rejects(asIngestor.execute('db', 'A | count'), (e: unknown) => httpStatus(e) === 403 && /Database Viewer/.test(serviceMessage(e)));
    } finally {
      ingest.close();
      streaming.close();
      asIngestor.close();
    }
  });

  it('a principal without roles is refused by the ingest endpoints (403)', async () => {
    const ingest = new IngestClient(kcsb('tok-nobody'));
    const streaming = new StreamingIngestClient(kcsb('tok-nobody'));
    const nobody = new Client(kcsb('tok-nobody'));
    try {
      await assert.rejects(ingest.ingestFromStream(new StreamDescriptor(Buffer.from('3,x\n') as unknown as ArrayBuffer), { database: 'db', table: 'A', format: DataFormat.CSV }), /ingestion resources[\s\S]*403/);
      await assert.rejects(streaming.ingestFromStream(new StreamDescriptor(Readable.from([Buffer.from('3,x\n')])), { database: 'db', table: 'A', format: DataFormat.CSV }), (e: unknown) => httpStatus(e) === 403);
      await assert.rejects(nobody.executeMgmt('NetDefaultDB', '.get ingestion resources'), (e: unknown) => httpStatus(e) === 403 && /Database Ingestor/.test(serviceMessage(e)));
    } finally {
      nobody.close();
      ingest.close();
      streaming.close();
    }
  });

  it('fault control is reserved to cluster admins', async () => {
    const viewer = new Client(kcsb('tok-view'));
    try {
      await assert.rejects(viewer.executeMgmt('db', '.emulator fault clear'), (e: unknown) => httpStatus(e) === 403 && /Cluster Admin/.test(serviceMessage(e)));
      await admin.executeMgmt('db', '.emulator fault clear');
    } finally {
      viewer.close();
    }
  });
});
