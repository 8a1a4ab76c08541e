import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { TransientStorageParameters, transientCredentialFromSasUrl } from '../../../src/datasource/kusto/storage/transient-storage.js';
import { parseOneLakeUrl } from '../../../src/datasource/kusto/storage/onelake-url.js';
import { appendValidEndpoints, hadoopStorageConf } from '../../../src/datasource/kusto/storage/hadoop-storage-conf.js';
import { IngestionStorageParameters } from '../../../src/datasource/kusto/storage/ingestion-storage.js';
import { exportDirectoryUrl, exportPathOf, parseHadoopStorageUrl, resolveHadoopStorageUrl } from '../../../src/datasource/kusto/storage/storage-url.js';
import { InvalidParameterException } from '../../../src/datasource/kusto/errors/parameter-errors.js';

const sasJson = (extra: Record<string, unknown> = {}): string => JSON.stringify({ storageCredentials: [{ storageAccountName: 'acct', blobContainer: 'kusto', sasKey: '?sv=1&sig=SECRETSIG', ...extra }], endpointSuffix: 'core.windows.net' });

function throwsExactly(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof InvalidParameterException && e.message === message);
}

describe('TransientStorageParameters', () => {
  it('parses case-insensitive JSON and picks the auth method', () => {
    const p = TransientStorageParameters.fromString(JSON.stringify({ StorageCredentials: [
      { STORAGEACCOUNTNAME: 'a1', blobcontainer: 'c1', sasKey: '?sig=x' },
      { storageAccountName: 'a2', blobContainer: 'c2', storageAccountKey: 'KEY' },
      { storageAccountName: 'a3', blobContainer: 'c3', sasKey: ';impersonate', domainSuffix: 'core.usgovcloudapi.net' },
    ] }));
    assert.deepEqual(p.storageCredentials.map((c) => c.authMethod), ['Sas', 'Key', 'Impersonation']);
    assert.equal(p.endpointSuffix, 'core.windows.net');
    assert.equal(p.suffixOf(p.storageCredentials[2]!), 'core.usgovcloudapi.net');
    assert.equal(p.suffixOf(p.storageCredentials[0]!), 'core.windows.net');
  });
  it('masks secrets in toString, JSON and inspect', () => {
    const p = TransientStorageParameters.fromString(sasJson());
    assert.equal(p.toString(), '[BlobContainer: kusto ,Storage: acct , IsSasKeyDefined: true, domain: core.windows.net]');
    for (const text of [String(p), JSON.stringify(p), inspect(p, { depth: 5 })]) assert.ok(!text.includes('SECRETSIG'));
    assert.ok(p.toInsecureString().includes('SECRETSIG'));
    assert.deepEqual(TransientStorageParameters.fromString(p.toInsecureString()).storageCredentials, p.storageCredentials);
  });
  it('validates with the connector\'s messages', () => {
    throwsExactly(() => TransientStorageParameters.fromString(sasJson({ storageAccountName: '' })), 'storageAccount name is null or empty');
    throwsExactly(() => TransientStorageParameters.fromString(sasJson({ blobContainer: undefined })), 'blob container name is null or empty');
    throwsExactly(() => TransientStorageParameters.fromString(sasJson({ sasKey: '' })), 'sasKey is null or empty');
    throwsExactly(() => TransientStorageParameters.fromString(sasJson({ sasKey: undefined })), 'storageAccount key is null or empty');
    throwsExactly(() => TransientStorageParameters.fromString('{"storageCredentials":[null]}'), 'transientStorage.storageCredentials must not contain null entries');
    throwsExactly(
      () => TransientStorageParameters.fromString(JSON.stringify({ storageCredentials: [{ oneLakeUrl: 'https://onelake.dfs.fabric.microsoft.com/ws/lh.Lakehouse/Files' }, { storageAccountName: 'a', blobContainer: 'c', sasKey: '?s' }] })),
      'transientStorage cannot mix OneLake and non-OneLake credentials. Provide either all OneLake URLs or all Azure Storage (blob) credentials.',
    );
    assert.throws(() => TransientStorageParameters.fromString('{"storageCredentials": [{"sasKey": "?sig=LEAK'), (e: Error) => !e.message.includes('LEAK') && !String((e.cause as Error)?.message).includes('LEAK'));
  });
  it('parses SAS URLs (custom domain, zone, trailing slash, impersonation)', () => {
    assert.deepEqual(transientCredentialFromSasUrl('https://storageaccount.blob.core.windows.net/upload/?<secret>'), { authMethod: 'Sas', storageAccountName: 'storageaccount', blobContainer: 'upload/', domainSuffix: 'core.windows.net', sasKey: '?<secret>' });
    assert.deepEqual(transientCredentialFromSasUrl('https://acct.z01.blob.storage.azure.net/c?sv=1'), { authMethod: 'Sas', storageAccountName: 'acct.z01', blobContainer: 'c', domainSuffix: 'storage.azure.net', sasKey: '?sv=1' });
    assert.deepEqual(transientCredentialFromSasUrl('https://acct.blob.custom.domain.com/c;impersonate'), { authMethod: 'Impersonation', storageAccountName: 'acct', blobContainer: 'c', domainSuffix: 'custom.domain.com' });
    throwsExactly(() => transientCredentialFromSasUrl('https://acct.blob.core.windows.net/c'), "SAS url couldn't be parsed. Should be https://<storage-account>.blob.<domainEndpointSuffix>/<container>?<SAS-Token>");
    throwsExactly(() => transientCredentialFromSasUrl(''), 'sasUrl is null or empty');
    // Path-style local storage (Azurite, the emulator's export containers).
    const local = transientCredentialFromSasUrl('http://127.0.0.1:10000/devstoreaccount1/exportstorage-0?sv=1&sig=x');
    assert.deepEqual(local, { authMethod: 'Sas', storageAccountName: 'devstoreaccount1', blobContainer: 'exportstorage-0', blobEndpoint: 'http://127.0.0.1:10000/devstoreaccount1', sasKey: '?sv=1&sig=x' });
    assert.equal(transientCredentialFromSasUrl('http://azurite:10000/acct/c;impersonate').authMethod, 'Impersonation');
    throwsExactly(() => transientCredentialFromSasUrl('http://example.com/acct/c?sig=x'), "SAS url couldn't be parsed. Should be https://<storage-account>.blob.<domainEndpointSuffix>/<container>?<SAS-Token>");
    const fromJson = TransientStorageParameters.fromString(JSON.stringify({ storageCredentials: [{ storageAccountName: 'devstoreaccount1', blobContainer: 'c', sasKey: '?s', blobEndpoint: 'http://127.0.0.1:10000/devstoreaccount1/' }] }));
    assert.equal((fromJson.storageCredentials[0] as { blobEndpoint?: string }).blobEndpoint, 'http://127.0.0.1:10000/devstoreaccount1');
  });
});

