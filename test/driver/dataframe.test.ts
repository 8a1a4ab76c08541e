import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RecordBatch } from 'apache-arrow';
import { Session } from '../../src/driver/session.js';
import { col, concat, lit, upper, when } from '../../src/plan/functions.js';
import { registerForeachPartitionFunction, registerPartitionFunction } from '../../src/executor/partition-functions.js';
import { projectBatch } from '../../src/executor/eval/batch-ops.js';
import type { StageSpec } from '../../src/protocol/task.js';

let spark: Session;
const stages: StageSpec[] = [];

before(async () => {
  spark = await Session.builder()
    .appName('df-test')
    .master('inline')
    .config('fs.azure.sas.container.account.blob.core.windows.net', 'sv=2020&sig=secret')
    .config('kustoAadAppSecret', 'hidden')
    .config('my.setting', 'visible').stageListener((s) => (stages.push(s), undefined)).getOrCreate();
});
after(async () => {
  await spark.stop();
});

const people = () =>
  spark.createDataFrame(
    [
      { name: 'alice', age: 34, city: 'Paris' },
      { name: 'bob', age: null, city: 'Oslo' },
      { name: 'carol', age: 51, city: null },
      { name: 'dan', age: 19, city: 'Paris' },
    ],
    undefined,
    { partitions: 2 },
  );

describe('DataFrame transformations', () => {
  it('are immutable: the receiver still describes its own pipeline', async () => {
    const df = people();
    const filtered = df.filter(col('age').gt(30));
    const selected = df.select('name');
    assert.equal(await df.count(), 4);
    assert.equal(await filtered.count(), 2);
    assert.deepEqual(await selected.columns(), ['name']);
    assert.deepEqual(await df.columns(), ['name', 'age', 'city']);
    assert.ok(Object.isFrozen(await filtered.plan()));
  });
  it('plans are plain JSON: a round trip gives an equal plan with the same schema', async () => {
    const { analyze } = await import('../../src/plan/analyze.js');
    const df = people()
      .union(spark.range(2).select(lit('x'), col('id').cast('int'), lit(null).cast('string')))
      .filter(col('age').isNull().or(col('age').between(20, 40)))
      .withColumn('t', when(col('city').startsWith('P'), lit(new Date(0))).otherwise(lit(null)))
      .repartition(2)
      .limit(10);
    const plan = await df.plan();
    const copy = JSON.parse(JSON.stringify(plan));
    assert.deepEqual(copy, plan);
    assert.deepEqual(analyze(copy).fields.map(String), (await df.schema()).fields.map(String));
  });
  it('select / withColumn / withColumnRenamed / drop', async () => {
    const df = people()
      .withColumn('age', col('age').plus(1))
      .withColumn('label', concat(upper('name'), lit('@'), col('city')))
      .withColumnRenamed('city', 'town')
      .drop('name', 'no_such_column');
    assert.deepEqual(await df.columns(), ['age', 'town', 'label']);
    assert.deepEqual(await df.collect(), [
      { age: 35, town: 'Paris', label: 'ALICE@Paris' },
      { age: null, town: 'Oslo', label: 'BOB@Oslo' },
      { age: 52, town: null, label: null },
      { age: 20, town: 'Paris', label: 'DAN@Paris' },
    ]);
    assert.deepEqual(await people().select('*').columns(), ['name', 'age', 'city']);
    assert.deepEqual(await people().select(col('age').multiply(2), 'name').columns(), ['(age * 2)', 'name']);
  });
  it('raises unknown columns and type errors at the call, before anything runs', () => {
    const runs = stages.length;
    assert.throws(() => people().select('nme'), /Column 'nme' not found in select; available: name, age, city/);
    assert.throws(() => people().filter(col('name').gt(col('age')).and(col('city'))), /AND needs boolean operands/);
    assert.throws(() => people().withColumn('x', col('agee').plus(1)), /Column 'agee' not found; available: name, age, city/);
    assert.throws(() => people().drop('name', 'age', 'city'), /would remove every column/);
    assert.equal(stages.length, runs);
  });
  it('filter/where treat null conditions as false', async () => {
    assert.deepEqual(await people().where(col('city').eq('Paris').or(col('age').gt(50))).select('name').collect(), [{ name: 'alice' }, { name: 'carol' }, { name: 'dan' }]);
  });
});

