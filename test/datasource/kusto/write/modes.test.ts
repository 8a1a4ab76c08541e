import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { col, concat, lit } from '../../../../src/plan/functions.js';
import { sinkOptions, useSinkTestContext } from './support.js';
import { kustoAsyncWrite } from '../../../../src/datasource/kusto/write/index.js';
import { createMatrixTables, matrixCases, runMatrixCase } from './matrix-cases.js';

const sink = useSinkTestContext('kusto modes', { 'kjob.task.maxAttempts': 1 });

const small = () => sink.spark.createDataFrame([{ id: 1, name: 'a' }, { id: 2, name: 'b"c, d' }, { id: 3, name: null }], 'id bigint, name string', { partitions: 2 });

const MATRIX = matrixCases('L');

describe('local[2]: writeMode × tableCreateOptions × adjustSchema (matrix-cases.ts)', () => {
  before(() => createMatrixTables(sink.probe, MATRIX));
  for (const c of MATRIX) it(c.title, () => runMatrixCase(sink.spark, sink.emu.clusterUrl, sink.probe, c));
});

describe('KustoStreaming requests', () => {
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
