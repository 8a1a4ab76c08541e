import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createEmulator, type EmulatorParts } from '../../../src/emulator/create-emulator.js';

/** Background extent merging keeps tables with many small ingestions fast, without losing rows or tags. */
describe('extent merging', () => {
  let emu: EmulatorParts;
  const ctx = { database: 'mg', clientRequestId: undefined, principal: undefined };
  const run = (text: string) => emu.engine.executeMgmt('mg', text, ctx);
  const settle = async (table: string, max: number) => {
    for (let i = 0; i < 100; i++) {
      const n = (await run(`.show table ${table} extents`)).rows.length;
      if (n <= max) return n;
      await new Promise((r) => setTimeout(r, 20));
    }
    return (await run(`.show table ${table} extents`)).rows.length;
  };

  before(async () => {
    emu = await createEmulator({ mergeThreshold: 4 });
  });
  after(async () => emu.close());

  it('merges same-tag extents above the threshold; keeps drop-by extents and distinct tags apart', async () => {
    await run('.create table M (a:long)');
    for (let i = 1; i <= 10; i++) await emu.engine.ingestBatch('mg', 'M', [{ data: Buffer.from(`${i}\n`), format: 'csv' }], {});
    await emu.engine.ingestBatch('mg', 'M', [{ data: Buffer.from('100\n'), format: 'csv' }], { tags: ['drop-by:x'] });
    await emu.engine.ingestBatch('mg', 'M', [{ data: Buffer.from('200\n'), format: 'csv' }], { tags: ['drop-by:x'] });
    await emu.engine.ingestBatch('mg', 'M', [{ data: Buffer.from('300\n'), format: 'csv' }], { tags: ['ingest-by:k'] });
    const n = await settle('M', 4);
    assert.ok(n <= 4, `${n} extents left`);
    const sum = await emu.engine.query('mg', 'M | summarize s = sum(a), c = count()');
    assert.deepEqual(sum.rows, [[655n, 13n]]);
    assert.ok(emu.engine.hasIngestByTag('mg', 'M', 'k'));
    const tags = (await run('.show table M extents')).rows.map((r) => String(r[13]));
    assert.equal(tags.filter((t) => t === 'drop-by:x').length, 2);
  });

  it('leaves tables with AllowMerge=false alone', async () => {
    await run('.create table N (a:long)');
    await run(`.alter table N policy merge @'{"AllowMerge":"false", "AllowRebuild":"false"}'`);
    for (let i = 1; i <= 8; i++) await emu.engine.ingestBatch('mg', 'N', [{ data: Buffer.from(`${i}\n`), format: 'csv' }], {});
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await run('.show table N extents')).rows.length, 8);
  });
});
