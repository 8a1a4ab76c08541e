import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import * as arrow from 'apache-arrow';
import { ContainerClient } from '@azure/storage-blob';
import { readParquet } from 'parquet-wasm/node';
import { exportCommand } from '../../../src/datasource/kusto/kql/export-command.js';
import { exportSettings, parseExportCommand } from '../../../src/emulator/dm/export-command.js';
import { writeExport } from '../../../src/emulator/dm/export-writer.js';
import { startAzurite, type RunningAzurite } from '../../../src/emulator/dm/azurite-in-process.js';
import { devStorageAccount, containerSasUrl, type StorageAccount } from '../../../src/emulator/dm/storage-account.js';
import { createDmResources, dmResourceNames, storageClients } from '../../../src/emulator/dm/ingestion-resources.js';

describe('parseExportCommand', () => {
  it("parses the job runner's exact command text (hidden SAS literal, dangling comma)", () => {
    const text = exportCommand({
      query: "Storms | where State == 'TX'",
      targets: [{ kind: 'sas', containerUrl: 'https://acct.blob.core.windows.net/container', sas: '?sv=2019&sig=a"b' }],
      directory: 'db/dir_1/',
      partitionIndex: 0,
      exportOptions: { sizeLimit: '2', useNativeParquetWriter: 'false', distribution: 'per_node' },
    });
    const cmd = parseExportCommand(text);
    assert.equal(cmd.async, true);
    assert.equal(cmd.compressed, true);
    assert.equal(cmd.format, 'parquet');
    assert.deepEqual(cmd.targets, [{ containerUrl: 'https://acct.blob.core.windows.net/container', sas: 'sv=2019&sig=a"b' }]);
    assert.equal(cmd.properties.get('nameprefix'), 'db/dir_1/part0');
    assert.equal(cmd.properties.get('sizelimit'), String(2 * 1024 * 1024));
    assert.equal(cmd.properties.get('compressiontype'), 'snappy');
    assert.equal(cmd.properties.get('usenativeparquetwriter'), 'false');
    assert.equal(cmd.properties.get('distribution'), 'per_node');
    assert.equal(cmd.query, "Storms | where State == 'TX'");
  });

  it("parses the connector's golden text and the other URL forms", () => {
    const golden = '.export async compressed to parquet ("https://storageaccount.blob.core.windows.net/container" h@"?sv=2019&sig=abc") with ( namePrefix="storms/data/part1", compressionType="snappy",) <| Storms | take 100';
    const g = parseExportCommand(golden);
    assert.equal(g.targets[0]?.sas, 'sv=2019&sig=abc');
    assert.equal(g.query, 'Storms | take 100');
    const forms = parseExportCommand('.export to csv ("http://h/c?" h@"sv=1&sig=x", "http://h/d;" h@"a2V5", h"http://h/e?sig=y") <| T');
    assert.equal(forms.async, false);
    assert.equal(forms.compressed, false);
    assert.deepEqual(forms.targets, [
      { containerUrl: 'http://h/c', sas: 'sv=1&sig=x' },
      { containerUrl: 'http://h/d', accountKey: 'a2V5' },
      { containerUrl: 'http://h/e', sas: 'sig=y' },
    ]);
    assert.equal(forms.properties.size, 0);
  });

  it('rejects malformed commands with a clear message', () => {
    assert.throws(() => parseExportCommand('.export to parquet ("x")'), /missing "<\| <query>"/);
    assert.throws(() => parseExportCommand('.export to avro ("x") <| T'), /unsupported export format 'avro'/);
    assert.throws(() => parseExportCommand('.export to parquet ("x" <| T'), /expected '\)'/);
    assert.throws(() => parseExportCommand('.export to parquet ("http://h/c;impersonate") <| T'), /impersonate/);
    assert.throws(() => parseExportCommand('.export to parquet ("x") with (sizeLimit) <| T'), /expected '='/);
    assert.throws(() => exportSettings(parseExportCommand('.export to parquet ("x") with (sizeLimit=-5) <| T')), /sizeLimit must be a positive/);
    assert.throws(() => parseExportCommand('.export to parquet ("http://h/c") x&sig=SECRET <| T'), (e: Error) => /unexpected text/.test(e.message) && !e.message.includes('SECRET'));
    assert.throws(() => exportSettings(parseExportCommand('.export to parquet ("x") with (compressionType="rar") <| T')), /compressionType must be one of/);
  });
});

