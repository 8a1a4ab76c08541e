import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createEmulator, type EmulatorParts } from '../../../src/emulator/create-emulator.js';

/** auto_delete policies: an expired table is dropped; a non-empty one only with DeleteIfNotEmpty. */
describe('auto_delete policy', () => {
  let emu: EmulatorParts;
  const ctx = { database: 'ad', clientRequestId: undefined, principal: undefined };
  const run = (text: string) => emu.engine.executeMgmt('ad', text, ctx);

  before(async () => {
    emu = await createEmulator({ autoDeleteIntervalMs: 50 });
  });
  after(async () => emu.close());

  it('drops expired tables on the next sweep', async () => {
    await run('.create table Expired (a:long)');
    await run('.create table KeepsData (a:long)');
    await run('.ingest inline into table KeepsData <| 1');
    await run('.create table Future (a:long)');
    await run(`.alter table Expired policy auto_delete @'{"ExpiryDate": "2000-01-01T00:00:00Z","DeleteIfNotEmpty": true }'`);
    await run(`.alter table KeepsData policy auto_delete @'{"ExpiryDate": "2000-01-01T00:00:00Z","DeleteIfNotEmpty": false }'`);
    await run(`.alter table Future policy auto_delete @'{"ExpiryDate": "2999-01-01T00:00:00Z","DeleteIfNotEmpty": true }'`);
    for (let i = 0; i < 100 && emu.engine.tableExists('ad', 'Expired'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(emu.engine.tableExists('ad', 'Expired'), false);
    assert.equal(emu.engine.tableExists('ad', 'KeepsData'), true);
    assert.equal(emu.engine.tableExists('ad', 'Future'), true);
  });
});
