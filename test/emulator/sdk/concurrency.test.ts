import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Client } from 'azure-kusto-data';
import { DataFormat, StreamingIngestClient } from 'azure-kusto-ingest';
import { emulatorWithClient, rows } from './support.js';

/** Parallel ingestions, moves and queries: writes serialise, readers see committed states only. */
describe('emulator under concurrent requests', () => {
  let client: Client;
  let ingest: StreamingIngestClient;
  let close: () => Promise<void>;
  const db = 'concdb';

  before(async () => {
    const e = await emulatorWithClient();
    client = e.client;
    close = e.close;
    ingest = new StreamingIngestClient(e.emu.clusterUrl);
    await client.execute(db, '.create table C (batch:long, n:long)');
    await client.execute(db, '.create table CMoved (batch:long, n:long)');
    await client.execute(db, '.alter table C policy streamingingestion enable');
  });
  after(async () => {
    ingest.close();
    await close();
  });

  it('loses nothing and never shows half a batch', async () => {
    const batches = 24;
    const perBatch = 500;
    const work: Promise<unknown>[] = [];
    for (let b = 0; b < batches; b++) {
      const body = Array.from({ length: perBatch }, (_, i) => `${b},${i}`).join('\n');
      work.push(ingest.ingestFromStream(Readable.from([Buffer.from(body)]), { database: db, table: 'C', format: DataFormat.CSV }));
      if (b % 4 === 0) work.push(client.execute(db, `.set-or-append C <| range n from 0 to ${perBatch - 1} step 1 | extend batch = ${1000 + b} | project batch, n`));
      if (b % 6 === 0) work.push(client.execute(db, '.move extents all from table C to table CMoved'));
      work.push(
        client.execute(db, 'union C, CMoved | summarize c = count() by batch | where c != 500').then((r) => {
          assert.deepEqual(rows(r), [], 'a reader saw a partial batch');
        }),
      );
    }
    await Promise.all(work);
    const total = rows(await client.execute(db, 'union C, CMoved | summarize c = count(), b = dcount(batch)'))[0]!;
    assert.equal(total['c'], (batches + batches / 4) * perBatch);
    assert.equal(total['b'], batches + batches / 4);
  });
});
