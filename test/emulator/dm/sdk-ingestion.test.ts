import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as arrow from 'apache-arrow';
import { BlobServiceClient, ContainerSASPermissions } from '@azure/storage-blob';
import { Table as WasmTable, writeParquet } from 'parquet-wasm/node';
import { Client } from 'azure-kusto-data';
import {
  BlobDescriptor,
  CsvColumnMapping,
  DataFormat,
  IngestClient,
  IngestStatusQueues,
  IngestionProperties,
  JsonColumnMapping,
  ManagedStreamingIngestClient,
  ReportLevel,
  StreamDescriptor,
} from 'azure-kusto-ingest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/start-emulator.js';

/**
 * Queued ingestion through the unmodified azure-kusto-ingest SDK against the emulator (engine + DM +
 * in-process Azurite), with outcomes read back through the SDK's status queues and the data client.
 */
describe('queued ingestion through the unmodified SDKs', () => {
  let emu: RunningEmulator;
  let kusto: Client;
  let ingest: IngestClient;
  let status: IngestStatusQueues;
  let dir: string;
  const seen = new Map<string, Record<string, unknown>>();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kjob-sdk-ingest-'));
    emu = await startEmulator({ defaultBatchingPolicy: { maximumBatchingTimeSpanMs: 300, maximumNumberOfItems: 1000, maximumRawDataSizeMB: 1024 }, dataManagement: { dmPollIntervalMs: 50 } });
    kusto = new Client(emu.clusterUrl);
    ingest = new IngestClient(emu.clusterUrl);
    status = new IngestStatusQueues(ingest);
    await kusto.executeMgmt('db', '.create table T (a:long, b:string, ts:datetime)');
    await kusto.executeMgmt('db', '.create table J (id:long, name:string, tags:dynamic)');
    await kusto.executeMgmt('db', `.create table J ingestion json mapping 'jmap' '[{"column":"id","path":"$.i","datatype":"long"},{"column":"name","path":"$.n","datatype":"string"},{"column":"tags","path":"$.t","datatype":"dynamic"}]'`);
    await kusto.executeMgmt('db', '.create table P (x:long, y:real, s:string)');
    await kusto.executeMgmt('db', '.create table Slow (a:long)');
    await kusto.executeMgmt('db', `.alter table Slow policy ingestionbatching '{"MaximumBatchingTimeSpan":"00:00:02","MaximumNumberOfItems":100,"MaximumRawDataSizeMB":100}'`);
  });
  after(async () => {
    ingest.close();
    kusto.close();
    await emu.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const props = (table: string, extra: Partial<IngestionProperties> = {}) =>
    new IngestionProperties({ database: 'db', table, format: DataFormat.CSV, reportLevel: ReportLevel.FailuresAndSuccesses, flushImmediately: true, ...extra });

  /** Waits for the status message of one source id, through the SDK's IngestStatusQueues. */
  async function outcome(sourceId: string, timeoutMs = 15_000): Promise<{ ok: boolean; body: Record<string, unknown> }> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      for (const [kind, q] of [['ok', status.success], ['failed', status.failure]] as const) {
        for (const m of await q.pop(32)) seen.set(String((m as { IngestionSourceId?: string }).IngestionSourceId), { ...m, kind });
      }
      const hit = seen.get(sourceId);
      if (hit) return { ok: hit['kind'] === 'ok', body: hit };
      if (Date.now() > until) throw new Error(`no status message for ${sourceId}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A Buffer, as JS callers pass it (the SDK's typings only name ArrayBuffer | Readable). */
  const bytes = (text: string) => Buffer.from(text) as unknown as ArrayBuffer;

  /** The source id the SDK put in the queue message (for streams it is NOT the descriptor's id). */
  function sourceIdOf(result: unknown): string {
    const id = (result as { ingestionStatus?: { IngestionSourceId?: string } }).ingestionStatus?.IngestionSourceId;
    assert.ok(id, 'the SDK returns the ingestion source id');
    return String(id);
  }

  async function rows(kql: string): Promise<unknown[][]> {
    const r = await kusto.execute('db', kql);
    return [...r.primaryResults[0]!.rows()].map((row) => row.toJSON<Record<string, unknown>>()).map((o) => Object.values(o));
  }

  it('ingestFromStream: CSV from a Readable, rows land and success is reported', async () => {
    const id = sourceIdOf(await ingest.ingestFromStream(new StreamDescriptor(Readable.from([Buffer.from('1,"a, ""q""",2024-01-02T03:04:05Z\n2,ü,\n')])), props('T')));
    const o = await outcome(id);
    assert.ok(o.ok, JSON.stringify(o.body));
    assert.deepEqual(await rows('T | where a <= 2 | order by a asc | project a, b'), [[1, 'a, "q"'], [2, 'ü']]);
  });

  it('ingestFromFile: a CSV file (gzipped by the SDK) with an inline ordinal mapping', async () => {
    const file = join(dir, 'data.csv');
    await writeFile(file, 'x,ignored,10\ny,ignored,11\n');
    const mapping = [CsvColumnMapping.withOrdinal('b', 0, 'string'), CsvColumnMapping.withOrdinal('a', 2, 'long')];
    const result = await ingest.ingestFromFile(file, props('T', { ingestionMappingColumns: mapping }));
    const id = String((result as unknown as { ingestionStatus?: { IngestionSourceId?: string } }).ingestionStatus?.IngestionSourceId ?? '');
    assert.ok(id);
    assert.ok((await outcome(id)).ok);
    assert.deepEqual(await rows('T | where a in (10, 11) | order by a asc | project a, b'), [[10, 'x'], [11, 'y']]);
  });

  it('TSV from a Buffer, with ignoreFirstRecord', async () => {
    const id = sourceIdOf(await ingest.ingestFromStream(new StreamDescriptor(bytes('a\tb\tts\n20\ttab\t\n')), props('T', { format: DataFormat.TSV, ignoreFirstRecord: true })));
    assert.ok((await outcome(id)).ok);
    assert.deepEqual(await rows('T | where a == 20 | project b'), [['tab']]);
  });

  it('JSON with an inline path mapping, and multijson by mapping reference', async () => {
    const inline = [JsonColumnMapping.withPath('id', '$.i', 'long'), JsonColumnMapping.withPath('name', '$.n', 'string'), JsonColumnMapping.withPath('tags', '$.t', 'dynamic')];
    const id1 = sourceIdOf(await ingest.ingestFromStream(new StreamDescriptor(bytes('{"i":1,"n":"one","t":[1,2]}\n{"i":2,"n":null,"t":{"k":"v"}}\n')), props('J', { format: DataFormat.JSON, ingestionMappingColumns: inline })));
    const id2 = sourceIdOf(await ingest.ingestFromStream(new StreamDescriptor(bytes('[{"i":3,"n":"three","t":null},\n {"i":4,"n":"日本","t":"x"}]')), props('J', { format: DataFormat.MULTIJSON, ingestionMappingReference: 'jmap' })));
    assert.ok((await outcome(id1)).ok);
    assert.ok((await outcome(id2)).ok);
    assert.deepEqual(await rows('J | order by id asc | project id, name'), [[1, 'one'], [2, ''], [3, 'three'], [4, '日本']]);
  });

  it('Parquet from a file (uploaded uncompressed although named .parquet.gz)', async () => {
    const t = new arrow.Table({
      x: arrow.vectorFromArray([1n, 2n, 3n], new arrow.Int64()),
      y: arrow.vectorFromArray([0.5, null, -1e300], new arrow.Float64()),
      s: arrow.vectorFromArray(['p', null, 'q"r'], new arrow.Utf8()),
    });
    const file = join(dir, 'p.parquet');
    await writeFile(file, writeParquet(WasmTable.fromIPCStream(arrow.tableToIPC(t, 'stream'))));
    const result = await ingest.ingestFromFile(file, props('P', { format: DataFormat.PARQUET }));
    const id = String((result as unknown as { ingestionStatus?: { IngestionSourceId?: string } }).ingestionStatus?.IngestionSourceId ?? '');
    assert.ok((await outcome(id)).ok);
    assert.deepEqual(await rows('P | order by x asc'), [[1, 0.5, 'p'], [2, null, ''], [3, -1e300, 'q"r']]);
  });

  it('ingestFromBlob: a blob the caller uploaded, with its SAS', async () => {
    const service = BlobServiceClient.fromConnectionString(emu.dataManagement.connectionString);
    const container = service.getContainerClient(`src${Date.now()}`);
    await container.create();
    const blob = container.getBlockBlobClient('in.csv');
    await blob.uploadData(Buffer.from('30,from-blob,\n'));
    const sas = await container.generateSasUrl({ permissions: ContainerSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3600_000) });
    const id = randomUUID();
    await ingest.ingestFromBlob(new BlobDescriptor(`${container.url}/in.csv?${sas.split('?')[1]}`, 14, id), props('T'));
    assert.ok((await outcome(id)).ok);
    assert.deepEqual(await rows('T | where a == 30 | project b'), [['from-blob']]);
  });

  it('ingestIfNotExists: the second ingestion with the same ingest-by tag is Skipped', async () => {
    const tag = `run-${randomUUID()}`;
    const id1 = sourceIdOf(await ingest.ingestFromStream(new StreamDescriptor(bytes('40,first,\n')), props('T', { ingestByTags: [tag], ingestIfNotExists: tag })));
    assert.ok((await outcome(id1)).ok);
    const id2 = sourceIdOf(await ingest.ingestFromStream(new StreamDescriptor(bytes('41,second,\n')), props('T', { ingestByTags: [tag], ingestIfNotExists: tag })));
    const o = await outcome(id2);
    assert.equal(o.ok, false);
    assert.equal(o.body['ErrorCode'], 'Skipped_IngestByTagAlreadyExists');
    assert.deepEqual(await rows('T | where a in (40, 41) | project a'), [[40]]);
  });

  it('a malformed blob fails with details in .show ingestion failures', async () => {
    const id = sourceIdOf(await ingest.ingestFromStream(new StreamDescriptor(bytes('{"i": 1, "n": ')), props('J', { format: DataFormat.JSON, ingestionMappingReference: 'jmap', reportLevel: ReportLevel.FailuresOnly })));
    const o = await outcome(id);
    assert.equal(o.ok, false);
    assert.ok(String(o.body['Details']).length > 0);
    const f = await kusto.executeMgmt('db', '.show ingestion failures');
    const found = [...f.primaryResults[0]!.rows()].map((r) => r.toJSON<Record<string, unknown>>()).find((r) => String(r['IngestionSourcePath']).includes('db__J__'));
    assert.ok(found, 'the failure is listed');
    assert.equal(found['Table'], 'J');
    assert.equal(found['FailureKind'], 'Permanent');
    assert.ok(String(found['Details']).length > 0);
  });

  it('batching policy: blobs land only after MaximumBatchingTimeSpan, in one extent; FlushImmediately lands at once', async () => {
    const started = Date.now();
    const ids: string[] = [];
    for (const i of [0, 1]) ids.push(sourceIdOf(await ingest.ingestFromStream(new StreamDescriptor(bytes(`${i}\n`)), props('Slow', { flushImmediately: false }))));
    await new Promise((r) => setTimeout(r, 800));
    assert.deepEqual(await rows('Slow | count'), [[0]], 'nothing may land before the batching window closes');
    for (const id of ids) assert.ok((await outcome(id)).ok);
    assert.ok(Date.now() - started >= 1900, `landed after ${Date.now() - started} ms`);
    assert.deepEqual(await rows('Slow | count'), [[2]]);
    const extents = await kusto.executeMgmt('db', '.show table Slow extents');
    assert.equal([...extents.primaryResults[0]!.rows()].length, 1);

    const t0 = Date.now();
    const quick = sourceIdOf(await ingest.ingestFromStream(new StreamDescriptor(bytes('99\n')), props('Slow', { flushImmediately: true })));
    assert.ok((await outcome(quick)).ok);
    assert.ok(Date.now() - t0 < 1900, 'FlushImmediately must not wait for the batching window');
  });

  it('ManagedStreamingIngestClient falls back to queued ingestion when streaming is refused', async () => {
    const managed = new ManagedStreamingIngestClient(emu.clusterUrl, emu.clusterUrl, props('T', { flushImmediately: true }));
    try {
      // Streaming is not enabled on T: the client tries 3 times, then queues.
      const started = Date.now();
      const r = await managed.ingestFromStream(new StreamDescriptor(Readable.from([Buffer.from('50,managed,\n')])));
      assert.equal((r as unknown as { ingestionStatus?: { Status?: string } }).ingestionStatus?.Status, 'Queued');
      assert.ok(Date.now() - started >= 2900, 'three refused streaming attempts (1 s + 2 s apart) come first');
      assert.ok((await outcome(sourceIdOf(r))).ok);
      assert.deepEqual(await rows('T | where a == 50 | project b'), [['managed']]);
    } finally {
      managed.close();
    }
  });
});
