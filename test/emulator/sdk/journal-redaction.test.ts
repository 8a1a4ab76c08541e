import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emulatorWithClient, rows } from './support.js';

/** `.show commands` is readable by every viewer: like the service, it never shows hidden literals or SAS signatures. */
describe('emulator command journal', () => {
  it('keeps SAS signatures and h-literals out of .show commands text and failure reasons', async () => {
    const emu = await emulatorWithClient({});
    try {
      const c = emu.client;
      await assert.rejects(c.execute('jdb', '.bogus-command to ("https://a.blob.core.windows.net/c" h@"?sv=2020&sig=TOPSECRET1") key h"TOPSECRET2"'));
      const journal = rows(await c.execute('jdb', ".show commands | where Text has 'bogus-command' | project Text, FailureReason"));
      assert.equal(journal.length, 1);
      const text = JSON.stringify(journal);
      assert.ok(!text.includes('TOPSECRET'), text);
      assert.ok(text.includes('bogus-command'));
    } finally {
      await emu.close();
    }
  });
});
