import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Field, Int64, Schema, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { getDataSource } from '../../../../src/datasource/registry.js';
import { driverContext, taskContext } from '../../support.js';
import { sinkOptions, useSinkTestContext } from './support.js';

const sink = useSinkTestContext('kusto ingestIfNotExists', { 'kjob.task.maxAttempts': 1 });

const small = () => sink.spark.createDataFrame([{ id: 1, s: 'a' }, { id: 2, s: 'b' }], 'id bigint, s string', { partitions: 2 });
const tagged = (table: string, tag: string) => sink.probe.rows('db', `.ingest inline into table ['${table}'] with (ingestByTags='["${tag}"]') <| 99,tagged`);

async function waitForCount(table: string, n: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (await sink.probe.count('db', table)) < n) await new Promise((r) => setTimeout(r, 200));
  assert.equal(await sink.probe.count('db', table), n);
}

describe("the user's ingestIfNotExists in every write mode", () => {
  it('Queued: the blobs carry the ingest-by tag; a second write with the same tag is skipped', async () => {
    const props = JSON.stringify({ ingestByTags: ['q-load'], ingestIfNotExists: ['q-load'] });
    const opts = sinkOptions(sink.emu.clusterUrl, 'QTagged', { writeMode: 'Queued', tableCreateOptions: 'CreateIfNotExist', sparkIngestionPropertiesJson: props });
    assert.equal((await small().write.format('kusto').options(opts).mode('append').save()).skipped, false);
    await waitForCount('QTagged', 2);
    assert.equal((await small().write.format('kusto').options(opts).mode('append').save()).skipped, true);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await sink.probe.count('db', 'QTagged'), 2);
  });

  it('KustoStreaming: checked against tags other ingestions left (streamed rows carry none)', async () => {
    await sink.probe.rows('db', '.create table STagged (id:long, s:string)');
    const opts = (tag: string) => sinkOptions(sink.emu.clusterUrl, 'STagged', { writeMode: 'KustoStreaming', sparkIngestionPropertiesJson: JSON.stringify({ ingestIfNotExists: [tag] }) });
    assert.equal((await small().write.format('kusto').options(opts('s-load')).mode('append').save()).skipped, false);
    // No streaming policy on this table: the managed client falls back to queued ingestion.
    await waitForCount('STagged', 2);
    await tagged('STagged', 's-load');
    assert.equal((await small().write.format('kusto').options(opts('s-load')).mode('append').save()).skipped, true);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await sink.probe.count('db', 'STagged'), 3);
  });

  it('Transactional: a tag that lands while the tasks run is found again before the move; nothing moves', async () => {
    await sink.probe.rows('db', '.create table TLate (id:long, s:string)');
    const ds = await getDataSource('kusto');
    const schema = new Schema([new Field('id', new Int64(), true), new Field('s', new Utf8(), true)]);
    const ctx = driverContext();
    const job = await ds.prepareWrite!(schema, sinkOptions(sink.emu.clusterUrl, 'TLate', { sparkIngestionPropertiesJson: JSON.stringify({ ingestIfNotExists: ['late'] }) }), undefined, 'append', ctx);
    assert.equal(job.skip, undefined);
    const table = new Table({ id: vectorFromArray([1n, 2n], new Int64()), s: vectorFromArray(['a', 'b'], new Utf8()) });
    async function* batches() {
      yield* table.batches;
    }
    const message = await ds.writeTask!(job, schema, batches(), taskContext(0));
    await tagged('TLate', 'late');
    const summary = await ds.commitWrite!(job, [message], ctx);
    assert.deepEqual((summary.detail as { skippedByIngestIfNotExists?: string[] }).skippedByIngestIfNotExists, ['late']);
    assert.deepEqual((await sink.probe.rows('db', 'TLate | project id')).map((r) => Number(r['id'])), [99]);
    assert.deepEqual(await sink.probe.stagingTables('db'), [], 'staging dropped');
  });
});
