import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { col } from '../../../../src/plan/functions.js';
import { sinkOptions, useSinkTestContext } from './support.js';

// One task per partition (no write-task sizing): these tests count blobs and staged extents per partition.
const sink = useSinkTestContext('kusto sink', { 'kjob.kusto.writeTaskSizing': 'off' });

describe('Kusto sink, Transactional', () => {
  it('creates the table, writes every row once through a hidden staging table and drops it (driver token, executors none)', async () => {
    const df = sink.spark.range(0, 1000, 1, { partitions: 4 }).withColumn('name', col('id').cast('string'));
    const result = await df.write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'T1', { tableCreateOptions: 'CreateIfNotExist', accessToken: 'driver-only-token' })).mode('append').save();
    assert.equal(result.rows, 1000);
    assert.equal(await sink.probe.count('db', 'T1'), 1000);
    const distinct = await sink.probe.rows('db', 'T1 | summarize n = dcount(id), s = sum(id)');
    assert.equal(Number(distinct[0]!['n']), 1000);
    assert.equal(Number(distinct[0]!['s']), 499500);
    const detail = result.detail as { extentsMoved: number; requestId: string; blobs: { count: number } };
    assert.equal(detail.blobs.count, 4);
    assert.ok(detail.extentsMoved >= 1);
    assert.deepEqual(await sink.probe.stagingTables('db'), []);
    const phases = (result.detail as { phases: Record<string, number> }).phases;
    for (const p of ['prepareMs', 'tasksMs', 'pollIngestionMs', 'moveExtentsMs', 'commitMs']) assert.ok(phases[p]! >= 0, p);
  });

  it('copies the destination\'s batching policy to the staging table and refreshes it on the DM endpoint', async () => {
    await sink.probe.rows('db', '.create table B (id:long)');
    await sink.probe.rows('db', `.alter table B policy ingestionbatching @'{"MaximumBatchingTimeSpan":"00:00:01","MaximumNumberOfItems":20,"MaximumRawDataSizeMB":300}'`);
    const result = await sink.spark.range(0, 10).write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'B', { requestId: 'batching-req' })).mode('append').save();
    assert.equal(result.rows, 10);
    const cmds = await sink.probe.rows('db', ".show commands | where ClientActivityId startswith 'batching-req;KJOB.prepareWrite.batchingPolicy;' | project Text");
    const texts = cmds.map((r) => String(r['Text']));
    assert.ok(texts.some((t) => /^\.alter table \['sparkTempTable_kusto_sink_B_batching_req'\] policy ingestionbatching @"\{.*MaximumBatchingTimeSpan.*00:00:01/.test(t)), texts.join('\n'));
    assert.ok(texts.some((t) => t === ".refresh database 'db' table 'sparkTempTable_kusto_sink_B_batching_req' cache ingestionbatchingpolicy"), texts.join('\n'));
  });

  it('FailIfNotExist on a missing table fails before any task, with the connector message', async () => {
    const df = sink.spark.range(3);
    await assert.rejects(df.write.format('com.microsoft.kusto.spark.datasource').options(sinkOptions(sink.emu.clusterUrl, 'Missing')).mode('append').save(), (e: Error) => {
      assert.equal(e.name, 'TableNotFoundException');
      assert.match(e.message, /^Table 'Missing' doesn't exist in database 'db', cluster '127\.0\.0\.1 and tableCreateOptions is set to FailIfNotExist\.$/);
      return true;
    });
  });
});
