import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RecordBatch, Schema } from 'apache-arrow';
import { Session } from '../../src/driver/session.js';
import { col } from '../../src/plan/functions.js';
import { dropMemoryTable, memoryTable } from '../../src/datasource/memory/memory-source.js';
import { registerDataSource } from '../../src/datasource/registry.js';
import type { CommitMessage, DataSource, PushdownOffer, WriteJob } from '../../src/datasource/datasource.js';
import { rangeBatches, rangeSchema } from '../../src/datasource/memory/range-batches.js';
import { ConfigError } from '../../src/errors/kjob-error.js';
import type { StageSpec } from '../../src/protocol/task.js';

let spark: Session;
const stages: StageSpec[] = [];

before(async () => {
  spark = await Session.builder().master('inline').config('kjob.task.maxAttempts', 2).stageListener((s) => (stages.push(s), undefined)).getOrCreate();
});
after(async () => {
  await spark.stop();
});

describe('write to the memory sink', () => {
  it('honours every save mode', async () => {
    dropMemoryTable('people');
    const df = spark.range(3, { partitions: 2 });
    const first = await df.write.format('memory').save('people');
    assert.deepEqual(first, { rows: 3, bytes: first.bytes, skipped: false });
    await assert.rejects(df.write.format('memory').save('people'), /Memory table 'people' already exists \(save mode errorifexists\)/);
    assert.deepEqual(await df.write.format('memory').mode('ignore').save('people'), { rows: 0, bytes: 0, skipped: true });
    await df.write.format('memory').mode('append').save('people');
    assert.equal(memoryTable('people')?.numRows, 6);
    await spark.range(10, 12).write.format('memory').mode('overwrite').option('name', 'people').save();
    assert.deepEqual((await spark.read.format('memory').load('people').collect()).map((r) => r['id']), [10n, 11n]);
  });
  it('rejects a bad mode, an unknown format and unknown options before any task runs', async () => {
    const runs = stages.length;
    assert.throws(() => spark.range(1).write.mode('sometimes'), /Unknown save mode 'sometimes'; use one of append, overwrite, errorifexists, ignore/);
    assert.throws(() => spark.range(1).write.format('delta'), /Unknown data source format 'delta'; known formats: csv, kusto, memory, parquet/);
    await assert.rejects(spark.range(1).write.format('memory').option('nmae', 'x').save(), /Unknown option 'nmae' for format memory/);
    await assert.rejects(spark.range(1).write.format('memory').save(), ConfigError);
    assert.throws(() => spark.read.format('nope'), /Unknown data source format 'nope'/);
    await assert.rejects(spark.read.format('memory').load('no-such-table').count(), /No memory table named 'no-such-table'/);
    assert.equal(stages.length, runs);
  });
});

describe('the batch-write protocol with a source that records its calls', () => {
  const calls: string[] = [];
  let failPartition = -1;
  let failFirstAttemptOf = -1;
  const offers: PushdownOffer[] = [];
  const recording: DataSource = {
    name: 'recording',
    validateWriteOptions(options) {
      calls.push('validate');
      if (options['bad']) throw new ConfigError(`Option 'bad' is not allowed`);
    },
    async prepareWrite(_schema: Schema, _o, path): Promise<WriteJob> {
      calls.push(`prepare:${path}`);
      return { format: 'recording', state: { path } };
    },
    async writeTask(_job, _schema, batches: AsyncIterable<RecordBatch>, ctx): Promise<CommitMessage> {
      let rows = 0;
      for await (const b of batches) rows += b.numRows;
      if (ctx.partition === failPartition) throw new Error(`disk full on partition ${ctx.partition}`);
      if (ctx.partition === failFirstAttemptOf && ctx.attempt === 0) throw new Error('transient failure');
      calls.push(`task:${ctx.partition}:${ctx.attempt}`);
      return { attemptId: ctx.attemptId, partition: ctx.partition, rows, bytes: rows * 8 };
    },
    async commitWrite(_job, messages) {
      calls.push(`commit:${messages.map((m) => m.partition).join(',')}`);
      return { rows: messages.reduce((s, m) => s + m.rows, 0), bytes: 0 };
    },
    async abortWrite(_job, messages) {
      calls.push(`abort:${messages.length}`);
    },
    async planRead(_o, _p, _s, offer) {
      offers.push(offer);
      return { schema: rangeSchema(), splits: [{ start: '0', end: '5', step: '1' }, { start: '5', end: '10', step: '1' }], pushedFilters: offer.filters.slice(0, 1) };
    },
    readSplit(split) {
      return rangeBatches(split as never);
    },
  };
  before(() => registerDataSource(recording));

  it('validates, prepares, runs one task per partition and commits their messages', async () => {
    calls.length = 0;
    const summary = await spark.range(10, { partitions: 3 }).write.format('recording').mode('append').save('/out');
    assert.deepEqual(calls, ['validate', 'prepare:/out', 'task:0:0', 'task:1:0', 'task:2:0', 'commit:0,1,2']);
    assert.equal(summary.rows, 10);
  });
  it('aborts and rethrows when a task fails on every attempt', async () => {
    calls.length = 0;
    failPartition = 1;
    await assert.rejects(spark.range(10, { partitions: 3 }).write.format('recording').mode('append').save('/out'), {
      name: 'TaskFailedError',
      message: /Task 2\/3 of stage 0 \(job job-\d+\) failed after 2 attempts: Error: disk full on partition 1/,
    });
    failPartition = -1;
    assert.deepEqual(calls, ['validate', 'prepare:/out', 'task:0:0', 'abort:0']);
  });
  it('retries a failed task attempt (maxAttempts) and commits the accepted attempt', async () => {
    calls.length = 0;
    failFirstAttemptOf = 0;
    await spark.range(4, { partitions: 2 }).write.format('recording').mode('append').save('/out');
    failFirstAttemptOf = -1;
    assert.deepEqual(calls, ['validate', 'prepare:/out', 'task:0:1', 'task:1:0', 'commit:0,1']);
  });
  it('stops at option validation before any side effect', async () => {
    calls.length = 0;
    await assert.rejects(spark.range(1).write.format('recording').option('bad', 'yes').save(), /Option 'bad' is not allowed/);
    assert.deepEqual(calls, ['validate']);
  });
  it('offers pushdown to planRead and applies the filters the source did not accept', async () => {
    offers.length = 0;
    const df = spark.read.format('recording').load().filter(col('id').gt(2).and(col('id').lt(8))).select(col('id').multiply(10).alias('x'));
    // The source accepts (but, being a test source, does not apply) the first conjunct, so only id < 8 filters here.
    assert.deepEqual((await df.collect()).map((r) => r['x']), [0n, 10n, 20n, 30n, 40n, 50n, 60n, 70n]);
    assert.deepEqual(offers.at(-1), { filters: [col('id').gt(2).expr, col('id').lt(8).expr], requiredColumns: ['id'] });
    const shipped = spark.read.format('recording').option('kustoAadAppSecret', 's3cr3t').option('kept', 'yes').load();
    assert.equal(await shipped.count(), 10);
    const leafOptions = JSON.stringify(stages.at(-1)!.tasks);
    assert.ok(!leafOptions.includes('s3cr3t'));
    assert.ok(leafOptions.includes('"kept":"yes"'));
    assert.match(await df.explainString('extended'), /Scan recording: 2 split\(s\); offered filters: \(id > 2\), \(id < 8\); pushed: \(id > 2\); required columns: id\n/);
  });
});
