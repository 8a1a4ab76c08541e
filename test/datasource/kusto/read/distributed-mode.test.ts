// Distributed and automatic reads against the emulator: `.export` to its export containers, the
// Parquet files as splits, clean-up, the transient cache (one export in .show commands), disjoint
// partitioned exports, the automatic decision at 0 / 1 / 5000 / 5001 rows, pushdown with hostile
// names and values, and the named errors for failed, timed-out and storage-less exports.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { Field, Int64, List, Schema, Struct } from 'apache-arrow';
import { Session } from '../../../../src/driver/session.js';
import { col, lit } from '../../../../src/plan/functions.js';
import { clearExportCache, clearExportContainersCache, lastKustoReadReport } from '../../../../src/datasource/kusto/read/index.js';
import { quoteIdentifier, quoteString } from '../../../../src/datasource/kusto/kql/quote.js';
import { FailedOperationException, TimeoutAwaitingPendingOperationException } from '../../../../src/datasource/kusto/errors/operation-errors.js';
import { NoStorageContainersException } from '../../../../src/datasource/kusto/errors/ingestion-errors.js';
import { InvalidParameterException } from '../../../../src/datasource/kusto/errors/parameter-errors.js';
import { startKustoTestCluster, type KustoTestCluster } from './support.js';

/** The named error's message, likely cause and resolution, and no secret in any of them. */
function assertNamedError(err: unknown, cls: abstract new (...a: never[]) => Error, message: RegExp | string, cause: RegExp, resolution: RegExp): void {
  assert.ok(err instanceof cls, `expected ${cls.name}, got ${String(err)}`);
  if (typeof message === 'string') assert.equal(err.message, message);
  else assert.match(err.message, message);
  const e = err as Error & { likelyCause?: string; resolution?: string; describe(): string };
  assert.match(String(e.likelyCause), cause);
  assert.match(String(e.resolution), resolution);
  assert.match(e.describe(), /Likely cause: .+\n\s+Resolution: .+/);
}

/** A string value with a non-ASCII letter, a backslash, quotes and a CJK character. */
const TEXT = 'h\u00e9 \\ "q" \u65e5';

