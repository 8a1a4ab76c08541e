import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exportCommand, exportTargetOf, exportUrlText, hashPartitionPredicate, type ExportTarget } from '../../../src/datasource/kusto/kql/export-command.js';
import { TransientStorageParameters, transientCredentialFromSasUrl } from '../../../src/datasource/kusto/storage/transient-storage.js';
import { findNodes, parseKql } from './support/kql-parser.js';

const SAS: ExportTarget = { kind: 'sas', containerUrl: 'https://storageaccount.blob.core.windows.net/container', sas: '?sv=2019&sig=abc' };
const base = { query: 'Storms | take 100', targets: [SAS], directory: 'storms/data/', partitionIndex: 1 };
const URL_TEXT = '"https://storageaccount.blob.core.windows.net/container" h@"?sv=2019&sig=abc"';

describe('exportCommand (CslCommandsGeneratorTest vectors)', () => {
  it('default options: compressed, snappy, the dangling comma', () => {
    assert.equal(exportCommand(base), `.export async compressed to parquet (${URL_TEXT}) with ( namePrefix="storms/data/part1", compressionType="snappy",) <| Storms | take 100`);
  });
  it('sizeLimit in MB becomes bytes', () => {
    assert.equal(exportCommand({ ...base, exportOptions: { sizeLimit: '1000' } }), `.export async compressed to parquet (${URL_TEXT}) with (sizeLimit=1048576000 , namePrefix="storms/data/part1", compressionType="snappy",) <| Storms | take 100`);
  });
  it('compressionType override', () => {
    assert.equal(exportCommand({ ...base, exportOptions: { compressionType: 'gzip' } }), `.export async compressed to parquet (${URL_TEXT}) with ( namePrefix="storms/data/part1", compressionType="gzip",) <| Storms | take 100`);
  });
  it('namePrefix from the user is ignored with a warning', () => {
    const warnings: string[] = [];
    assert.equal(exportCommand({ ...base, exportOptions: { namePrefix: 'mine' }, warn: (m) => warnings.push(m) }), exportCommand(base));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /namePrefix/);
  });
  it('compressed: none drops the keyword; extra options follow the comma', () => {
    assert.equal(
      exportCommand({ ...base, exportOptions: { compressed: 'NONE', distribution: 'per_node', useNativeParquetWriter: 'true' } }),
      `.export async to parquet (${URL_TEXT}) with (useNativeParquetWriter=true,  namePrefix="storms/data/part1", compressionType="snappy",distribution="per_node") <| Storms | take 100`,
    );
  });
  it('writes useNativeParquetWriter exactly once', () => {
    const cmd = exportCommand({ ...base, exportOptions: { useNativeParquetWriter: 'false' } });
    assert.equal(cmd.match(/useNativeParquetWriter/g)?.length, 1);
    assert.throws(() => exportCommand({ ...base, exportOptions: { useNativeParquetWriter: 'maybe' } }), /true or false/);
  });
  it('escapes option values and refuses odd keys', () => {
    const evil = exportCommand({ ...base, exportOptions: { k: 'v") <| SecretTable //' } });
    assert.ok(evil.includes('k="v\\") <| SecretTable //"'));
    const parsed = parseKql(exportCommand({ ...base, targets: [{ kind: 'impersonation', containerUrl: 'https://a/c' }], exportOptions: { k: 'v") <| SecretTable //' } }));
    assert.deepEqual(parsed.diagnostics, []);
    const names = findNodes(parsed.root, 'NameReference').map((n) => JSON.stringify(n));
    assert.ok(!names.some((n) => n.includes('SecretTable')));
    assert.throws(() => exportCommand({ ...base, exportOptions: { 'k=1,x': 'v' } }), /valid export property name/);
    assert.throws(() => exportCommand({ ...base, exportOptions: { sizeLimit: '1.5' } }), /sizeLimit/);
  });
  // The JS parser's export grammar accepts neither the dangling comma nor adjacent literals
  // ("<url>" h@"<sas>"), both of which the service accepts (the connector relies on them).
  it('parses with Microsoft\'s parser (single-literal target, extra option)', () => {
    const cmd = exportCommand({ ...base, targets: [{ kind: 'impersonation', containerUrl: 'https://a.blob.core.windows.net/c' }], exportOptions: { compressionType: 'gzip', k: 'v' } });
    assert.deepEqual(parseKql(cmd).diagnostics, []);
    assert.equal(parseKql(cmd).commandKind, 'ExportToStorage');
  });
});

