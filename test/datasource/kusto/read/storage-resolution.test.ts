// wasbs:// / abfss:// resolution through the session conf's Hadoop keys (reference §5.1), and the
// Distributed read's conf set-up: keys written into the session conf, secrets never printed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { resolveLocation } from '../../../../src/datasource/storage/location.js';
import { setUpStorageConf } from '../../../../src/datasource/kusto/read/storage-conf-setup.js';
import { TransientStorageParameters } from '../../../../src/datasource/kusto/storage/transient-storage.js';
import type { DriverContext } from '../../../../src/datasource/datasource.js';

function ctxWith(conf: Map<string, string>, warnings: string[] = []): DriverContext {
  const log = { debug: () => undefined, info: () => undefined, warn: (m: object | string) => void warnings.push(String(m)), error: () => undefined };
  return { appName: 't', appId: 'a', jobId: 'j', conf, log, defaultParallelism: 2 };
}

describe('wasbs/abfss resolution', () => {
  it('wasbs with a SAS key (stored without ?) resolves to the https blob URL with that SAS', () => {
    const loc = resolveLocation('wasbs://exports@acct.blob.core.windows.net/db/dir1/', new Map([['fs.azure.sas.exports.acct.blob.core.windows.net', 'sv=2024&sig=SECRET']]));
    assert.deepEqual(loc, { kind: 'blob', address: { endpoint: 'https://acct.blob.core.windows.net', account: 'acct', container: 'exports', path: 'db/dir1/', sas: 'sv=2024&sig=SECRET', style: 'host' } });
  });
  it('abfss reads the fixed token (kept with its ?) and maps .dfs. to .blob.', () => {
    const loc = resolveLocation('abfss://c@acct.dfs.core.windows.net/x.parquet', new Map([['spark.hadoop.fs.azure.sas.fixed.token.c.acct.dfs.core.windows.net', '?sv=1&sig=S']]));
    assert.equal(loc.kind, 'blob');
    assert.equal(loc.kind === 'blob' && loc.address.endpoint, 'https://acct.blob.core.windows.net');
    assert.equal(loc.kind === 'blob' && loc.address.sas, 'sv=1&sig=S');
  });
  it('an account key becomes a short-lived container SAS (no key in the location)', () => {
    const key = Buffer.from('a'.repeat(64)).toString('base64');
    const loc = resolveLocation('wasbs://c@acct.blob.core.windows.net/p', new Map([['fs.azure.account.key.acct.blob.core.windows.net', key]]));
    assert.ok(loc.kind === 'blob');
    assert.match(loc.address.sas, /sig=/);
    assert.match(loc.address.sas, /sp=racwdl/);
    assert.ok(!JSON.stringify(loc).includes(key));
  });
  it('no key: ambient identity (no SAS); malformed URLs name the expected form', () => {
    const loc = resolveLocation('wasbs://c@acct.blob.core.windows.net/p', new Map());
    assert.ok(loc.kind === 'blob' && loc.address.sas === '');
    assert.throws(() => resolveLocation('wasbs://nocontainer/p', new Map()), (e: Error & { resolution?: string }) => /Hadoop-style storage URL/.test(e.message) && /wasbs:\/\/<container>@<account>\.blob\.<suffix>/.test(String(e.resolution)));
  });
});

describe('Distributed read storage conf set-up', () => {
  const sasStorage = TransientStorageParameters.fromString(JSON.stringify({ storageCredentials: [{ storageAccountName: 'acct', blobContainer: 'c', sasKey: '?sv=1&sig=TOPSECRET' }] }));

  it('writes the reference keys into the session conf (and the spark.hadoop. twins)', () => {
    const conf = new Map<string, string>();
    const merged = setUpStorageConf('wasbs', sasStorage, ctxWith(conf));
    assert.equal(conf.get('fs.azure.sas.c.acct.blob.core.windows.net'), 'sv=1&sig=TOPSECRET');
    assert.equal(conf.get('spark.hadoop.fs.azure.sas.c.acct.blob.core.windows.net'), 'sv=1&sig=TOPSECRET');
    assert.equal(merged.get('fs.azure.sas.c.acct.blob.core.windows.net'), 'sv=1&sig=TOPSECRET');
    const loc = resolveLocation('wasbs://c@acct.blob.core.windows.net/db/dir/', merged);
    assert.ok(loc.kind === 'blob' && loc.address.sas === 'sv=1&sig=TOPSECRET');
  });
  it('abfss: fixed token with ?, auth type SAS, valid endpoints appended', () => {
    const conf = new Map([['fs.azure.abfs.valid.endpoints', 'dfs.core.windows.net']]);
    setUpStorageConf('abfss', sasStorage, ctxWith(conf));
    assert.equal(conf.get('fs.azure.sas.fixed.token.c.acct.blob.core.windows.net'), '?sv=1&sig=TOPSECRET');
    assert.equal(conf.get('fs.azure.account.auth.type'), 'SAS');
    assert.equal(conf.get('fs.azure.abfs.valid.endpoints'), 'dfs.core.windows.net,core.windows.net');
  });
  it('warns when the SAS key is not found after setup (reference §5.1), and only then', () => {
    const warnings: string[] = [];
    setUpStorageConf('wasbs', sasStorage, ctxWith(new Map(), warnings));
    setUpStorageConf('abfss', sasStorage, ctxWith(new Map(), warnings));
    assert.deepEqual(warnings, [], 'a usable SAS: no warning');
    // A SAS of just '?' leaves the wasbs key (stored without '?') empty: not found.
    const emptySas = TransientStorageParameters.fromString(JSON.stringify({ storageCredentials: [{ storageAccountName: 'acct', blobContainer: 'c', sasKey: '?' }] }));
    setUpStorageConf('wasbs', emptySas, ctxWith(new Map(), warnings));
    assert.deepEqual(warnings, ["WARNING: SAS config key 'fs.azure.sas.c.acct.blob.core.windows.net' NOT found in HadoopConf or SparkConf after setup!"]);
  });
  it('transient storage never prints its secrets', () => {
    for (const text of [String(sasStorage), JSON.stringify(sasStorage), inspect(sasStorage)]) assert.ok(!text.includes('TOPSECRET'), text);
  });
});