describe('actions', () => {
  it('collect returns plain rows: int64 as bigint, timestamps and dates as Date, decimals as text', async () => {
    const df = spark.createDataFrame(
      [{ id: 1n, at: new Date('2024-05-06T07:08:09.010Z'), day: '2024-05-06', amount: '12.50', raw: new Uint8Array([1, 2]), ok: true }],
      'id bigint, at timestamp, day date, amount decimal(10,2), raw binary, ok boolean',
    );
    const [row] = await df.collect();
    assert.deepEqual(row, { id: 1n, at: new Date('2024-05-06T07:08:09.010Z'), day: new Date('2024-05-06T00:00:00Z'), amount: '12.50', raw: new Uint8Array([1, 2]), ok: true });
    assert.deepEqual(Object.getPrototypeOf(row), Object.prototype);
  });
  it('count returns a number; range generates int64 ids over partitions', async () => {
    assert.equal(await spark.range(1000, { partitions: 3 }).count(), 1000);
    assert.equal(await spark.range(10, 0, -3).count(), 4);
    assert.deepEqual((await spark.range(10, 0, -3).collect()).map((r) => r['id']), [10n, 7n, 4n, 1n]);
    assert.equal(await spark.range(200_000, { partitions: 2 }).filter(col('id').mod(1000).eq(0)).count(), 200);
  });
  it('limit reads partitions in order and stops (also under count and a union)', async () => {
    const df = spark.range(100, { partitions: 4 }).limit(7);
    assert.deepEqual((await df.collect()).map((r) => r['id']), [0n, 1n, 2n, 3n, 4n, 5n, 6n]);
    assert.equal(await df.count(), 7);
    assert.equal(await spark.range(3).union(spark.range(10)).limit(5).count(), 5);
    assert.equal(await spark.range(3).limit(0).count(), 0);
  });
  it('union matches columns by position and widens types', async () => {
    const a = spark.createDataFrame([{ k: 1, v: 'x' }]);
    const b = spark.range(2).select(col('id').alias('other'), lit(null).cast('string'));
    const u = a.union(b);
    assert.deepEqual(await u.columns(), ['k', 'v']);
    assert.deepEqual(await u.collect(), [
      { k: 1n, v: 'x' },
      { k: 0n, v: null },
      { k: 1n, v: null },
    ]);
    assert.throws(() => a.union(spark.range(1)), /same number of columns/);
  });
  it('unionByName matches columns by name and can fill missing ones with nulls', async () => {
    const a = spark.createDataFrame([{ x: 1, y: 'a' }]);
    const b = spark.createDataFrame([{ Y: 'b', x: 2 }]);
    assert.deepEqual(await a.unionByName(b).collect(), [
      { x: 1, y: 'a' },
      { x: 2, y: 'b' },
    ]);
    const c = spark.createDataFrame([{ x: 3, z: true }]);
    assert.throws(() => a.unionByName(c), /unionByName\(\): column 'y' is missing on the right side; available: x, z/);
    assert.deepEqual(await a.unionByName(c, { allowMissingColumns: true }).collect(), [
      { x: 1, y: 'a', z: null },
      { x: 3, y: null, z: true },
    ]);
  });
  it('withColumns adds several columns', async () => {
    assert.deepEqual(await spark.range(1).withColumns({ a: lit(1), b: col('id').plus(1) }).collect(), [{ id: 0n, a: 1, b: 1n }]);
  });
  it('repartition and coalesce change the number of tasks, not the rows', async () => {
    const before = stages.length;
    assert.equal(await spark.range(100, { partitions: 6 }).repartition(2).count(), 100);
    assert.equal(stages[before]!.tasks.length, 2);
    assert.equal(await spark.range(100, { partitions: 6 }).coalesce(4).count(), 100);
    assert.equal(stages[before + 1]!.tasks.length, 4);
    assert.equal(await people().repartition(3).count(), 4);
    assert.equal(await spark.range(100, { partitions: 6 }).numPartitions(), 6);
    assert.equal(await spark.range(100, { partitions: 6 }).coalesce(4).union(spark.range(1)).numPartitions(), 5);
    assert.equal(await spark.range(100, { partitions: 6 }).limit(1).numPartitions(), 1);
  });
  it('show prints like Spark, with truncation and the footer', async () => {
    const df = spark.createDataFrame([
      { id: 1, text: 'short', amount: 1.5 },
      { id: 22, text: 'a much longer text than twenty chars', amount: null },
      { id: 333, text: '', amount: 1e21 },
    ]);
    assert.equal(
      await df.showString(2),
      [
        '+---+--------------------+------+',
        '| id|                text|amount|',
        '+---+--------------------+------+',
        '|  1|               short|   1.5|',
        '| 22|a much longer tex...|  null|',
        '+---+--------------------+------+',
        'only showing top 2 rows',
        '',
      ].join('\n'),
    );
    assert.equal(await spark.createDataFrame([{ 'a\tb': 'x\ny' }]).showString(), ['+----+', '|a\\tb|', '+----+', '|x\\ny|', '+----+', ''].join('\n'));
    assert.equal(await spark.range(1).select(lit(null), lit('')).showString(), ['+----+---+', '|NULL|   |', '+----+---+', '|null|   |', '+----+---+', ''].join('\n'));
    assert.equal(
      await df.showString(20, false),
      [
        '+---+------------------------------------+------+',
        '|id |text                                |amount|',
        '+---+------------------------------------+------+',
        '|1  |short                               |1.5   |',
        '|22 |a much longer text than twenty chars|null  |',
        '|333|                                    |1.0E21|',
        '+---+------------------------------------+------+',
        '',
      ].join('\n'),
    );
  });
  it('explain prints the logical plan; schemaString prints the schema', async () => {
    const df = spark.range(10, { partitions: 2 }).filter(col('id').gt(5)).withColumn('half', col('id').divide(2));
    assert.equal(await df.explainString(), ['== Logical Plan ==', 'Project [id, (id / 2) AS half]', '+- Filter (id > 5)', '   +- Range (0, 10, step=1, partitions=2)', ''].join('\n'));
    assert.equal(await df.schemaString(), ['root', ' |-- id: int64 (nullable = false)', ' |-- half: float64 (nullable = true)', ''].join('\n'));
  });
  it('explain extended shows the tasks an action would run, without running them', async () => {
    const before = stages.length;
    const df = spark.range(100, { partitions: 3 }).union(spark.range(5)).coalesce(2).filter(col('id').gt(1)).limit(3);
    assert.equal(
      (await df.explainString('extended')).split('== Physical Plan ==\n')[1],
      ['Stage: 1 task(s), output collect', '  task 0: ((Range [0, 33) + Range [33, 66)) → Filter (id > 1) → Limit 3 + (Range [66, 100) + Range [0, 5)) → Filter (id > 1) → Limit 3) → Limit 3', ''].join('\n'),
    );
    assert.equal(stages.length, before);
  });
  it('toArrow returns a table with the analyzed schema, also when empty', async () => {
    const t = await spark.range(5).filter(col('id').lt(0)).toArrow();
    assert.equal(t.numRows, 0);
    assert.deepEqual(t.schema.fields.map((f) => f.name), ['id']);
    const u = await people().select('name', when(col('age').gt(30), 'old').alias('g')).toArrow();
    assert.equal(u.numRows, 4);
    assert.deepEqual(u.getChild('g')?.toArray(), ['old', null, 'old', null]);
  });
  it('mapPartitions runs a registered function per partition, streaming batches', async () => {
    registerPartitionFunction('tagPartition', async function* (batches, ctx) {
      for await (const b of batches) yield projectBatch(b, [col('id').expr, lit(ctx.partition).alias('p').expr], { nowMicros: 0n }) as RecordBatch;
    });
    const rows = await spark.range(6, { partitions: 3 }).mapPartitions('tagPartition', 'id bigint, p int').collect();
    assert.deepEqual(rows.map((r) => [r['id'], r['p']]), [[0n, 0], [1n, 0], [2n, 1], [3n, 1], [4n, 2], [5n, 2]]);
    assert.throws(() => spark.range(1).mapPartitions('x', 'bad schema text here'), /Unknown data type/);
    await assert.rejects(spark.range(1).mapPartitions('notRegistered').count(), /mapPartitions\('notRegistered'\): no function of that name is registered/);
  });
  it('foreachPartition runs a registered function on every partition', async () => {
    const seen: number[] = [];
    registerForeachPartitionFunction('sumIds', async (batches, ctx) => {
      let n = 0;
      for await (const b of batches) n += b.numRows;
      seen[ctx.partition] = n;
    });
    await spark.range(10, { partitions: 3 }).foreachPartition('sumIds');
    assert.deepEqual(seen, [3, 3, 4]);
    await assert.rejects(spark.range(1).foreachPartition('nope'), /foreachPartition\('nope'\)/);
  });
  it('tasks carry the plan and safe conf, never secrets', async () => {
    await spark.range(3).count();
    const task = stages.at(-1)!.tasks[0]!;
    assert.deepEqual(task.conf, { 'my.setting': 'visible' });
    assert.ok(!JSON.stringify(task).includes('secret'));
    assert.equal(task.appName, 'df-test');
  });
  it('current_timestamp is one value for the whole action', async () => {
    const { current_timestamp } = await import('../../src/plan/functions.js');
    const rows = await spark.range(4, { partitions: 4 }).select(current_timestamp().alias('t')).collect();
    assert.equal(new Set(rows.map((r) => (r['t'] as Date).getTime())).size, 1);
  });
});