describe('Kusto source, Distributed and automatic modes', () => {
  let k: KustoTestCluster;
  let spark: Session;
  let containerUrl: string;
  const opts = (extra: Record<string, string> = {}) => ({ kustoCluster: k.emulator.clusterUrl, kustoDatabase: k.db, ...extra });
  const exportsRun = async (marker: string) => (await k.mgmt(`.show commands | where Text has '${marker}' and Text startswith '.export'`)).length;
  const exportedBlobs = async () => {
    const names: string[] = [];
    for await (const b of new ContainerClient(containerUrl).listBlobsFlat({ prefix: `${k.db}/` })) names.push(b.name);
    return names;
  };

  before(async () => {
    k = await startKustoTestCluster('distdb');
    spark = await Session.builder().master('local[2]').config('kjob.progress', 'off').config('kjob.task.maxAttempts', 1).getOrCreate();
    containerUrl = String(Object.values((await k.mgmt('.show export containers'))[0]!)[0]);
    await k.mgmt('.set-or-append R5000 <| range id from 1 to 5000 step 1 | extend s = strcat("v", tostring(id))');
    await k.mgmt('.set-or-append R5001 <| range id from 1 to 5001 step 1 | extend s = strcat("v", tostring(id))');
    await k.mgmt('.create table Empty (id:long, s:string)');
    await k.mgmt(`.set-or-append Typed <| datatable(l:long,d:datetime,t:timespan,m:decimal,g:guid,y:dynamic,b:bool,i:int,r:real,s:string)[
      9007199254740993, datetime(2024-01-02T03:04:05.123456Z), time(1.02:03:04.5000001), decimal(12.340000000000000001), guid(0b1f4b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b), dynamic({"a":[1,2]}), true, int(-2147483648), real(-1.25e-300), ${quoteString(TEXT)},
      long(null), datetime(null), timespan(null), decimal(null), guid(null), dynamic(null), bool(null), int(null), real(null), ""]`);
  });
  after(async () => {
    await spark?.stop();
    await k?.stop();
  });

  it('every Kusto type reads value by value alike in both modes; Distributed deletes its files after the job', async () => {
    for (const mode of ['ForceSingleMode', 'ForceDistributedMode']) {
      const t = await spark.read.format('kusto').options(opts({ kustoQuery: 'Typed', readMode: mode })).load().toArrow();
      assert.equal(lastKustoReadReport()?.mode, mode === 'ForceSingleMode' ? 'single' : 'distributed');
      assert.equal(t.numRows, 2);
      assert.deepEqual(t.schema.fields.map((f) => `${f.name}:${String(f.type)}`).slice(6), ['b:Bool', 'i:Int32', 'r:Float64', 's:Utf8'], mode);
      assert.deepEqual([...t.getChild('b')!], [true, null], mode);
      assert.deepEqual([...t.getChild('i')!], [-2147483648, null], mode);
      assert.deepEqual([...t.getChild('r')!], [-1.25e-300, null], mode);
      // Kusto has no null string: the empty string is its null.
      assert.deepEqual([...t.getChild('s')!], [TEXT, ''], mode);
      const raw = (name: string) => {
        const d = t.getChild(name)!.data[0]!;
        const v = d.values as ArrayBufferView;
        const values = new BigInt64Array(v.buffer, v.byteOffset, d.length);
        return [0, 1].map((i) => (d.getValid(i) ? values[i] : null));
      };
      assert.deepEqual(raw('l'), [9007199254740993n, null]);
      // Export writes microseconds: the read keeps them all.
      assert.deepEqual(raw('d'), [1704164645123456000n, null]);
      assert.deepEqual(raw('t'), [937845000001n * 100n, null]);
      assert.equal(String(t.schema.fields.find((f) => f.name === 'm')!.type), 'Decimal[38e+18]');
      const words = t.getChild('m')!.data[0]!.values as Uint32Array;
      assert.equal([3, 2, 1, 0].reduce((acc, w) => (acc << 32n) | BigInt(words[w]!), 0n), 12_340000000000000001n);
      assert.deepEqual([...t.getChild('g')!], ['0b1f4b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b', null]);
      assert.deepEqual([...t.getChild('y')!], ['{"a":[1,2]}', null]);
      assert.deepEqual(await exportedBlobs(), [], 'exported files are deleted after the job');
    }
  });

  it('automatic decision: 0 → empty, 1 and 5000 → Single, 5001 → Distributed', async () => {
    const read = (q: string) => spark.read.format('kusto').options(opts({ kustoQuery: q })).load();
    assert.equal(await read('Empty').count(), 0);
    assert.equal(lastKustoReadReport()?.mode, 'empty');
    assert.deepEqual((await read('Empty').schema()).fields.map((f) => f.name), ['id', 's']);
    assert.equal(await read('R5000 | take 1').count(), 1);
    assert.equal(lastKustoReadReport()?.mode, 'single');
    assert.equal(await read('R5000').count(), 5000);
    assert.equal(lastKustoReadReport()?.mode, 'single');
    const t = await read('R5001').toArrow();
    assert.equal(lastKustoReadReport()?.mode, 'distributed');
    assert.equal(t.numRows, 5001);
    const ids = [...t.getChild('id')!].map(Number).sort((a, b) => a - b);
    assert.deepEqual(ids, Array.from({ length: 5001 }, (_, i) => i + 1));
  });

  it('a non-zero estimate decides the mode with no `| count`; only an estimate of 0 is checked with one', async () => {
    const queriesOf = async (requestId: string) => (await k.mgmt(`.show queries | where ClientActivityId startswith ${quoteString(`${requestId};`)}`)).map((r) => String(r['Text']));
    const run = async (kustoQuery: string, requestId: string) => {
      const n = await spark.read.format('kusto').options(opts({ kustoQuery, requestId })).load().count();
      return { n, mode: lastKustoReadReport()?.mode, texts: await queriesOf(requestId) };
    };
    const estimated = await run('R5001 | where id <= 4321', 'k6-estimate-single');
    assert.deepEqual([estimated.n, estimated.mode], [4321, 'single']);
    assert.equal(estimated.texts.filter((t) => t.includes('evaluate estimate_rows_count()')).length, 1, estimated.texts.join('\n'));
    assert.deepEqual(estimated.texts.filter((t) => /\|\s*count\s*$/.test(t)), [], 'a non-zero estimate runs no | count');
    const large = await run('R5001 | where id >= 1', 'k6-estimate-distributed');
    assert.deepEqual([large.n, large.mode], [5001, 'distributed']);
    assert.deepEqual(large.texts.filter((t) => /\|\s*count\s*$/.test(t)), [], 'a non-zero estimate runs no | count');
    const empty = await run('R5001 | where id < 0', 'k6-estimate-empty');
    assert.deepEqual([empty.n, empty.mode], [0, 'empty']);
    assert.equal(empty.texts.filter((t) => /\|\s*count\s*$/.test(t)).length, 1, 'an estimate of 0 is checked with | count');
  });

  it('a failing estimate falls back to Distributed', async () => {
    k.emulator.dataManagement.faults.add({ kind: 'request', status: 500, count: 1, pattern: 'estimate_rows_count' });
    const n = await spark.read.format('kusto').options(opts({ kustoQuery: 'R5000 | where id <= 3' })).load().count();
    assert.equal(n, 3);
    assert.equal(lastKustoReadReport()?.mode, 'distributed');
  });

  it('a Single-mode result over the query limits falls back to Distributed', async () => {
    const n = await spark.read.format('kusto').options(opts({ kustoQuery: 'R5000 | where id <= 3', clientRequestPropertiesJson: '{"Options":{"truncationmaxrecords":2}}' })).load().count();
    assert.equal(n, 3);
    assert.equal(lastKustoReadReport()?.mode, 'single-fallback-distributed');
  });

  it('automatic decision at 1,000,000 rows: Distributed, every row once', async () => {
    await k.mgmt('.set-or-append Million <| range id from 1 to 1000000 step 1');
    const t = await spark.read.format('kusto').options(opts({ kustoQuery: 'Million' })).load().toArrow();
    assert.equal(lastKustoReadReport()?.mode, 'distributed');
    assert.equal(t.numRows, 1_000_000);
    const seen = new Uint8Array(1_000_001);
    for (const v of t.getChild('id')!) seen[Number(v)]! += 1;
    assert.equal(seen.subarray(1).every((c) => c === 1), true);
  });

  it('customSchema: no schema query runs, and columns are read as the given types in both modes', async () => {
    for (const mode of ['ForceSingleMode', 'ForceDistributedMode']) {
      const requestId = `k6-custom-${mode}`;
      const df = spark.read.format('kusto').options(opts({ kustoQuery: 'Typed | project l, d', readMode: mode, customSchema: 'l long, d timestamp', requestId })).load();
      assert.deepEqual((await df.schema()).fields.map((f) => `${f.name}:${String(f.type)}`), ['l:Int64', 'd:Timestamp<MICROSECOND, UTC>']);
      const t = await df.toArrow();
      assert.deepEqual([...t.getChild('l')!], [9007199254740993n, null], mode);
      const d = t.getChild('d')!.data[0]!;
      const v = d.values as ArrayBufferView;
      assert.equal(new BigInt64Array(v.buffer, v.byteOffset, 1)[0], 1704164645123456n, mode);
      const schemaQueries = await k.mgmt(`.show queries | where ClientActivityId startswith '${requestId};' and Text has 'take 0'`);
      assert.equal(schemaQueries.length, 0, `${mode}: customSchema means no take 0 query`);
    }
  });

  it('dynamic columns decode into a requested struct/list type in both modes', async () => {
    const schema = new Schema([new Field('l', new Int64(), true), new Field('y', new Struct([new Field('a', new List(new Field('item', new Int64(), true)), true)]), true)]);
    for (const mode of ['ForceSingleMode', 'ForceDistributedMode']) {
      const t = await spark.read.format('kusto').schema(schema).options(opts({ kustoQuery: 'Typed | project l, y', readMode: mode })).load().toArrow();
      const y = t.getChild('y')!;
      assert.equal(String(y.type), 'Struct<{a:List<Int64>}>', mode);
      assert.deepEqual([...(y.get(0)!.toJSON() as { a: { toArray(): BigInt64Array } }).a.toArray()], [1n, 2n], mode);
      assert.equal(y.get(1), null, mode);
    }
  });

  it('an explicit transientStorage (validated, SAS masked) receives the export', async () => {
    const [base, sas] = containerUrl.split('?') as [string, string];
    const u = new URL(base);
    const [, account, container] = u.pathname.split('/') as [string, string, string];
    const storage = JSON.stringify({ storageCredentials: [{ storageAccountName: account, blobContainer: container, sasKey: `?${sas}`, blobEndpoint: `${u.origin}/${account}` }] });
    const n = await spark.read.format('kusto').options(opts({ kustoQuery: 'R5001', readMode: 'ForceDistributedMode', transientStorage: storage })).load().count();
    assert.equal(n, 5001);
    assert.deepEqual(await exportedBlobs(), [], 'exported files are deleted after the job');
    const bad = await spark.read.format('kusto').options(opts({ kustoQuery: 'R5001', readMode: 'ForceDistributedMode', transientStorage: JSON.stringify({ storageCredentials: [{ storageAccountName: 'a', sasKey: '?sig=SECRETSIG' }] }) })).load().count().catch((e: Error) => e);
    assert.ok(bad instanceof Error);
    assert.equal(bad.message, 'blob container name is null or empty');
    assert.ok(!String((bad as { describe?: () => string }).describe?.()).includes('SECRETSIG'));
  });

  it('a transientStorage with an account key: the export is read through a derived container SAS, then deleted', async () => {
    const cs = k.emulator.dataManagement.connectionString;
    const account = /AccountName=([^;]+)/.exec(cs)![1]!;
    const accountKey = /AccountKey=([^;]+)/.exec(cs)![1]!;
    const container = BlobServiceClient.fromConnectionString(cs).getContainerClient('key-transient');
    await container.createIfNotExists();
    const storage = JSON.stringify({ storageCredentials: [{ storageAccountName: account, blobContainer: 'key-transient', storageAccountKey: accountKey, blobEndpoint: k.emulator.dataManagement.blobEndpoint }] });
    const t = await spark.read.format('kusto').options(opts({ kustoQuery: 'R5001 | where id % 2 == 0', readMode: 'ForceDistributedMode', transientStorage: storage })).load().toArrow();
    assert.equal(t.numRows, 2500);
    assert.deepEqual([...t.getChild('id')!].map(Number).sort((a, b) => a - b), Array.from({ length: 2500 }, (_, i) => 2 * (i + 1)));
    const cmd = await k.mgmt(`.show commands | where Text startswith '.export' and Text has 'id % 2 == 0'`);
    assert.equal(cmd.length, 1);
    assert.ok(String(cmd[0]!['Text']).includes('/key-transient;'), 'the export was given the key form of the URL');
    const left: string[] = [];
    for await (const b of container.listBlobsFlat()) left.push(b.name);
    assert.deepEqual(left, [], 'the exported files are deleted after the job (the derived SAS may delete)');
  });

  it('kustoExportOptionsJson reaches the .export command', async () => {
    const n = await spark.read.format('kusto').options(opts({ kustoQuery: 'R5000 | where id < 100', readMode: 'ForceDistributedMode', kustoExportOptionsJson: '{"compressionType":"gzip","sizeLimit":1}' })).load().count();
    assert.equal(n, 99);
    const cmds = await k.mgmt(`.show commands | where Text startswith '.export' and Text has 'id < 100'`);
    assert.equal(cmds.length, 1);
    assert.match(String(cmds[0]!['Text']), /with \(sizeLimit=1048576 , namePrefix="distdb\/dir[0-9a-f_]+\/part0", compressionType="gzip",\) <\| R5000 \| where id < 100( \| project .*)?$/);
  });

  it('partitioned exports cover disjoint slices (no duplicated rows)', async () => {
    const t = await spark.read.format('kusto').options(opts({ kustoQuery: 'R5001', readMode: 'ForceDistributedMode', numPartitions: '3', partitionColumn: 'id' })).load().toArrow();
    assert.equal(lastKustoReadReport()?.exports, 3);
    const ids = [...t.getChild('id')!].map(Number).sort((a, b) => a - b);
    assert.deepEqual(ids, Array.from({ length: 5001 }, (_, i) => i + 1));
  });

  it('distributedReadModeTransientCache reuses one export for a second read', async () => {
    const marker = 'R5000 | where id > 4990';
    const o = opts({ kustoQuery: marker, readMode: 'ForceDistributedMode', distributedReadModeTransientCache: 'true' });
    assert.equal(await spark.read.format('kusto').options(o).load().count(), 10);
    assert.equal(await spark.read.format('kusto').options(o).load().count(), 10);
    assert.equal(await exportsRun('id > 4990'), 1);
    assert.ok((await exportedBlobs()).length > 0, 'cached exports keep their files');
    clearExportCache();
  });

  it('distributedReadModeTransientCache: another principal (access token) does not reuse the export', async () => {
    const o = (token: string) => opts({ kustoQuery: 'R5000 | where id > 4980', readMode: 'ForceDistributedMode', distributedReadModeTransientCache: 'true', accessToken: token });
    assert.equal(await spark.read.format('kusto').options(o('token-of-a')).load().count(), 20);
    assert.equal(await spark.read.format('kusto').options(o('token-of-a')).load().count(), 20);
    assert.equal(await exportsRun('id > 4980'), 1, 'the same token reuses the export');
    assert.equal(await spark.read.format('kusto').options(o('token-of-b')).load().count(), 20);
    assert.equal(await exportsRun('id > 4980'), 2, 'another token exports again');
    clearExportCache();
  });

  it("format('com.microsoft.kusto.spark.datasource') reads like format('kusto')", async () => {
    const rows = await spark.read.format('com.microsoft.kusto.spark.datasource').options(opts({ kustoQuery: 'R5000 | where id <= 3 | order by id asc', readMode: 'ForceSingleMode' })).load().collect();
    assert.deepEqual(rows.map((r) => [Number(r['id']), r['s']]), [[1, 'v1'], [2, 'v2'], [3, 'v3']]);
  });

  it('pushes filters and projections into the KQL with every name and value escaped', async () => {
    const name = "we'ird \"col\" \\ where";
    const value = 'a\'b\\c" | take 0 //';
    await k.mgmt(`.set-or-append Hostile <| datatable(c:string, n:long)[${quoteString(value)}, 1, "plain", 2, "where", 3] | project-rename ${quoteIdentifier(name)} = c`);
    const cols = (await spark.read.format('kusto').options(opts({ kustoQuery: 'Hostile', readMode: 'ForceSingleMode' })).load().schema()).fields.map((f) => f.name);
    assert.deepEqual(cols, [name, 'n']);
    for (const mode of ['ForceSingleMode', 'ForceDistributedMode']) {
      const df = spark.read.format('kusto').options(opts({ kustoQuery: 'Hostile', readMode: mode })).load().filter(col(name).eq(lit(value))).select(col('n'));
      const rows = await df.collect();
      assert.deepEqual(rows.map((r) => Number(r['n'])), [1], mode);
      const q = lastKustoReadReport()!.query;
      assert.match(q, /\| where /, `${mode}: the filter was pushed`);
      assert.match(q, /\| project \['n'\]/, `${mode}: the projection was pushed`);
    }
    // A filter Kusto cannot evaluate stays in the plan and still applies.
    const kept = await spark.read.format('kusto').options(opts({ kustoQuery: 'Hostile', readMode: 'ForceSingleMode' })).load().filter(col('n').plus(lit(1)).eq(lit(3))).collect();
    assert.deepEqual(kept.map((r) => Number(r['n'])), [2]);
    assert.doesNotMatch(lastKustoReadReport()!.query, /where/);
  });

  it('a failed export raises FailedOperationException with OperationId, State and Status', async () => {
    k.emulator.dataManagement.faults.add({ kind: 'export', mode: 'fail', count: 1 });
    const err = await spark.read.format('kusto').options(opts({ kustoQuery: 'R5000', readMode: 'ForceDistributedMode' })).load().count().catch((e: unknown) => e);
    assertNamedError(err, FailedOperationException, /^Failed to execute Kusto operation with OperationId '[0-9a-f-]{36}', State: 'Failed', Status: '.+'/, /Kusto rejected or aborted the operation; Status holds its reason/, /^Inspect '\.show operations [0-9a-f-]{36}' and '\.show operation [0-9a-f-]{36} details'\.$/);
    const e = err as FailedOperationException;
    assert.equal(e.state, 'Failed');
    assert.ok(e.resolution!.includes(e.operationId), 'the resolution names the operation');
  });

  it('an export outliving timeoutLimit raises TimeoutAwaitingPendingOperationException naming the OperationId', async () => {
    k.emulator.dataManagement.faults.add({ kind: 'export', mode: 'timeout', count: 1, timeoutMs: 4000 });
    const err = await spark.read.format('kusto').options(opts({ kustoQuery: 'R5000', readMode: 'ForceDistributedMode', timeoutLimit: '1' })).load().count().catch((e: unknown) => e);
    assertNamedError(err, TimeoutAwaitingPendingOperationException, /^Timed out while waiting for operation with OperationId '[0-9a-f-]{36}'$/, /takes longer than timeoutLimit/, /^Track it with '\.show operations [0-9a-f-]{36}'; raise timeoutLimit \(seconds\) if it is only slow\.$/);
    const e = err as TimeoutAwaitingPendingOperationException;
    assert.ok(e.message.includes(e.operationId) && e.resolution!.includes(e.operationId), 'message and resolution name the operation');
  });

  it('.show export containers is retried on transient errors, then cached', async () => {
    clearExportContainersCache();
    k.emulator.dataManagement.faults.add({ kind: 'request', status: 503, count: 2, pattern: 'show export containers' });
    assert.equal(await spark.read.format('kusto').options(opts({ kustoQuery: 'R5000 | take 7', readMode: 'ForceDistributedMode' })).load().count(), 7);
    // Cached: a fault now would not be seen.
    const id = k.emulator.dataManagement.faults.add({ kind: 'request', status: 500, count: 0, pattern: 'show export containers' });
    assert.equal(await spark.read.format('kusto').options(opts({ kustoQuery: 'R5000 | take 8', readMode: 'ForceDistributedMode' })).load().count(), 8);
    k.emulator.dataManagement.faults.remove(id);
  });

  it('no export containers raises NoStorageContainersException', async () => {
    clearExportContainersCache();
    k.emulator.dataManagement.faults.add({ kind: 'noStorage', count: 1 });
    const err = await spark.read.format('kusto').options(opts({ kustoQuery: 'R5000', readMode: 'ForceDistributedMode' })).load().count().catch((e: unknown) => e);
    assertNamedError(err, NoStorageContainersException, 'No storage containers received. Failed to allocate temporary storage', /returned no temporary storage/, /transientStorage/);
    clearExportContainersCache();
  });

  it('abfss with an account key is refused with the reference message', async () => {
    const storage = JSON.stringify({ storageCredentials: [{ storageAccountName: 'acct', blobContainer: 'c', storageAccountKey: 'c2VjcmV0a2V5' }] });
    const err = await spark.read.format('kusto').options(opts({ kustoQuery: 'R5000', readMode: 'ForceDistributedMode', transientStorage: storage, storageProtocol: 'abfss' })).load().count().catch((e: unknown) => e);
    assertNamedError(
      err,
      InvalidParameterException,
      "Storage protocol 'abfss' with Account Key authentication is not supported yet. Please use SAS based authentication or switch to 'wasbs' protocol.",
      /account key \(storageAccountKey\) for container 'c' while storageProtocol is 'abfss'/,
      /SAS \(sasKey\) in transientStorage, or set storageProtocol to 'wasbs'/,
    );
    assert.doesNotMatch((err as InvalidParameterException).describe(), /c2VjcmV0a2V5/);
  });
});