describe('writeExport into Azurite', () => {
  let azurite: RunningAzurite;
  let account: StorageAccount;

  before(async () => {
    azurite = await startAzurite();
    account = devStorageAccount({ blob: azurite.blobEndpoint, queue: azurite.queueEndpoint, table: azurite.tableEndpoint });
    const names = dmResourceNames();
    await createDmResources(storageClients(account), { ...names, statusTable: 'unusedstatus' });
  });
  after(async () => azurite.close());

  const rows = 10_000;
  async function* source(): AsyncIterable<arrow.RecordBatch> {
    // Two batches, with nulls, unicode, quotes and extreme values.
    for (const [from, to] of [[0, 6000], [6000, rows]] as const) {
      const n = to - from;
      const ids = Array.from({ length: n }, (_, i) => BigInt(from + i));
      const names = Array.from({ length: n }, (_, i) => ((from + i) % 7 === 0 ? null : `naïve "${from + i}", ok`));
      const ts = Array.from({ length: n }, (_, i) => (from + i === 1 ? -62135596800000 : 1_700_000_000_000 + (from + i) * 1000));
      const t = new arrow.Table({
        id: arrow.vectorFromArray(ids, new arrow.Int64()),
        name: arrow.vectorFromArray(names, new arrow.Utf8()),
        ts: arrow.vectorFromArray(ts, new arrow.TimestampMillisecond('UTC')),
      });
      for (const b of t.batches) yield b;
    }
  }

  it('writes snappy Parquet split by sizeLimit that reads back with the exact rows', async () => {
    const url = containerSasUrl(account, 'exportstorage-0');
    const cmd = parseExportCommand(`.export async compressed to parquet ("${url.split('?')[0]}" h@"?${url.split('?')[1]}") with (sizeLimit=100000 , namePrefix="db/dir_x/part0", compressionType="snappy",) <| T`);
    const files = await writeExport(source(), cmd, exportSettings(cmd));
    assert.ok(files.length > 1, `expected several files, got ${files.length}`);
    assert.equal(files.reduce((s, f) => s + f.numRecords, 0), rows);
    const container = new ContainerClient(url);
    const seen: bigint[] = [];
    let nullNames = 0;
    for (const f of files) {
      assert.match(f.path, /\/exportstorage-0\/db\/dir_x\/part0_[0-9a-f]{8}_\d+\.snappy\.parquet$/);
      assert.ok(!f.path.includes('sig='));
      const name = f.path.split('/exportstorage-0/')[1]!;
      const bytes = await container.getBlockBlobClient(name).downloadToBuffer();
      assert.equal(bytes.length, f.sizeInBytes);
      assert.equal(bytes.subarray(0, 4).toString(), 'PAR1');
      const table = arrow.tableFromIPC(readParquet(bytes).intoIPCStream());
      assert.equal(table.numRows, f.numRecords);
      for (const r of table) {
        const id = r.id as bigint;
        seen.push(id);
        const n = r.name as string | null;
        if (n === null) nullNames++;
        else assert.equal(n, `naïve "${id}", ok`);
      }
    }
    assert.deepEqual(seen, Array.from({ length: rows }, (_, i) => BigInt(i)));
    assert.equal(nullNames, Math.ceil(rows / 7));
  });

  it('writes gzipped CSV with headers when asked, and writes nothing for an empty result', async () => {
    const url = containerSasUrl(account, 'exportstorage-1');
    const cmd = parseExportCommand(`.export compressed to csv ("${url}") with (includeHeaders="firstFile", namePrefix="csvout") <| T`);
    const files = await writeExport(source(), cmd, exportSettings(cmd));
    assert.equal(files.length, 1);
    const text = gunzipSync(await new ContainerClient(url).getBlockBlobClient(files[0]!.path.split('/exportstorage-1/')[1]!).downloadToBuffer()).toString('utf8');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], 'id,name,ts');
    assert.equal(lines[1], '0,,2023-11-14T22:13:20.0000000Z');
    assert.equal(lines[2], '1,"naïve ""1"", ok",0001-01-01T00:00:00.0000000Z');
    assert.equal(lines.length, rows + 1);

    async function* empty(): AsyncIterable<arrow.RecordBatch> {}
    assert.deepEqual(await writeExport(empty(), cmd, exportSettings(cmd)), []);
  });

  it('names the container when storage refuses the write, without leaking the SAS', async () => {
    const url = containerSasUrl(account, 'exportstorage-0').replace(/sig=[^&]+/, 'sig=bad');
    const cmd = parseExportCommand(`.export to parquet ("${url}") <| T`);
    await assert.rejects(writeExport(source(), cmd, exportSettings(cmd)), (e: Error) => /exportstorage-0/.test(e.message) && !/sig=bad/.test(e.message));
  });
});
