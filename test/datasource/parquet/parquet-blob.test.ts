import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Table, makeVector, vectorFromArray, Utf8 } from 'apache-arrow';
import { parquetSource } from '../../../src/datasource/parquet/index.js';
import type { ParquetSplit } from '../../../src/datasource/parquet/index.js';
import { driverContext, taskContext, collect } from '../support.js';
import { startAzurite, type TestAzurite } from '../storage/azurite-server.js';
import { writeParquetFixture } from './fixtures.js';

const FLIGHTS = path.resolve('node_modules/vega-datasets/data/flights-3m.parquet');

describe('parquet source: blob URLs (Azurite)', () => {
  let azurite: TestAzurite;
  let dir: string;
  before(async () => {
    azurite = await startAzurite();
    dir = mkdtempSync(path.join(tmpdir(), 'kjob-pq-blob-'));
    const container = azurite.service.getContainerClient('exports');
    await container.create();
    await container.getBlockBlobClient('flights/flights-3m.parquet').uploadFile(FLIGHTS);
    const small = new Table({ id: makeVector(Int32Array.from({ length: 300 }, (_, i) => i)), s: vectorFromArray(Array.from({ length: 300 }, (_, i) => `s${i}`), new Utf8()) });
    for (const name of ['a', 'b']) {
      const file = path.join(dir, `${name}.parquet`);
      writeParquetFixture(file, small, 100);
      await container.getBlockBlobClient(`dir/${name}.parquet`).uploadData(readFileSync(file));
    }
    await container.getBlockBlobClient('dir/_SUCCESS').uploadData(Buffer.alloc(0));
    await container.getBlockBlobClient('dir/_temporary/x/part.parquet').uploadData(Buffer.from('garbage'));
  });
  after(async () => {
    await azurite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a blob by SAS URL split per row group, with ranged reads', async () => {
    const { base, sas } = azurite.containerSasUrl('exports');
    const url = `${base}/flights/flights-3m.parquet?${sas}`;
    const plan = await parquetSource.planRead!({ maxSplitBytes: '1' }, [url], undefined, { filters: [], requiredColumns: ['delay'] }, driverContext());
    assert.equal(plan.splits.length, 11);
    assert.ok(!plan.splits[0]!.description!.includes(sas.match(/sig=([^&]+)/)![1]!), 'the description hides the SAS signature');
    let rows = 0;
    for (const [i, split] of plan.splits.slice(0, 3).entries()) for (const b of await collect(parquetSource.readSplit!(split, {}, plan.schema, taskContext(i)))) rows += b.numRows;
    assert.equal(rows, (plan.splits.slice(0, 3) as ParquetSplit[]).reduce((s, sp) => s + sp.rows, 0));
  });

  it('lists a prefix as a directory (skipping _SUCCESS and _temporary) and expands globs over blob names', async () => {
    const { base, sas } = azurite.containerSasUrl('exports');
    const plan = await parquetSource.planRead!({}, [`${base}/dir?${sas}`], undefined, { filters: [] }, driverContext());
    assert.equal(plan.splits.length, 2);
    const rows = (await Promise.all(plan.splits.map(async (s, i) => (await collect(parquetSource.readSplit!(s, {}, plan.schema, taskContext(i)))).reduce((n, b) => n + b.numRows, 0)))).reduce((a, b) => a + b, 0);
    assert.equal(rows, 600);
    const glob = await parquetSource.planRead!({}, [`${base}/dir/a*.parquet?${sas}`], undefined, { filters: [] }, driverContext());
    assert.equal(glob.splits.length, 1);
  });

  it('names a missing blob prefix without leaking the SAS, and reports a forbidden read', async () => {
    const { base, sas } = azurite.containerSasUrl('exports');
    const sig = decodeURIComponent(sas.match(/sig=([^&]+)/)![1]!);
    await assert.rejects(parquetSource.planRead!({}, [`${base}/nothing-here?${sas}`], undefined, { filters: [] }, driverContext()), (e: Error) => {
      return e.name === 'PathNotFoundError' && e.message.includes('nothing-here') && !e.message.includes(sig) && !e.message.includes(encodeURIComponent(sig));
    });
    const writeOnly = azurite.containerSasUrl('exports', 'w');
    await assert.rejects(parquetSource.planRead!({}, [`${writeOnly.base}/dir?${writeOnly.sas}`], undefined, { filters: [] }, driverContext()), (e: Error) => e.name === 'StorageAccessError' && /403/.test(e.message));
  });
});