describe('OneLake URLs', () => {
  it('accepts https and abfss forms and canonicalises to https', () => {
    const a = parseOneLakeUrl('abfss://ws@onelake.dfs.fabric.microsoft.com/lh.Lakehouse/Files/x;impersonate');
    assert.deepEqual(a, { httpsUrl: 'https://onelake.dfs.fabric.microsoft.com/ws/lh.Lakehouse/Files/x', endpoint: 'onelake.dfs.fabric.microsoft.com', workspace: 'ws', artifactPath: 'lh.Lakehouse/Files/x' });
    assert.deepEqual(parseOneLakeUrl('https://onelake.dfs.fabric.microsoft.com/ws/lh.Lakehouse/Files/x/'), a);
  });
  for (const [name, url] of [
    ['query', 'https://onelake.dfs.fabric.microsoft.com/ws/lh/Files?x=1'],
    ['fragment', 'https://onelake.dfs.fabric.microsoft.com/ws/lh/Files#f'],
    ['port', 'https://onelake.dfs.fabric.microsoft.com:444/ws/lh/Files'],
    ['dot-dot', 'https://onelake.dfs.fabric.microsoft.com/ws/lh/../Files'],
    ['encoded dot-dot', 'https://onelake.dfs.fabric.microsoft.com/ws/lh/%2e%2e/Files'],
    ['empty segment', 'https://onelake.dfs.fabric.microsoft.com/ws/lh//Files'],
    ['localhost', 'https://localhost/ws/lh/Files'],
    ['ip', 'https://10.0.0.1/ws/lh/Files'],
    ['single label', 'https://onelake/ws/lh/Files'],
    ['user info', 'https://u@onelake.dfs.fabric.microsoft.com/ws/lh/Files'],
    ['short artifact path', 'https://onelake.dfs.fabric.microsoft.com/ws/lh'],
    ['protocol', 'http://onelake.dfs.fabric.microsoft.com/ws/lh/Files'],
  ] as const) {
    it(`rejects ${name}`, () => assert.throws(() => parseOneLakeUrl(url), /Invalid oneLakeUrl/));
  }
});

