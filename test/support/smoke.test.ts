import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redact, redactOptions } from '../../src/util/redact.js';
import { KjobError } from '../../src/errors/kjob-error.js';

describe('redact', () => {
  it('removes SAS signatures, account keys and bearer tokens', () => {
    const text = 'https://a.blob.core.windows.net/c?sv=2020&sig=abc%2Fdef&se=x AccountKey=Zm9v; Bearer eyJ.a.b';
    const out = redact(text);
    assert.ok(!out.includes('abc%2Fdef'));
    assert.ok(!out.includes('Zm9v'));
    assert.ok(!out.includes('eyJ.a.b'));
    assert.ok(out.includes('sv=2020'));
  });
  it('hides secret option values by key', () => {
    assert.deepEqual(redactOptions({ kustoAadAppSecret: 's3cr3t', kustoTable: 'T' }), { kustoAadAppSecret: '<redacted>', kustoTable: 'T' });
  });
  it('redacts error messages on construction', () => {
    const e = new KjobError('STORAGE_FAILED', 'upload to https://x/c?sig=topsecret failed');
    assert.ok(!e.message.includes('topsecret'));
  });
});

describe('redact on ordinary text', () => {
  it('leaves quoted words ending in h alone and still hides h-literals', () => {
    assert.equal(redact("supports only 'hash' and Table 'Graph'"), "supports only 'hash' and Table 'Graph'");
    assert.equal(redact('.export to parquet ("https://a/c" h@"?sv=1&sig=x")'), '.export to parquet ("https://a/c" h@"<redacted>")');
  });
});

describe('isSecretOptionKey', () => {
  it('recognises connector options, Hadoop storage keys and generic credential names', async () => {
    const { isSecretOptionKey } = await import('../../src/util/redact.js');
    for (const k of ['kustoAadAppSecret', 'accessToken', 'fs.azure.account.key.acct.blob.core.windows.net', 'spark.hadoop.fs.azure.account.key.acct.blob.core.windows.net', 'fs.azure.sas.c.acct.blob.core.windows.net', 'fs.azure.sas.fixed.token.c.acct.blob.core.windows.net', 'storageConnectionString', 'my.credential']) {
      assert.equal(isSecretOptionKey(k), true, k);
    }
    for (const k of ['kustoTable', 'fs.azure.account.auth.type', 'fs.azure.abfs.valid.endpoints', 'spark.task.maxFailures', 'kjob.jobModule']) {
      assert.equal(isSecretOptionKey(k), false, k);
    }
  });
});
