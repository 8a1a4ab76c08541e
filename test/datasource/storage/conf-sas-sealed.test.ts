// Parquet and CSV files reached through a conf-resolved scheme (wasbs://, abfss:// … — here a test scheme
// resolving to Azurite) get their SAS from the session conf: the splits carry it sealed, executors
// (no conf secrets in their task conf) open it at resolveLocation, and a redis:// driver without
// KJOB_TASK_SECRET_KEY is refused. A plain SAS URL the user wrote in the path is left as it is.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Table, makeVector } from 'apache-arrow';
import { parquetSource } from '../../../src/datasource/parquet/index.js';
import { csvSource } from '../../../src/datasource/csv/index.js';
import type { ParquetSplit } from '../../../src/datasource/parquet/index.js';
import { registerSchemeResolver } from '../../../src/datasource/storage/location.js';
import { parseBlobUrl } from '../../../src/datasource/storage/blob-url.js';
import { taskSecretSealerFor } from '../../../src/protocol/task-secret-key.js';
import { TaskSecretKeyMissingError } from '../../../src/protocol/sealed-secret.js';
import { driverContext, taskContext, collect } from '../support.js';
import { startAzurite, type TestAzurite } from './azurite-server.js';
import { writeParquetFixture } from '../parquet/fixtures.js';

describe('parquet and csv sources: a SAS from the session conf travels sealed', () => {
  let azurite: TestAzurite;
  let dir: string;
  let sig: string;
  let conf: Map<string, string>;

  before(async () => {
    azurite = await startAzurite();
    dir = mkdtempSync(path.join(tmpdir(), 'kjob-pq-sealed-'));
    const container = azurite.service.getContainerClient('confsas');
    await container.create();
    const file = path.join(dir, 'a.parquet');
    writeParquetFixture(file, new Table({ id: makeVector(Int32Array.from({ length: 200 }, (_, i) => i)) }), 50);
    await container.getBlockBlobClient('data/a.parquet').uploadData(readFileSync(file));
    const csv = ['id,name', ...Array.from({ length: 300 }, (_, i) => `${i},"n, ${i}"`)].join('\n') + '\n';
    await container.getBlockBlobClient('csv/a.csv').uploadData(Buffer.from(csv));
    const { sas } = azurite.containerSasUrl('confsas');
    sig = new URLSearchParams(sas).get('sig')!;
    conf = new Map([['kjobtest.sas', sas]]);
    // kjobtest://<container>/<path>: the SAS comes from the conf, as wasbs:// takes it from fs.azure.sas.*.
    registerSchemeResolver('kjobtest', (raw, c) => {
      const u = new URL(raw);
      const addr = parseBlobUrl(`${azurite.endpoint}/${u.host}${u.pathname}`)!;
      return { kind: 'blob', address: { ...addr, sas: c.get('kjobtest.sas') ?? '' } };
    });
  });
  after(async () => {
    await azurite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('splits hold the SAS sealed; the executor side (no conf) reads every row', async () => {
    const plan = await parquetSource.planRead!({ maxSplitBytes: '1' }, ['kjobtest://confsas/data/'], undefined, { filters: [] }, driverContext({ conf, taskSecrets: taskSecretSealerFor('local[2]') }));
    assert.equal(plan.splits.length, 4, 'one split per row group');
    const text = JSON.stringify(plan.splits);
    assert.ok(!text.includes(sig) && !text.includes(encodeURIComponent(sig)), 'no SAS signature in the splits');
    assert.ok((plan.splits as ParquetSplit[]).every((s) => /\?kjob-sealed:v1:/.test(s.file)));
    let rows = 0;
    for (const [i, split] of plan.splits.entries()) for (const b of await collect(parquetSource.readSplit!(JSON.parse(JSON.stringify(split)), {}, plan.schema, taskContext(i)))) rows += b.numRows;
    assert.equal(rows, 200);
  });

  it('a redis:// driver without KJOB_TASK_SECRET_KEY is refused with the named error', async () => {
    const saved = process.env['KJOB_TASK_SECRET_KEY'];
    delete process.env['KJOB_TASK_SECRET_KEY'];
    try {
      await assert.rejects(parquetSource.planRead!({}, ['kjobtest://confsas/data/'], undefined, { filters: [] }, driverContext({ conf, taskSecrets: taskSecretSealerFor('redis://127.0.0.1:6379') })), TaskSecretKeyMissingError);
    } finally {
      if (saved !== undefined) process.env['KJOB_TASK_SECRET_KEY'] = saved;
    }
  });

  it('a SAS URL the user wrote in the path stays as written', async () => {
    const { base, sas } = azurite.containerSasUrl('confsas');
    const plan = await parquetSource.planRead!({}, [`${base}/data/a.parquet?${sas}`], undefined, { filters: [] }, driverContext({ taskSecrets: taskSecretSealerFor('redis://127.0.0.1:6379') }));
    assert.ok((plan.splits as ParquetSplit[]).every((s) => s.file.endsWith(`?${sas}`)));
  });

  it('csv: byte-range splits hold the SAS sealed and the executor side reads every row', async () => {
    const plan = await csvSource.planRead!({ header: 'true', maxSplitBytes: '1000' }, ['kjobtest://confsas/csv/a.csv'], undefined, { filters: [] }, driverContext({ conf, taskSecrets: taskSecretSealerFor('local[2]') }));
    assert.ok(plan.splits.length > 1, 'several byte ranges');
    const text = JSON.stringify(plan.splits);
    assert.ok(!text.includes(sig) && !text.includes(encodeURIComponent(sig)), 'no SAS signature in the splits');
    assert.ok(plan.splits.every((s) => /\?kjob-sealed:v1:/.test(String(s['file']))));
    const ids: number[] = [];
    for (const [i, split] of plan.splits.entries()) {
      for (const b of await collect(csvSource.readSplit!(JSON.parse(JSON.stringify(split)), { header: 'true' }, plan.schema, taskContext(i)))) {
        const col = b.getChild('id')!;
        for (let r = 0; r < b.numRows; r++) ids.push(Number(col.get(r)));
      }
    }
    assert.deepEqual(ids, Array.from({ length: 300 }, (_, i) => i));
  });
});
