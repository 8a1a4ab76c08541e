import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'azure-kusto-data';
import { KustoServiceError, type EmulatorEngine } from '../../../src/emulator/contracts.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';

/** The EmulatorEngine seam the data-management half uses, exercised directly and through the SDK. */
describe('EmulatorEngine contract', () => {
  let emu: RunningEmulator;
  let engine: EmulatorEngine;
  let client: Client;
  const db = 'apidb';

  before(async () => {
    emu = await startEmulator({ port: 0 });
    engine = emu.engine;
    client = new Client(emu.clusterUrl);
    await client.execute(db, '.create table T (a:long, s:string, t:datetime)');
  });
  after(async () => {
    client.close();
    await emu.stop();
  });

  it('ingestBatch appends all good items as ONE extent and reports each item', async () => {
    const r = await engine.ingestBatch(db, 'T', [
      { data: Buffer.from('1,a,2024-01-01T00:00:00Z\n2,b,\n'), format: 'csv' },
      { data: Buffer.from('{"a":3,"s":"c"}\n{"a":"oops","s":"d"}\n'), format: 'json' },
      { data: Buffer.from('"unterminated\n'), format: 'csv', sourcePath: 'blob://x' },
      { data: Buffer.from('x,y\n'), format: 'csv', validationImplications: 0 },
    ], { tags: ['ingest-by:batch-7', 'drop-by:d'], creationTime: new Date('2021-02-03T04:05:06Z') });
    assert.ok(r.extentId);
    assert.deepEqual(r.outcomes.map((o) => o.status), ['Succeeded', 'PartiallySucceeded', 'Failed', 'Failed']);
    assert.equal(r.outcomes[1]!.badRows, 1);
    assert.equal(r.outcomes[2]!.errorCode, 'Stream_ClosingQuoteMissing');
    assert.match(r.outcomes[2]!.details!, /blob:\/\/x/);
    const count = await engine.query(db, 'T | count');
    assert.deepEqual(count.rows, [[4n]]);
    const ext = await client.execute(db, '.show table T extents');
    assert.equal(ext.primaryResults[0]!.toJSON().data.length, 1);
    assert.ok(engine.hasIngestByTag(db, 'T', 'batch-7'));
    assert.ok(!engine.hasIngestByTag(db, 'T', 'batch-8'));
    const none = await engine.ingestBatch(db, 'T', [{ data: Buffer.from(''), format: 'csv' }], {});
    assert.equal(none.extentId, null);
  });

  it('extends the table from a mapping with DataType, and refuses mappings to unknown columns without one', async () => {
    await engine.ingestBatch(db, 'T', [{ data: Buffer.from('9,new\n'), format: 'csv', mapping: [{ column: 'a', ordinal: 0 }, { column: 'extra', ordinal: 1, dataType: 'string' }] }], {});
    assert.ok((await engine.query(db, 'T | where a == 9 | project extra')).rows.some((r) => r[0] === 'new'));
    await assert.rejects(engine.ingestBatch(db, 'T', [{ data: Buffer.from('1\n'), format: 'csv', mapping: [{ column: 'nope', ordinal: 0 }] }], {}), (e: unknown) => e instanceof KustoServiceError && e.code === 'BadRequest_InvalidMapping');
  });

  it('reports table, database and default batching policies', async () => {
    const def = engine.effectiveBatchingPolicy(db, 'T');
    assert.ok(def.maximumBatchingTimeSpanMs > 0);
    await client.execute(db, `.alter database ${db} policy ingestionbatching '{"MaximumBatchingTimeSpan":"00:00:30","MaximumNumberOfItems":7,"MaximumRawDataSizeMB":100}'`);
    assert.deepEqual(engine.effectiveBatchingPolicy(db, 'T'), { maximumBatchingTimeSpanMs: 30_000, maximumNumberOfItems: 7, maximumRawDataSizeMB: 100 });
    await client.execute(db, `.alter table T policy ingestionbatching '{"MaximumBatchingTimeSpan":"00:00:02","MaximumNumberOfItems":3,"MaximumRawDataSizeMB":1}'`);
    assert.deepEqual(engine.effectiveBatchingPolicy(db, 'T'), { maximumBatchingTimeSpanMs: 2_000, maximumNumberOfItems: 3, maximumRawDataSizeMB: 1 });
  });

  it('streams query results as Arrow batches (datetime as timestamps, timespan as ticks)', async () => {
    let rows = 0;
    let batches = 0;
    for await (const b of engine.queryToArrow(db, 'range i from 1 to 100000 step 1 | extend t = datetime(2024-01-01) + i * 1s, span = 1s * i')) {
      batches++;
      rows += b.numRows;
      if (batches === 1) {
        assert.equal(b.schema.fields.map((f) => f.name).join(','), 'i,t,span');
        assert.equal(b.getChild('i')!.get(0), 1n);
        // Stored as microseconds; Arrow JS's getter reads any timestamp unit back as epoch milliseconds.
        const t = b.schema.fields[1]!.type as { unit: number };
        assert.equal(t.unit, 2 /* TimeUnit.MICROSECOND */);
        assert.equal(Number(b.getChild('t')!.get(0)), Date.UTC(2024, 0, 1, 0, 0, 1));
        assert.equal(BigInt((b.getChild('t')!.data[0]!.values as BigInt64Array)[0]!), BigInt(Date.UTC(2024, 0, 1, 0, 0, 1)) * 1000n);
        assert.equal(b.getChild('span')!.get(0), 10_000_000n);
      }
    }
    assert.equal(rows, 100000);
    assert.ok(batches >= 2);
  });

  it('runs registered commands after its own and request hooks before every request', async () => {
    engine.registerCommand({ matches: (t) => /^\.emulator\s+ping/i.test(t), run: async (_t, ctx) => ({ name: 'Table_0', columns: [{ name: 'Pong', type: 'string' }], rows: [[ctx.database]] }) });
    assert.deepEqual((await client.execute(db, '.emulator ping')).primaryResults[0]!.toJSON().data, [{ Pong: db }]);
    let fail = true;
    engine.addRequestHook((req) => {
      if (fail && req.text.includes('throttle-me')) throw new KustoServiceError(429, 'TooManyRequests', 'throttled');
    });
    await assert.rejects(client.execute(db, 'print x = "throttle-me"'), (e: Error) => e.name === 'ThrottlingError');
    fail = false;
    assert.ok(await client.execute(db, 'print x = "throttle-me"'));
  });

  it('registers async operations and journal entries', async () => {
    const id = engine.startOperation(db, 'Custom', 'crid-op', async () => ({ name: 'd', columns: [{ name: 'x', type: 'long' }], rows: [[1]] }));
    assert.equal(engine.getOperation(id)!.state, 'InProgress');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(engine.getOperation(id)!.state, 'Completed');
    assert.deepEqual((await client.execute(db, `.show operation ${id} details`)).primaryResults[0]!.toJSON().data, [{ x: 1 }]);
    engine.recordCommand({ clientActivityId: 'dm;42', commandType: 'DataIngestPull', text: 'queued ingest', database: db, state: 'Failed', failureReason: 'bad blob', startedOn: new Date(), duration: 5 });
    const r = (await client.execute(db, ".show commands | where ClientActivityId == 'dm;42' | project State, FailureReason")).primaryResults[0]!.toJSON().data;
    assert.deepEqual(r, [{ State: 'Failed', FailureReason: 'bad blob' }]);
  });
});
