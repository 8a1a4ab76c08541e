import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { ContainerClient } from '@azure/storage-blob';
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { KustoStore } from '../../../src/emulator/engine/store.js';
import { KustoEngine } from '../../../src/emulator/engine/kusto-engine.js';
import { attachDataManagement, type DataManagementHandle } from '../../../src/emulator/dm/attach.js';

/**
 * The DM loop against the real engine and in-process Azurite, with queue messages shaped exactly as
 * azure-kusto-ingest 7.0.1 writes them (the SDK-driven tests are in sdk-ingestion.test.ts).
 */
const ctx = { database: 'db', clientRequestId: undefined, principal: undefined };

describe('DM service (engine + Azurite)', () => {
  let engine: KustoEngine;
  let dm: DataManagementHandle;
  let resources: Map<string, string[]>;

  before(async () => {
    engine = new KustoEngine(await KustoStore.open(undefined), { defaultBatchingPolicy: { maximumBatchingTimeSpanMs: 60_000, maximumNumberOfItems: 1000, maximumRawDataSizeMB: 1024 } });
    dm = await attachDataManagement(engine, { dmPollIntervalMs: 50 });
    await engine.executeMgmt('db', '.create table T (a:long, b:string)', ctx);
    await engine.executeMgmt('db', '.create table Batched (a:long, b:string)', ctx);
    await engine.executeMgmt('db', `.alter table Batched policy ingestionbatching '{"MaximumBatchingTimeSpan":"00:00:01.5","MaximumNumberOfItems":3,"MaximumRawDataSizeMB":100}'`, ctx);
    const res = await engine.executeMgmt('NetDefaultDB', '.get ingestion resources', ctx);
    resources = new Map();
    for (const [kind, url] of res.rows as [string, string][]) resources.set(kind, [...(resources.get(kind) ?? []), url]);
  });
  after(async () => {
    await dm.stop();
    await engine.close();
  });

  async function queue(table: string, body: Buffer, props: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Promise<string> {
    const id = randomUUID();
    const container = new ContainerClient(resources.get('TempStorage')![0]!);
    const blob = container.getBlockBlobClient(`db__${table}__${id}.csv.gz`);
    await blob.uploadData(body);
    const message = {
      IngestionStatusInTable: null, BlobPath: blob.url, RawDataSize: null, DatabaseName: 'db', TableName: table, RetainBlobOnSuccess: true,
      FlushImmediately: false, IgnoreSizeLimit: false, ReportLevel: 2, ReportMethod: 0, SourceMessageCreationTime: new Date(), Id: id,
      AdditionalProperties: { authorizationContext: 'tok', format: 'csv', ...props }, ...top,
    };
    await new QueueClient(resources.get('SecuredReadyForAggregationQueue')![1]!).sendMessage(Buffer.from(JSON.stringify(message)).toString('base64'));
    return id;
  }

  async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const statusQueue = (kind: 'SuccessfulIngestionsQueue' | 'FailedIngestionsQueue') => new QueueClient(resources.get(kind)![0]!);
  /** Status messages read so far, by IngestionSourceId (every message is consumed, none hidden). */
  const seen = new Map<string, Record<string, unknown>>();
  async function popStatus(kind: 'SuccessfulIngestionsQueue' | 'FailedIngestionsQueue', id: string): Promise<Record<string, unknown>> {
    return waitFor(`${kind} message for ${id}`, async () => {
      const got = await statusQueue(kind).receiveMessages({ numberOfMessages: 32 });
      for (const m of got.receivedMessageItems) {
        const body = JSON.parse(Buffer.from(m.messageText, 'base64').toString('ascii')) as Record<string, unknown>;
        seen.set(`${kind}/${String(body['IngestionSourceId'])}`, body);
        await statusQueue(kind).deleteMessage(m.messageId, m.popReceipt);
      }
      return seen.get(`${kind}/${id}`);
    });
  }

  it('ingests a gzipped CSV blob with FlushImmediately and reports success', async () => {
    const id = await queue('T', gzipSync('1,"x, ""y"""\n2,ü\n'), {}, { FlushImmediately: true });
    const ok = await popStatus('SuccessfulIngestionsQueue', id);
    assert.equal(ok['Table'], 'T');
    assert.ok(!String(ok['IngestionSourcePath']).includes('sig='));
    const rows = (await engine.query('db', 'T | order by a asc')).rows;
    assert.deepEqual(rows, [[1, 'x, "y"'], [2, 'ü']].map(([a, b]) => [typeof rows[0]![0] === 'bigint' ? BigInt(a as number) : a, b]));
  });

  it('holds blobs until the batching policy seals them, then makes ONE extent', async () => {
    const started = Date.now();
    const ids = [await queue('Batched', Buffer.from('1,a\n')), await queue('Batched', Buffer.from('2,b\n'))];
    await waitFor('two blobs pending', async () => (dm.dm.pending().find((p) => p.table === 'Batched')?.items === 2 ? true : undefined));
    assert.equal(Number((await engine.query('db', 'Batched | count')).rows[0]![0]), 0);
    for (const id of ids) await popStatus('SuccessfulIngestionsQueue', id);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1400, `sealed after ${elapsed} ms, before the 1.5 s batching window`);
    const extents = await engine.executeMgmt('db', '.show table Batched extents', ctx);
    assert.equal(extents.rows.length, 1);
    assert.equal(Number((await engine.query('db', 'Batched | count')).rows[0]![0]), 2);
  });

  it('seals at MaximumNumberOfItems without waiting for the time limit', async () => {
    const before = (await engine.executeMgmt('db', '.show table Batched extents', ctx)).rows.length;
    const started = Date.now();
    const ids = [await queue('Batched', Buffer.from('10,a\n')), await queue('Batched', Buffer.from('11,b\n')), await queue('Batched', Buffer.from('12,c\n'))];
    for (const id of ids) await popStatus('SuccessfulIngestionsQueue', id);
    assert.ok(Date.now() - started < 1400, 'three items must seal the batch at once');
    assert.equal((await engine.executeMgmt('db', '.show table Batched extents', ctx)).rows.length, before + 1);
  });

  it('skips an ingestion whose ingest-by tag already exists', async () => {
    const first = await queue('T', Buffer.from('100,tagged\n'), { tags: '["ingest-by:run-1"]', ingestIfNotExists: ['run-1'] }, { FlushImmediately: true });
    await popStatus('SuccessfulIngestionsQueue', first);
    const second = await queue('T', Buffer.from('101,tagged-again\n'), { tags: '["ingest-by:run-1"]', ingestIfNotExists: ['run-1'] }, { FlushImmediately: true });
    const skipped = await popStatus('FailedIngestionsQueue', second);
    assert.equal(skipped['ErrorCode'], 'Skipped_IngestByTagAlreadyExists');
    assert.equal(Number((await engine.query('db', 'T | where a == 101 | count')).rows[0]![0]), 0);
  });

  it('skips the second of two blobs with the same ingest-by tag in ONE batch', async () => {
    const props = { tags: '["ingest-by:same-batch"]', ingestIfNotExists: ['same-batch'] };
    const first = await queue('Batched', Buffer.from('500,a\n'), props);
    const second = await queue('Batched', Buffer.from('501,b\n'), props);
    await popStatus('SuccessfulIngestionsQueue', first);
    assert.equal((await popStatus('FailedIngestionsQueue', second))['ErrorCode'], 'Skipped_IngestByTagAlreadyExists');
    assert.equal(Number((await engine.query('db', 'Batched | where a in (500, 501) | count')).rows[0]![0]), 1);
  });

  it('reports a malformed blob as Failed and lists it in .show ingestion failures', async () => {
    const bad = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('definitely not gzip')]);
    const id = await queue('T', bad, {}, { FlushImmediately: true, ReportLevel: 0 });
    const failed = await popStatus('FailedIngestionsQueue', id);
    assert.equal(failed['ErrorCode'], 'BadRequest_InvalidBlob');
    assert.equal(failed['FailureStatus'], 'Permanent');
    assert.match(String(failed['Details']), /could not be decompressed/);
    const failures = await engine.executeMgmt('db', '.show ingestion failures', ctx);
    const cols = failures.columns.map((c) => c.name);
    const row = failures.rows.find((r) => String(r[cols.indexOf('IngestionSourcePath')]).includes(id));
    assert.ok(row, 'the failure is listed');
    assert.equal(row[cols.indexOf('ErrorCode')], 'BadRequest_InvalidBlob');
    assert.equal(row[cols.indexOf('Table')], 'T');
  });

  it('reports a message for a missing table, and an unparseable message, never dropping them', async () => {
    const id = await queue('NoSuchTable', Buffer.from('1,a\n'), {}, { FlushImmediately: true });
    const failed = await popStatus('FailedIngestionsQueue', id);
    assert.match(String(failed['Details']), /NoSuchTable/);
    await new QueueClient(resources.get('SecuredReadyForAggregationQueue')![0]!).sendMessage(Buffer.from('{"Id":"broken-1","DatabaseName":"db"').toString('base64'));
    await waitFor('the broken message in .show ingestion failures', async () => {
      const f = await engine.executeMgmt('NetDefaultDB', '.show ingestion failures', ctx);
      return f.rows.some((r) => r.includes('BadRequest_InvalidMessage')) ? true : undefined;
    });
  });

  it('injected ingestion faults: fail and partial', async () => {
    dm.faults.add({ kind: 'ingestion', mode: 'fail', count: 1, table: 'T', transient: true });
    const failedId = await queue('T', Buffer.from('200,x\n'), {}, { FlushImmediately: true });
    const failed = await popStatus('FailedIngestionsQueue', failedId);
    assert.equal(failed['FailureStatus'], 'Transient');
    assert.equal(failed['ShouldRetry'], true);
    dm.faults.add({ kind: 'ingestion', mode: 'partial', count: 1, table: 'T' });
    const partialId = await queue('T', Buffer.from('201,y\n'), {}, { FlushImmediately: true });
    const partial = await popStatus('FailedIngestionsQueue', partialId);
    assert.equal(partial['ErrorCode'], 'General_PartialIngestion');
    assert.equal(Number((await engine.query('db', 'T | where a in (200, 201) | count')).rows[0]![0]), 1);
  });

  it('applies creationTime and tags to the extent', async () => {
    await engine.executeMgmt('db', '.create table C (a:long)', ctx);
    const id = await queue('C', Buffer.from('1\n'), { creationTime: '2020-05-06T07:08:09Z', tags: '["drop-by:d1","plain"]' }, { FlushImmediately: true });
    await popStatus('SuccessfulIngestionsQueue', id);
    const ext = await engine.executeMgmt('db', '.show table C extents', ctx);
    const col = (n: string) => ext.columns.findIndex((c) => c.name === n);
    const row = ext.rows[0]!;
    // Engine form: datetime as 100-ns ticks since the Unix epoch.
    assert.equal(BigInt(row[col('MinCreatedOn')] as bigint), BigInt(Date.parse('2020-05-06T07:08:09Z')) * 10_000n);
    assert.match(String(row[col('Tags')]), /drop-by:d1/);
    assert.match(String(row[col('Tags')]), /plain/);
  });

  it('ValidationPolicy: Fail rejects a blob with a bad record, BestEffort keeps the good ones', async () => {
    await engine.executeMgmt('db', '.create table V (a:long, b:string)', ctx);
    const strict = await queue('V', Buffer.from('1,a\nnot-a-number,b\n'), { ValidationPolicy: { ValidationOptions: 1, ValidationImplications: 0 } }, { FlushImmediately: true });
    const failed = await popStatus('FailedIngestionsQueue', strict);
    assert.ok(String(failed['Details']).length > 0);
    assert.equal(Number((await engine.query('db', 'V | count')).rows[0]![0]), 0);
    const lenient = await queue('V', Buffer.from('2,a\nnot-a-number,b\n'), { ValidationPolicy: { ValidationOptions: 1, ValidationImplications: 1 } }, { FlushImmediately: true });
    await popStatus('FailedIngestionsQueue', lenient);
    assert.equal(Number((await engine.query('db', 'V | where a == 2 | count')).rows[0]![0]), 1);
  });

  it('the no-storage fault empties .get ingestion resources once', async () => {
    await engine.executeMgmt('db', '.emulator fault no-storage 1', ctx);
    assert.equal((await engine.executeMgmt('NetDefaultDB', '.get ingestion resources', ctx)).rows.length, 0);
    assert.equal((await engine.executeMgmt('NetDefaultDB', '.get ingestion resources', ctx)).rows.length, 8);
  });

  it('returns a usable connection string and export containers', async () => {
    const svc = QueueServiceClient.fromConnectionString(dm.connectionString);
    const names: string[] = [];
    for await (const q of svc.listQueues()) names.push(q.name);
    assert.ok(names.includes('failedingestions'));
    const exp = await engine.executeMgmt('NetDefaultDB', '.show export containers', ctx);
    assert.equal(exp.rows.length, 2);
    assert.match(String(exp.rows[0]![0]), /exportstorage-0\?.*sig=/);
  });
});
