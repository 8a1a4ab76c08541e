import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorWithClient, rows } from './support.js';

/** --data-dir: tables, extents (ids, tags, times), policies and mappings survive a restart. */
describe('emulator persistence with a data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kjob-emu-data-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data and metadata across stop and start', async () => {
    const db = 'pdb';
    const first = await emulatorWithClient({ dataDir: dir });
    let extentsBefore: Record<string, unknown>[];
    try {
      const c = first.client;
      await c.execute(db, '.create table P (a:long, s:string, d:dynamic) with (folder="keep")');
      await c.execute(db, ".ingest inline into table P with (tags='[\"ingest-by:x1\"]') <| 1,one,\"{\"\"n\"\":1}\"");
      await c.execute(db, '.set-or-append P <| range a from 2 to 1000 step 1 | extend s = tostring(a), d = dynamic(null)');
      await c.execute(db, '.alter table P policy streamingingestion enable');
      await c.execute(db, `.create table P ingestion csv mapping "m" '[{"Column":"a","Properties":{"Ordinal":"0"}}]'`);
      await c.execute(db, '.create table Gone (a:long)');
      await c.execute(db, '.drop table Gone');
      extentsBefore = rows(await c.execute(db, '.show table P extents | project ExtentId, RowCount, Tags, MinCreatedOn | order by RowCount asc'));
    } finally {
      await first.close();
    }
    const second = await emulatorWithClient({ dataDir: dir });
    try {
      const c = second.client;
      assert.deepEqual(rows(await c.execute(db, 'P | summarize n = count(), s = sum(a)')), [{ n: 1000, s: 500500 }]);
      assert.deepEqual(rows(await c.execute(db, 'P | where a == 1 | project s, d')), [{ s: 'one', d: { n: 1 } }]);
      assert.deepEqual(rows(await c.execute(db, '.show table P extents | project ExtentId, RowCount, Tags, MinCreatedOn | order by RowCount asc')), extentsBefore);
      assert.equal(JSON.parse(String(rows(await c.execute(db, '.show table P policy streamingingestion'))[0]!['Policy'])).IsEnabled, true);
      assert.equal(rows(await c.execute(db, '.show table P ingestion csv mappings'))[0]!['Name'], 'm');
      assert.deepEqual(rows(await c.execute(db, '.show tables')).map((r) => [r['TableName'], r['Folder']]), [['P', 'keep']]);
      // Writes keep working after a restart.
      await c.execute(db, '.ingest inline into table P <| 1001,x,');
      assert.equal(rows(await c.execute(db, 'P | count'))[0]!['Count'], 1001);
    } finally {
      await second.close();
    }
  });
});
