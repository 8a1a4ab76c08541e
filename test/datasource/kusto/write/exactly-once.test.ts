import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { col, concat, lit } from '../../../../src/plan/functions.js';
import { sinkOptions, useSinkTestContext, type KustoProbe } from './support.js';
import './fixtures/retry-functions.js';

const fixture = fileURLToPath(new URL('./fixtures/retry-functions.ts', import.meta.url));
const sink = useSinkTestContext('exactly once', { 'kjob.jobModule': fixture, 'kjob.task.maxAttempts': 3 });

// ~2.4 MB of CSV per partition: with clientBatchingLimit=1 each attempt seals and queues blobs before it ends.
const rows = 200_000;
const data = () =>
  sink.spark
    .range(0, rows, 1, { partitions: 2 })
    .withColumn('pad', concat(lit('row-'), col('id').cast('string')))
    .mapPartitions('failFirstAttemptOfPartition0');

describe('exactly-once under task retries', () => {
  it('Transactional: the failed attempt\'s staged extents are dropped, the destination holds every row once', async () => {
    const result = await data().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'Once', { tableCreateOptions: 'CreateIfNotExist', clientBatchingLimit: '1' })).mode('append').save();
    assert.equal(result.rows, rows);
    const r = await sink.probe.rows('db', 'Once | summarize n = count(), d = dcount(id), s = sum(id)');
    assert.equal(Number(r[0]!['n']), rows);
    assert.equal(Number(r[0]!['d']), rows);
    assert.equal(BigInt(String(r[0]!['s'])), BigInt(rows) * BigInt(rows - 1) / 2n);
    const detail = result.detail as { extentsDroppedFromOtherAttempts: number };
    assert.ok(detail.extentsDroppedFromOtherAttempts >= 1, 'the failed attempt had staged extents that were dropped');
  });

  it('Queued: a re-run of the same tasks (same requestId) is Skipped blob by blob', async () => {
    const options = sinkOptions(sink.emu.clusterUrl, 'QOnce', { tableCreateOptions: 'CreateIfNotExist', clientBatchingLimit: '1', writeMode: 'Queued', requestId: 'fixed-request-1' });
    await data().write.format('kusto').options(options).mode('append').save();
    await waitForCount(sink.probe, 'QOnce', rows);
    // The same write again: every blob carries the same ingest-by tag and ingestIfNotExists.
    await data().write.format('kusto').options(options).mode('append').save();
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(await sink.probe.count('db', 'QOnce'), rows);
  });
});

describe('a write whose task fails for good', () => {
  it('Transactional: the job fails with the task error, the staging table is dropped, the destination untouched', async () => {
    const df = sink.spark.range(0, 50_000, 1, { partitions: 2 }).withColumn('pad', concat(lit('row-'), col('id').cast('string'))).mapPartitions('alwaysFailPartition1');
    await assert.rejects(df.write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'Never', { tableCreateOptions: 'CreateIfNotExist' })).mode('append').save(), /partition 1 always fails/);
    assert.equal(await sink.probe.count('db', 'Never'), 0);
    assert.deepEqual(await sink.probe.stagingTables('db'), []);
  });
  it('an empty DataFrame writes nothing and leaves no staging table', async () => {
    const result = await sink.spark.range(0, 10, 1, { partitions: 2 }).filter(col('id').lt(0)).write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'Empty', { tableCreateOptions: 'CreateIfNotExist' })).mode('append').save();
    assert.equal(result.rows, 0);
    assert.equal(await sink.probe.count('db', 'Empty'), 0);
    assert.deepEqual(await sink.probe.stagingTables('db'), []);
  });
});

async function waitForCount(p: KustoProbe, table: string, expected: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  let n = 0;
  while (Date.now() < deadline) {
    n = await p.count('db', table);
    if (n >= expected) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(n, expected);
}
