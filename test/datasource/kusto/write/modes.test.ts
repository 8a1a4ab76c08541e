import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { col, concat, lit } from '../../../../src/plan/functions.js';
import { sinkOptions, useSinkTestContext } from './support.js';
import { kustoAsyncWrite } from '../../../../src/datasource/kusto/write/index.js';

const sink = useSinkTestContext('kusto modes', { 'kjob.task.maxAttempts': 1 });

async function waitForCount(table: string, expected: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  let n = 0;
  while (Date.now() < deadline && (n = await sink.probe.count('db', table)) < expected) await new Promise((r) => setTimeout(r, 200));
  assert.equal(n, expected);
}

const small = () => sink.spark.createDataFrame([{ id: 1, name: 'a' }, { id: 2, name: 'b"c, d' }, { id: 3, name: null }], 'id bigint, name string', { partitions: 2 });

describe('write modes × table create options', () => {
  for (const writeMode of ['Transactional', 'Queued', 'KustoStreaming'] as const) {
    it(`${writeMode}: CreateIfNotExist creates the table; FailIfNotExist appends to it`, async () => {
      const table = `M_${writeMode}`;
      await small().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, table, { writeMode, tableCreateOptions: 'CreateIfNotExist' })).mode('append').save();
      await small().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, table, { writeMode, tableCreateOptions: 'FailIfNotExist' })).mode('append').save();
      await waitForCount(table, 6);
      const rows = await sink.probe.rows('db', `['${table}'] | where id == 2 | project name`);
      assert.deepEqual(rows.map((r) => r['name']), ['b"c, d', 'b"c, d']);
      const schema = await sink.probe.rows('db', `.show table ['${table}'] cslschema`);
      assert.match(String(schema[0]!['Schema']), /id:long,\s*name:string/);
      if (writeMode === 'KustoStreaming') {
        const policy = await sink.probe.rows('db', `.show table ['${table}'] policy streamingingestion`);
        assert.match(JSON.stringify(policy[0]), /IsEnabled.{0,6}true/i);
      }
    });
  }

  it('KustoStreaming cuts requests of streamingIngestSizeInMB on row boundaries', async () => {
    const df = sink.spark.range(0, 150_000, 1, { partitions: 1 }).withColumn('pad', concat(lit('streamed-row-'), col('id').cast('string')));
    const result = await df.write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'S1', { writeMode: 'KustoStreaming', tableCreateOptions: 'CreateIfNotExist', streamingIngestSizeInMB: '1' })).mode('append').save();
    const detail = result.detail as { streamedRequests: number };
    // ~3.9 MB of CSV in 1 MiB requests.
    assert.ok(detail.streamedRequests >= 4, `streamed in ${detail.streamedRequests} requests`);
    const r = await sink.probe.rows('db', 'S1 | summarize n = count(), d = dcount(id)');
    assert.equal(Number(r[0]!['n']), 150_000);
    assert.equal(Number(r[0]!['d']), 150_000);
  });
});

describe('adjustSchema', () => {
  before(async () => {
    await sink.probe.rows('db', '.create table Adj (name:string, id:long, extra:string)');
  });
  it('NoAdjustment maps by position (the connector\'s behaviour)', async () => {
    await sink.probe.rows('db', '.create table Pos (x:long, y:string)');
    await small().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'Pos')).mode('append').save();
    const rows = await sink.probe.rows('db', 'Pos | where x == 1 | project y');
    assert.deepEqual(rows.map((r) => r['y']), ['a']);
  });
  it('FailIfNotMatch rejects different columns before writing anything', async () => {
    await assert.rejects(small().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'Adj', { adjustSchema: 'FailIfNotMatch' })).mode('append').save(), (e: Error) => {
      assert.equal(e.name, 'SchemaMatchException');
      assert.equal(e.message, 'Target table schema does not match to DataFrame schema.Target columns: name, id, extra.Source columns: id, name');
      assert.match(String((e as Error & { requestId?: string }).requestId), /^[0-9a-f-]{36}$/);
      return true;
    });
    assert.equal(await sink.probe.count('db', 'Adj'), 0);
  });
  it('FailIfNotMatch with CreateIfNotExist on a missing table creates it', async () => {
    await small().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'AdjNew', { adjustSchema: 'FailIfNotMatch', tableCreateOptions: 'CreateIfNotExist' })).mode('append').save();
    assert.equal(await sink.probe.count('db', 'AdjNew'), 3);
  });
  for (const writeMode of ['Transactional', 'Queued'] as const) {
    it(`GenerateDynamicCsvMapping maps by name (${writeMode})`, async () => {
      const table = `AdjMap_${writeMode}`;
      await sink.probe.rows('db', `.create table ['${table}'] (name:string, id:long, extra:string)`);
      await small().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, table, { adjustSchema: 'GenerateDynamicCsvMapping', writeMode })).mode('append').save();
      await waitForCount(table, 3);
      const rows = await sink.probe.rows('db', `['${table}'] | order by id asc | project id, name, extra`);
      assert.deepEqual(rows.map((r) => [Number(r['id']), r['name'], r['extra']]), [[1, 'a', ''], [2, 'b"c, d', ''], [3, '', '']]);
    });
  }
  it('GenerateDynamicCsvMapping with KustoStreaming is rejected up front', async () => {
    await assert.rejects(small().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'Adj', { adjustSchema: 'GenerateDynamicCsvMapping', writeMode: 'KustoStreaming' })).mode('append').save(), /GenerateDynamicCsvMapping cannot be used with Spark streaming ingestion/);
  });
});

describe('options checked before any side effect', () => {
  it('mode other than append, tempTableName misuse, unknown writeMode', async () => {
    await assert.rejects(small().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'X', { tableCreateOptions: 'CreateIfNotExist' })).mode('overwrite').save(), /Kusto data source supports only 'Append' mode, 'Overwrite' directive is invalid/);
    await assert.rejects(small().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'X', { tempTableName: 't', writeMode: 'Queued' })).mode('append').save(), /tempTableName can only be used with FailIfNotExists table create mode and Transactional write mode\./);
    await assert.rejects(small().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'X', { writeMode: 'Fast' })).mode('append').save(), /No such WriteMode option: 'Fast'/);
    assert.ok(!(await sink.probe.tables('db')).includes('X'));
  });
  it('user ingestIfNotExists: a write whose tags the destination holds is skipped', async () => {
    const props = JSON.stringify({ ingestByTags: ['load-2024-01'], ingestIfNotExists: ['load-2024-01'] });
    const opts = sinkOptions(sink.emu.clusterUrl, 'Tagged', { tableCreateOptions: 'CreateIfNotExist', sparkIngestionPropertiesJson: props });
    const first = await small().write.format('kusto').options(opts).mode('append').save();
    assert.equal(first.skipped, false);
    const second = await small().write.format('kusto').options(opts).mode('append').save();
    assert.equal(second.skipped, true);
    assert.equal(await sink.probe.count('db', 'Tagged'), 3);
  });
});

describe('writeEnableAsync', () => {
  it('Transactional: the action returns before the move; the handle resolves with the summary', async () => {
    const result = await small().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'Async1', { tableCreateOptions: 'CreateIfNotExist', writeEnableAsync: 'true', requestId: 'async-req-1' })).mode('append').save();
    assert.deepEqual(result.detail, { requestId: 'async-req-1', writeMode: 'Transactional', table: 'Async1', async: true });
    const handle = kustoAsyncWrite('async-req-1');
    assert.ok(handle);
    const summary = await handle;
    assert.equal(summary.rows, 3);
    assert.equal(await sink.probe.count('db', 'Async1'), 3);
  });
});
