import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, request } from 'node:http';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Client } from 'azure-kusto-data';
import { DataFormat, StreamingIngestClient } from 'azure-kusto-ingest';
import { emulatorWithClient, httpError, rows } from './support.js';

/** Streaming ingestion through the unmodified azure-kusto-ingest StreamingIngestClient. */
describe('emulator streaming ingestion', () => {
  let client: Client;
  let ingest: StreamingIngestClient;
  let close: () => Promise<void>;
  let url: string;
  const db = 'streamdb';
  const mgmt = async (csl: string) => rows(await client.execute(db, csl));
  const send = (table: string, data: string | Buffer, format: DataFormat, extra: Record<string, unknown> = {}) =>
    ingest.ingestFromStream(Readable.from([Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8')]), { database: db, table, format, ...extra });

  before(async () => {
    const e = await emulatorWithClient();
    client = e.client;
    close = e.close;
    ingest = new StreamingIngestClient(e.emu.clusterUrl);
    url = e.emu.clusterUrl;
    await mgmt('.create table S (id:long, name:string, at:datetime, d:dynamic)');
    await mgmt(".alter table S policy streamingingestion enable");
  });
  after(async () => {
    ingest.close();
    await close();
  });

  it('refuses tables without an enabled streaming policy, with the service error code', async () => {
    await mgmt('.create table NoStream (a:long)');
    const e = await httpError(send('NoStream', '1\n', DataFormat.CSV));
    assert.equal(e.status, 400);
    assert.equal(e.code, 'BadRequest_StreamingIngestionPolicyNotEnabled');
    // The database-level policy is enough.
    await mgmt(`.alter database ${db} policy streamingingestion enable`);
    await send('NoStream', '1\n', DataFormat.CSV);
    assert.equal(rows(await client.execute(db, 'NoStream | count'))[0]!['Count'], 1);
    await mgmt(`.alter database ${db} policy streamingingestion disable`);
  });

  it('ingests csv (quoted fields, newlines, unicode) and tsv, one extent per call', async () => {
    const r = await send('S', '1,"a, ""b""\nc ü",2024-01-02T03:04:05.1234567Z,"{""k"":[1]}"\n', DataFormat.CSV);
    assert.equal((r as { Tables: { Rows: unknown[][] }[] }).Tables[0]!.Rows[0]![0], 1);
    await send('S', '2\ttab\t2024-01-03T00:00:00Z\t[1,2]\n', DataFormat.TSV);
    const got = rows(await client.execute(db, 'S | order by id asc'));
    assert.equal(got[0]!['name'], 'a, "b"\nc ü');
    assert.deepEqual(got[0]!['d'], { k: [1] });
    assert.equal(got[1]!['name'], 'tab');
    assert.equal((await mgmt('.show table S extents')).length, 2);
  });

  it('ingests json lines and multijson with a mapping reference', async () => {
    await send('S', '{"id":3,"name":"j","at":"2024-01-04T00:00:00Z","d":{"x":1}}\n{"id":4,"name":"k"}\n', DataFormat.JSON);
    await mgmt(`.create table S ingestion json mapping "m1" '[{"column":"id","Properties":{"Path":"$.ident"}},{"column":"name","Properties":{"Path":"$.who[0].n"}},{"column":"d","Properties":{"Path":"$"}}]'`);
    await send('S', '{\n "ident": 5,\n "who": [{"n": "multi"}]\n}\n{"ident": 6, "who": []}', DataFormat.MULTIJSON, { ingestionMappingReference: 'm1' });
    const got = rows(await client.execute(db, 'S | where id >= 3 | order by id asc | project id, name, d'));
    assert.deepEqual(got.map((r) => [r['id'], r['name']]), [[3, 'j'], [4, 'k'], [5, 'multi'], [6, '']]);
    assert.deepEqual(got[2]!['d'], { ident: 5, who: [{ n: 'multi' }] });
    const e = await httpError(send('S', '{"ident":7}', DataFormat.MULTIJSON, { ingestionMappingReference: 'nope' }));
    assert.equal(e.code, 'BadRequest_MappingReferenceWasNotFound');
  });

  it('ingests parquet written by DuckDB, timestamps to datetime and nested values to dynamic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kjob-pq-'));
    try {
      const file = join(dir, 'p.parquet');
      const inst = await DuckDBInstance.create(':memory:');
      const c = await inst.connect();
      await c.run(`COPY (SELECT 100 + i AS id, 'pq' || i AS name, TIMESTAMP '2024-02-03 04:05:06.123456' AS at, {'v': i} AS d FROM range(3) t(i)) TO '${file}' (FORMAT parquet)`);
      c.closeSync();
      inst.closeSync();
      await send('S', readFileSync(file), DataFormat.PARQUET);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const got = rows(await client.execute(db, 'S | where id >= 100 | order by id asc'));
    assert.equal(got.length, 3);
    assert.equal(got[2]!['name'], 'pq2');
    assert.equal((got[0]!['at'] as Date).toISOString(), '2024-02-03T04:05:06.123Z');
    assert.deepEqual(got[1]!['d'], { v: 1 });
  });

  it('ingests from a source URI (sourceKind=uri) and refuses zip bodies with a clear error', async () => {
    const blob = createServer((_req, res) => res.end(gzipSync(Buffer.from('500,from-uri,,\n'))));
    await new Promise<void>((r) => blob.listen(0, '127.0.0.1', r));
    try {
      const port = (blob.address() as { port: number }).port;
      const post = (path: string, body: Buffer, headers: Record<string, string>) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = request(`${url}${path}`, { method: 'POST', headers }, (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          });
          req.on('error', reject);
          req.end(body);
        });
      const ok = await post(`/v1/rest/ingest/${db}/S?streamFormat=csv&sourceKind=uri`, Buffer.from(JSON.stringify({ sourceUri: `http://127.0.0.1:${port}/c/blob.csv.gz?sig=secret` })), { 'content-type': 'application/json' });
      assert.equal(ok.status, 200, ok.body);
      assert.deepEqual(rows(await client.execute(db, 'S | where id == 500 | project name')), [{ name: 'from-uri' }]);
      const zip = await post(`/v1/rest/ingest/${db}/S?streamFormat=csv`, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), { 'content-encoding': 'gzip' });
      assert.equal(zip.status, 400);
      assert.match(zip.body, /Zip payloads are not supported/);
    } finally {
      blob.close();
    }
  });

  it('lands a ~20 MB CSV sent in 4 MB streaming requests whole (row count and checksum)', async () => {
    await mgmt('.create table Bulk (i:long, s:string, r:real)');
    await mgmt('.alter table Bulk policy streamingingestion enable');
    const rowsTotal = 450_000;
    const lines: string[] = [];
    for (let i = 1; i <= rowsTotal; i++) lines.push(`${i},"name ${i}, with ""quotes""",${i / 4}`);
    const limit = 4 * 1024 * 1024;
    let chunk: string[] = [];
    let size = 0;
    let requests = 0;
    let bytes = 0;
    const flush = async () => {
      const body = chunk.join('\n') + '\n';
      bytes += Buffer.byteLength(body);
      await send('Bulk', body, DataFormat.CSV);
      requests++;
      chunk = [];
      size = 0;
    };
    for (const l of lines) {
      if (size + l.length + 1 > limit) await flush();
      chunk.push(l);
      size += l.length + 1;
    }
    if (chunk.length) await flush();
    assert.ok(bytes > 18 * 1024 * 1024, `sent ${bytes} bytes`);
    assert.ok(requests >= 5);
    const r = rows(await client.execute(db, 'Bulk | summarize n = count(), si = sum(i), sl = sum(strlen(s)), sr = sum(r)'))[0]!;
    assert.equal(r['n'], rowsTotal);
    assert.equal(r['si'], (rowsTotal * (rowsTotal + 1)) / 2);
    let sl = 0;
    for (let i = 1; i <= rowsTotal; i++) sl += `name ${i}, with "quotes"`.length;
    assert.equal(r['sl'], sl);
    assert.equal(r['sr'], (rowsTotal * (rowsTotal + 1)) / 8);
    assert.equal((await mgmt('.show table Bulk extents')).length, requests);
  });
});
