import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Field, Int32, RecordBatch, Schema, Struct, Utf8, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import { parquetSource } from '../../../src/datasource/parquet/index.js';
import { csvSource } from '../../../src/datasource/csv/index.js';
import type { CommitMessage, DataSource, SaveMode } from '../../../src/datasource/datasource.js';
import { driverContext, taskContext, collect } from '../support.js';
import { startAzurite, type TestAzurite } from './azurite-server.js';

const schema = new Schema([new Field('id', new Int32(), true), new Field('s', new Utf8(), true)]);
function batch(from: number, n: number): RecordBatch {
  const ids = makeVector(Int32Array.from({ length: n }, (_, i) => from + i));
  const strs = vectorFromArray(Array.from({ length: n }, (_, i) => `v,${from + i}`), new Utf8());
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children: [ids.data[0]!, strs.data[0]!] }));
}
async function* gen(bs: RecordBatch[]): AsyncGenerator<RecordBatch> {
  yield* bs;
}

async function write(ds: DataSource, target: string, mode: SaveMode, tasks: RecordBatch[][], options: Record<string, string> = {}) {
  const ctx = driverContext();
  const job = await ds.prepareWrite!(schema, options, target, mode, ctx);
  if (job.skip) return job;
  const messages: CommitMessage[] = [];
  for (const [p, bs] of tasks.entries()) messages.push(await ds.writeTask!(job, schema, gen(bs), taskContext(p, { jobId: ctx.jobId })));
  await ds.commitWrite!(job, messages, ctx);
  return job;
}

async function ids(ds: DataSource, target: string, options: Record<string, string> = {}): Promise<number[]> {
  const plan = await ds.planRead!(options, [target], undefined, { filters: [] }, driverContext());
  const out: number[] = [];
  for (const [i, s] of plan.splits.entries()) for (const b of await collect(ds.readSplit!(s, options, plan.schema, taskContext(i)))) for (const v of b.getChild('id')!) out.push(Number(v));
  return out.sort((a, b) => a - b);
}

describe('file sinks on blob storage (Azurite)', () => {
  let azurite: TestAzurite;
  let base: string;
  let sas: string;
  before(async () => {
    azurite = await startAzurite();
    await azurite.service.getContainerClient('output').create();
    ({ base, sas } = azurite.containerSasUrl('output', 'racwdl'));
  });
  after(async () => azurite.close());

  const names = async (prefix: string) => {
    const out: string[] = [];
    for await (const b of azurite.service.getContainerClient('output').listBlobsFlat({ prefix })) out.push(b.name);
    return out.sort();
  };

  it('writes parquet part files and _SUCCESS under a prefix, and reads them back', async () => {
    const target = `${base}/tables/t1?${sas}`;
    const job = await write(parquetSource, target, 'errorifexists', [[batch(0, 100)], [batch(100, 20)]]);
    const jobId = (job.state as { jobId: string }).jobId;
    assert.deepEqual(await names('tables/t1/'), ['tables/t1/_SUCCESS', `tables/t1/part-00000-${jobId}.snappy.parquet`, `tables/t1/part-00001-${jobId}.snappy.parquet`]);
    assert.deepEqual(await ids(parquetSource, target), Array.from({ length: 120 }, (_, i) => i));
    await assert.rejects(write(parquetSource, target, 'errorifexists', [[batch(0, 1)]]), (e: Error) => e.name === 'PathAlreadyExistsError' && !e.message.includes(decodeURIComponent(sas.match(/sig=([^&]+)/)![1]!)));
  });

  it('overwrite replaces at commit; an aborted job leaves the old data and no staging blobs', async () => {
    const target = `${base}/tables/t2?${sas}`;
    await write(csvSource, target, 'errorifexists', [[batch(0, 5)]]);
    await write(csvSource, target, 'append', [[batch(5, 5)]]);
    assert.equal((await ids(csvSource, target, { schema: 'id INT, s STRING' })).length, 10);
    const ctx = driverContext();
    const job = await csvSource.prepareWrite!(schema, {}, target, 'overwrite', ctx);
    const m = await csvSource.writeTask!(job, schema, gen([batch(100, 3)]), taskContext(0, { jobId: ctx.jobId }));
    assert.ok((await names('tables/t2/_temporary/')).length > 0);
    await csvSource.abortWrite!(job, [m], ctx);
    assert.deepEqual(await names('tables/t2/_temporary/'), []);
    assert.equal((await ids(csvSource, target, { schema: 'id INT, s STRING' })).length, 10);
    await write(csvSource, target, 'overwrite', [[batch(100, 3)]]);
    assert.deepEqual(await ids(csvSource, target, { schema: 'id INT, s STRING' }), [100, 101, 102]);
  });
});