describe('export URLs per credential', () => {
  it('SAS with and without ?, key, impersonation, OneLake', () => {
    assert.equal(exportUrlText({ kind: 'sas', containerUrl: 'https://a.blob.core.windows.net/c', sas: 'sv=1&sig=x' }), '"https://a.blob.core.windows.net/c?" h@"sv=1&sig=x"');
    assert.equal(exportUrlText({ kind: 'key', containerUrl: 'https://a.blob.core.windows.net/c', accountKey: 'KEY==' }), '"https://a.blob.core.windows.net/c;" h@"KEY=="');
    assert.equal(exportUrlText({ kind: 'impersonation', containerUrl: 'https://a.blob.core.windows.net/c' }), '"https://a.blob.core.windows.net/c;impersonate"');
    const storage = TransientStorageParameters.fromString(JSON.stringify({ storageCredentials: [{ oneLakeUrl: 'abfss://ws@onelake.dfs.fabric.microsoft.com/lh.Lakehouse/Files/exports' }] }));
    const target = exportTargetOf(storage.storageCredentials[0]!, storage.endpointSuffix);
    assert.equal(exportUrlText(target), '"https://onelake.dfs.fabric.microsoft.com/ws/lh.Lakehouse/Files/exports;impersonate"');
    const fromUrl = transientCredentialFromSasUrl('https://acct.blob.core.chinacloudapi.cn/cont?sv=1&sig=s');
    assert.deepEqual(exportTargetOf(fromUrl, 'core.windows.net'), { kind: 'sas', containerUrl: 'https://acct.blob.core.chinacloudapi.cn/cont', sas: '?sv=1&sig=s' });
    const two = exportCommand({ ...base, targets: [SAS, { kind: 'impersonation', containerUrl: 'https://b.blob.core.windows.net/c' }] });
    assert.ok(two.includes(`(${URL_TEXT},"https://b.blob.core.windows.net/c;impersonate")`));
  });
});

describe('partitioned exports', () => {
  it('each partition exports a disjoint hash slice', () => {
    assert.equal(hashPartitionPredicate(['id'], 4, 2), "hash(tostring(['id']), 4) == 2");
    assert.equal(hashPartitionPredicate([], 2, 0), 'hash(tostring(pack_all()), 2) == 0');
    assert.equal(hashPartitionPredicate(['a', "b'"], 3, 1), `hash(strcat_delim('\\u0001', tostring(['a']), tostring(["b'"])), 3) == 1`);
    assert.throws(() => hashPartitionPredicate(['id'], 4, 4), /Invalid export partition/);
    const cmds = [0, 1, 2].map((i) => exportCommand({ ...base, partitionIndex: i, partitionPredicate: hashPartitionPredicate(['id'], 3, i) }));
    assert.equal(new Set(cmds).size, 3);
    assert.ok(cmds[2]!.endsWith(`<| Storms | take 100\n| where hash(tostring(['id']), 3) == 2`));
    assert.ok(cmds[2]!.includes('namePrefix="storms/data/part2"'));
    const single = exportCommand({ ...base, targets: [{ kind: 'impersonation', containerUrl: 'https://a.blob.core.windows.net/c' }], partitionIndex: 0, partitionPredicate: hashPartitionPredicate(['id'], 3, 0) });
    assert.deepEqual(parseKql(single.replace(',) <|', ') <|')).diagnostics, []);
  });
});
