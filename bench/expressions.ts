// Expression evaluation throughput (rows/s), column-at-a-time over Arrow batches.
//   npx tsx bench/expressions.ts            every phase
//   npx tsx bench/expressions.ts eval       filter + withColumn over flights-3m batches already in memory (evaluator only)
//   npx tsx bench/expressions.ts flights    the same as a job: read.parquet(flights-3m) → filter → withColumn → count (inline backend)
//   npx tsx bench/expressions.ts range      range(30M) → filter → withColumn → count (inline backend, no I/O)
import { fileURLToPath } from 'node:url';
import type { RecordBatch, Schema } from 'apache-arrow';
import { Session } from '../src/driver/session.js';
import { filterBatch, projectBatch } from '../src/executor/eval/batch-ops.js';
import { col, concat, lit, when } from '../src/plan/functions.js';

const FLIGHTS = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const env = { nowMicros: 0n };
const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;

const condition = col('delay').gt(30);
const late = col('delay').minus(30).multiply(2).alias('late');
const route = concat(col('origin'), lit('-'), col('destination')).alias('route');
const bucket = when(col('delay').gt(120), 'severe').when(col('delay').gt(60), 'bad').otherwise('late').alias('bucket');

async function evalOnly(spark: Session): Promise<void> {
  const table = await spark.read.parquet(FLIGHTS).toArrow();
  const batches = table.batches as RecordBatch[];
  const rows = table.numRows;
  const names = table.schema.fields.map((f) => col(f.name).expr);
  const cases: [string, (b: RecordBatch, cache: WeakMap<Schema, Schema>) => RecordBatch][] = [
    ['filter (delay > 30)', (b) => filterBatch(b, condition.expr, env)],
    ['withColumn late = (delay - 30) * 2', (b, c) => projectBatch(b, [...names, late.expr], env, c)],
    ['filter + withColumn (numeric)', (b, c) => projectBatch(filterBatch(b, condition.expr, env), [...names, late.expr], env, c)],
    ['withColumn route = concat(origin, -, destination)', (b, c) => projectBatch(b, [...names, route.expr], env, c)],
    ['withColumn bucket = when/when/otherwise', (b, c) => projectBatch(b, [...names, bucket.expr], env, c)],
  ];
  console.log(`evaluator only, ${rows.toLocaleString('en-US')} rows in ${batches.length} batches held in memory:`);
  for (const [name, f] of cases) {
    const cache = new WeakMap<Schema, Schema>();
    const start = performance.now();
    let out = 0;
    for (const b of batches) out += f(b, cache).numRows;
    const ms = performance.now() - start;
    console.log(`  ${name.padEnd(52)} ${ms.toFixed(0).padStart(6)} ms  ${rate(rows, ms).padStart(18)}  (${out.toLocaleString('en-US')} rows out)`);
  }
}

async function flightsJob(spark: Session): Promise<void> {
  const start = performance.now();
  const n = await spark.read.parquet(FLIGHTS).filter(condition).withColumn('late', late).count();
  const ms = performance.now() - start;
  console.log(`job: read.parquet(flights-3m).filter(delay > 30).withColumn(late).count() = ${n}: ${ms.toFixed(0)} ms, ${rate(3_000_000, ms)} (incl. parquet decode)`);
}

async function rangeJob(spark: Session): Promise<void> {
  const rows = 30_000_000;
  const start = performance.now();
  const n = await spark.range(rows, { partitions: 4 }).filter(col('id').mod(7).eq(0)).withColumn('x', col('id').multiply(2).plus(1)).count();
  const ms = performance.now() - start;
  // Streaming: batches of 64K rows flow through the operators one at a time, so the peak RSS stays
  // flat however large the range is.
  console.log(`job: range(30M).filter(id % 7 = 0).withColumn(x = id * 2 + 1).count() = ${n}: ${ms.toFixed(0)} ms, ${rate(rows, ms)}, process peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB${phase === "range" ? "" : " (includes earlier phases; run \"range\" alone)"}`);
}

const phase = process.argv[2] ?? 'all';
const spark = await Session.builder().appName('bench-expressions').master('inline').getOrCreate();
try {
  if (phase === 'all' || phase === 'eval') await evalOnly(spark);
  if (phase === 'all' || phase === 'flights') await flightsJob(spark);
  if (phase === 'all' || phase === 'range') await rangeJob(spark);
} finally {
  await spark.stop();
}