describe('Hadoop storage keys (KustoReaderHadoopConfTest)', () => {
  const sas = TransientStorageParameters.fromString(sasJson());
  const key = TransientStorageParameters.fromString(JSON.stringify({ storageCredentials: [{ storageAccountName: 'acct', blobContainer: 'kusto', storageAccountKey: 'KEY==' }] }));
  it('wasbs + SAS strips the leading ?', () => {
    assert.deepEqual([...hadoopStorageConf('wasbs', sas)], [['fs.azure.sas.kusto.acct.blob.core.windows.net', 'sv=1&sig=SECRETSIG']]);
  });
  it('wasbs + account key', () => {
    assert.deepEqual([...hadoopStorageConf('wasbs', key)], [['fs.azure.account.key.acct.blob.core.windows.net', 'KEY==']]);
  });
  it('abfss + SAS keeps the ? and appends valid endpoints without duplicates', () => {
    const conf = hadoopStorageConf('abfss', sas, new Map([['fs.azure.abfs.valid.endpoints', 'dfs.core.windows.net,core.windows.net']]));
    assert.deepEqual(Object.fromEntries(conf), {
      'fs.azure.account.auth.type': 'SAS',
      'fs.azure.account.hns.enabled.acct.blob.core.windows.net': 'false',
      'fs.azure.sas.fixed.token.kusto.acct.blob.core.windows.net': '?sv=1&sig=SECRETSIG',
      'fs.azure.abfs.valid.endpoints': 'dfs.core.windows.net,core.windows.net',
    });
    assert.equal(appendValidEndpoints('a, b', ['b', 'c', '']), 'a,b,c');
  });
  it('abfs + account key is refused', () => {
    throwsExactly(() => hadoopStorageConf('abfs', key), "Storage protocol 'abfs' with Account Key authentication is not supported yet. Please use SAS based authentication or switch to 'wasbs' protocol.");
  });
  it('impersonation and OneLake set only endpoints', () => {
    const imp = TransientStorageParameters.fromString(sasJson({ sasKey: ';impersonate' }));
    assert.deepEqual([...hadoopStorageConf('wasbs', imp)], []);
    const ol = TransientStorageParameters.fromString(JSON.stringify({ storageCredentials: [{ oneLakeUrl: 'https://onelake.dfs.fabric.microsoft.com/ws/lh.Lakehouse/Files' }] }));
    assert.deepEqual(Object.fromEntries(hadoopStorageConf('abfss', ol)), { 'fs.azure.abfs.valid.endpoints': 'core.windows.net,onelake.dfs.fabric.microsoft.com' });
  });
  it('resolves wasbs/abfss paths to https URLs with the configured credential', () => {
    const conf = new Map([...hadoopStorageConf('wasbs', sas), ...hadoopStorageConf('wasbs', TransientStorageParameters.fromString(JSON.stringify({ storageCredentials: [{ storageAccountName: 'other', blobContainer: 'c', storageAccountKey: 'K2' }] })))]);
    const dir = exportDirectoryUrl('wasbs', 'kusto', 'acct', 'core.windows.net', 'db/dir1/');
    assert.equal(dir, 'wasbs://kusto@acct.blob.core.windows.net/db/dir1/');
    assert.deepEqual(resolveHadoopStorageUrl(dir, conf), { auth: 'sas', containerUrl: 'https://acct.blob.core.windows.net/kusto', path: 'db/dir1/', sas: '?sv=1&sig=SECRETSIG' });
    assert.deepEqual(resolveHadoopStorageUrl('wasbs://c@other.blob.core.windows.net/x.parquet', conf), { auth: 'key', containerUrl: 'https://other.blob.core.windows.net/c', path: 'x.parquet', accountName: 'other', accountKey: 'K2' });
    const abfsConf = hadoopStorageConf('abfss', sas);
    assert.equal(resolveHadoopStorageUrl('abfss://kusto@acct.blob.core.windows.net/d/', abfsConf).auth, 'sas');
    assert.deepEqual(resolveHadoopStorageUrl('abfss://c@z.dfs.core.windows.net/p', new Map()), { auth: 'ambient', containerUrl: 'https://z.blob.core.windows.net/c', path: 'p' });
    assert.deepEqual(parseHadoopStorageUrl('ABFSS://c@acct.dfs.core.windows.net'), { protocol: 'abfss', container: 'c', account: 'acct', service: 'dfs', endpointSuffix: 'core.windows.net', path: '' });
    assert.throws(() => parseHadoopStorageUrl('https://acct.blob.core.windows.net/c'), InvalidParameterException);
  });
});

