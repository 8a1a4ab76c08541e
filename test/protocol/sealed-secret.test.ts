// Sealed task secrets: AES-256-GCM round trip, the key formats, and the named errors for a bad,
// missing or wrong key; sealed blob URLs open at resolveLocation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SEALED_PREFIX, TaskSecretKeyInvalidError, TaskSecretKeyMissingError, TaskSecretUnsealError, isSealed, parseTaskSecretKey, seal, unseal } from '../../src/protocol/sealed-secret.js';
import { taskSecretSealerFor, unsealTaskSecret } from '../../src/protocol/task-secret-key.js';
import { sealLocationSas } from '../../src/datasource/storage/sealed-location.js';
import { resolveLocation } from '../../src/datasource/storage/location.js';
import { resolveExecutorCli } from '../../src/cli/commands/executor-options.js';
import { IngestionStorageParameters, withSealedIngestionStorage } from '../../src/datasource/kusto/storage/ingestion-storage.js';

const SAS = 'sv=2023-01-03&se=2099-01-01&sr=c&sp=rl&sig=AbC%2Bdef%3D';

describe('sealed task secrets', () => {
  it('seal → unseal round trip; the sealed text holds no part of the plaintext', () => {
    const key = randomBytes(32);
    const sealed = seal(SAS, key);
    assert.ok(sealed.startsWith(SEALED_PREFIX) && isSealed(sealed));
    assert.match(sealed.slice(SEALED_PREFIX.length), /^[A-Za-z0-9_-]+$/, 'base64url: usable as a URL query');
    assert.ok(!sealed.includes('sig') && !sealed.includes('AbC'));
    assert.equal(unseal(sealed, key), SAS);
    assert.notEqual(seal(SAS, key), sealed, 'a fresh IV every time');
  });

  it('a wrong key or an altered value is a TaskSecretUnsealError naming KJOB_TASK_SECRET_KEY', () => {
    const sealed = seal(SAS, randomBytes(32));
    const wrong = (() => {
      try {
        unseal(sealed, randomBytes(32), 'the SAS of x');
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    assert.ok(wrong instanceof TaskSecretUnsealError);
    assert.match(wrong.message, /KJOB_TASK_SECRET_KEY/);
    assert.match(wrong.message, /the SAS of x/);
    assert.equal(wrong.code, 'CONFIG_INVALID', 'not worth a retry');
    const key = randomBytes(32);
    const good = seal('x', key);
    const flipped = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
    assert.throws(() => unseal(flipped, key), TaskSecretUnsealError);
  });

  it('keys: 32 bytes as base64 (openssl rand -base64 32), base64url or hex; anything else is named', () => {
    const raw = randomBytes(32);
    assert.deepEqual(parseTaskSecretKey(raw.toString('base64')), raw);
    assert.deepEqual(parseTaskSecretKey(raw.toString('base64url')), raw);
    assert.deepEqual(parseTaskSecretKey(raw.toString('hex')), raw);
    for (const bad of ['', 'not a key!', randomBytes(16).toString('base64'), randomBytes(31).toString('hex')]) {
      assert.throws(() => parseTaskSecretKey(bad), (e: unknown) => e instanceof TaskSecretKeyInvalidError && /KJOB_TASK_SECRET_KEY/.test(e.message) && /openssl rand -base64 32/.test(e.resolution ?? ''), bad);
    }
  });

  it('redis:// masters need KJOB_TASK_SECRET_KEY on the driver; in-process masters seal with a process key', () => {
    const saved = process.env['KJOB_TASK_SECRET_KEY'];
    try {
      delete process.env['KJOB_TASK_SECRET_KEY'];
      const cluster = taskSecretSealerFor('redis://127.0.0.1:6379');
      assert.throws(() => cluster.assertCanSeal('the SAS of the export storage'), (e: unknown) => e instanceof TaskSecretKeyMissingError && /driver/.test(e.message) && /openssl rand -base64 32/.test(e.resolution ?? ''));
      assert.throws(() => cluster.seal(SAS, 'x'), TaskSecretKeyMissingError);
      const local = taskSecretSealerFor('local[2]');
      assert.equal(unsealTaskSecret(local.seal(SAS, 'x'), 'x'), SAS);
      const key = randomBytes(32);
      process.env['KJOB_TASK_SECRET_KEY'] = key.toString('base64');
      const sealed = cluster.seal(SAS, 'x');
      assert.equal(unseal(sealed, key), SAS);
      process.env['KJOB_TASK_SECRET_KEY'] = 'bad';
      assert.throws(() => cluster.seal(SAS, 'x'), TaskSecretKeyInvalidError);
    } finally {
      if (saved === undefined) delete process.env['KJOB_TASK_SECRET_KEY'];
      else process.env['KJOB_TASK_SECRET_KEY'] = saved;
    }
  });

  it('the sink\'s kustoIngestionStorageContainer: SAS sealed for the write state, opened by fromString', () => {
    const json = JSON.stringify([{ storageUrl: 'https://acct.blob.core.windows.net', containerName: 'c1', sas: '?sv=1&sig=INGESTSIG' }, { storageUrl: 'https://acct.blob.core.windows.net', containerName: 'c2', userMsi: 'mi' }]);
    const sealed = IngestionStorageParameters.sealSas(json, taskSecretSealerFor('local[1]'));
    assert.ok(!sealed.includes('INGESTSIG') && sealed.includes('kjob-sealed:v1:'));
    const back = IngestionStorageParameters.fromString(sealed);
    assert.equal(back.entries[0]!.sas, '?sv=1&sig=INGESTSIG');
    assert.equal(back.entries[1]!.userMsi, 'mi');
    const noSas = JSON.stringify([{ storageUrl: 'https://acct.blob.core.windows.net', containerName: 'c2' }]);
    assert.equal(IngestionStorageParameters.sealSas(noSas, taskSecretSealerFor('redis://x:1')), noSas, 'nothing to seal, no key needed');
    const opts = withSealedIngestionStorage({ kustoTable: 'T', KustoIngestionStorageContainer: json }, taskSecretSealerFor('local[1]'));
    assert.equal(opts['kustoTable'], 'T');
    assert.ok(!JSON.stringify(opts).includes('INGESTSIG'));
    assert.equal(IngestionStorageParameters.fromString(opts['KustoIngestionStorageContainer']!).entries[0]!.sas, '?sv=1&sig=INGESTSIG');
  });

  it('kjob executor refuses a malformed KJOB_TASK_SECRET_KEY at start-up', () => {
    assert.throws(() => resolveExecutorCli({ master: 'redis://127.0.0.1:6379' }, { KJOB_TASK_SECRET_KEY: 'short' }), TaskSecretKeyInvalidError);
    assert.equal(resolveExecutorCli({ master: 'redis://127.0.0.1:6379' }, { KJOB_TASK_SECRET_KEY: randomBytes(32).toString('base64') }).url, 'redis://127.0.0.1:6379');
  });

  it('one process with an in-process key and KJOB_TASK_SECRET_KEY opens what either sealed', () => {
    const saved = process.env['KJOB_TASK_SECRET_KEY'];
    try {
      const local = taskSecretSealerFor('local[2]');
      const before = local.seal('one', 'x');
      process.env['KJOB_TASK_SECRET_KEY'] = randomBytes(32).toString('hex');
      const after = local.seal('two', 'x');
      const cluster = taskSecretSealerFor('redis://h:1').seal('three', 'x');
      assert.deepEqual([before, after, cluster].map((v) => unsealTaskSecret(v, 'x')), ['one', 'two', 'three']);
      assert.throws(() => unsealTaskSecret(seal('four', randomBytes(32)), 'x'), TaskSecretUnsealError);
    } finally {
      if (saved === undefined) delete process.env['KJOB_TASK_SECRET_KEY'];
      else process.env['KJOB_TASK_SECRET_KEY'] = saved;
    }
  });

  it('a blob URL carries its SAS sealed and resolveLocation opens it', () => {
    const sealer = taskSecretSealerFor('local[1]');
    const url = `http://127.0.0.1:10000/devstoreaccount1/c/dir/part-0.parquet?${SAS}`;
    const sealed = sealLocationSas(url, sealer, 'the SAS');
    assert.ok(sealed.startsWith('http://127.0.0.1:10000/devstoreaccount1/c/dir/part-0.parquet?kjob-sealed:v1:'));
    assert.ok(!sealed.includes('sig='));
    const loc = resolveLocation(sealed);
    assert.equal(loc.kind, 'blob');
    assert.equal(loc.kind === 'blob' && loc.address.sas, SAS);
    assert.equal(loc.kind === 'blob' && loc.address.path, 'dir/part-0.parquet');
    assert.equal(sealLocationSas('/tmp/x.parquet', sealer, 'x'), '/tmp/x.parquet');
    assert.equal(sealLocationSas('https://a.blob.core.windows.net/c/x', sealer, 'x'), 'https://a.blob.core.windows.net/c/x', 'no SAS, nothing to seal');
    assert.equal(sealLocationSas(sealed, sealer, 'x'), sealed, 'never sealed twice');
  });
});