describe('export paths per credential', () => {
  it('Hadoop form, OneLake form, and local path-style URLs', () => {
    const sas = TransientStorageParameters.fromString(sasJson({ domainSuffix: 'core.chinacloudapi.cn' }));
    assert.equal(exportPathOf(sas.storageCredentials[0]!, sas.endpointSuffix, 'abfss', 'db/dir1/'), 'abfss://kusto@acct.blob.core.chinacloudapi.cn/db/dir1/');
    const ol = TransientStorageParameters.fromString(JSON.stringify({ storageCredentials: [{ oneLakeUrl: 'https://onelake.dfs.fabric.microsoft.com/ws/lh.Lakehouse/Files' }] }));
    assert.equal(exportPathOf(ol.storageCredentials[0]!, ol.endpointSuffix, 'wasbs', 'db/dir1/'), 'abfss://ws@onelake.dfs.fabric.microsoft.com/lh.Lakehouse/Files/db/dir1/');
    const local = transientCredentialFromSasUrl('http://127.0.0.1:10000/devstoreaccount1/exportstorage-0?sv=1');
    assert.equal(exportPathOf(local, 'core.windows.net', 'wasbs', 'db/dir1/'), 'http://127.0.0.1:10000/devstoreaccount1/exportstorage-0/db/dir1/');
  });
});

describe('IngestionStorageParameters', () => {
  it('parses, picks at random and masks', () => {
    const p = IngestionStorageParameters.fromString('[{"storageUrl":"url","containerName":"c1","userMsi":"msi","sas":"?sig=SECRET"},{"storageUrl":"url2","containerName":"c2"}]');
    assert.equal(p.toString(), 'storageUrl: url, containerName: c1, userMsi: msi, is-sas: true; storageUrl: url2, containerName: c2, userMsi: , is-sas: false');
    assert.equal(p.pick(() => 0).containerName, 'c1');
    assert.equal(p.pick(() => 0.99).containerName, 'c2');
    for (const text of [String(p), JSON.stringify(p), inspect(p)]) assert.ok(!text.includes('SECRET'));
    assert.deepEqual(IngestionStorageParameters.fromString(p.toInsecureString()).entries, p.entries);
    throwsExactly(() => IngestionStorageParameters.fromString('[{"storageUrl":"u"}]'), 'storageUrl and containerName must be set when supplying ingestion storage');
    assert.throws(() => IngestionStorageParameters.fromString('[{"storageUrl":"u","containerName":"c","sas":"sig=x"}]'), /must start with '\?'/);
  });
});
