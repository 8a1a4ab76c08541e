// CSV write and read throughput: flights-3m written as CSV through the csv sink, then read back
// through byte-range splits (typed schema, all-string, inferred) in one process. The machine is shared,
// so CPU seconds (user + system of this process) are the steadier measure.
//   npx tsx bench/csv-read.ts
import { rmSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordBatch } from 'apache-arrow';
import { parquetSource } from '../src/datasource/parquet/index.js';
import { csvSource } from '../src/datasource/csv/index.js';
import type { DriverContext, TaskContext } from '../src/datasource/datasource.js';

const FLIGHTS = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const OUT = '/tmp/kjob-bench/flights-csv';
const log = { debug() {}, info() {}, warn() {}, error() {} };
const driver = (): DriverContext => ({ appName: 'bench', appId: 'bench', jobId: `bench${Date.now()}`, conf: new Map(), log, defaultParallelism: 1 });
const task = (partition: number, jobId = 'bench'): TaskContext => ({
  appId: 'bench', jobId, stageId: 0, partition, numPartitions: 1, attempt: 0, attemptId: `${jobId}.0.${partition}.0`,
  executorId: 'bench', conf: new Map(), log, signal: new AbortController().signal,
});

const plan = await parquetSource.planRead!({}, [FLIGHTS], undefined, { filters: [] }, driver());
async function* flights(): AsyncGenerator<RecordBatch> {
  for (const s of plan.splits) yield* parquetSource.readSplit!(s, {}, plan.schema, task(0));
}

rmSync(OUT, { recursive: true, force: true });
const ctx = driver();
let t = performance.now();
let cpu = process.cpuUsage();
const cpuSeconds = () => {
  const d = process.cpuUsage(cpu);
  return (d.user + d.system) / 1e6;
};
const job = await csvSource.prepareWrite!(plan.schema, { header: 'true' }, OUT, 'errorifexists', ctx);
const msg = await csvSource.writeTask!(job, plan.schema, flights(), task(0, ctx.jobId));
await csvSource.commitWrite!(job, [msg], ctx);
const writeSeconds = (performance.now() - t) / 1000;
const bytes = readdirSync(OUT).reduce((s, f) => s + statSync(path.join(OUT, f)).size, 0);
const writeCpu = cpuSeconds();
console.log(JSON.stringify({ phase: 'write (includes the parquet read)', rows: msg.rows, mb: +(bytes / 1e6).toFixed(1), seconds: +writeSeconds.toFixed(2), cpuSeconds: +writeCpu.toFixed(2), mbPerCpuSecond: +(bytes / 1e6 / writeCpu).toFixed(1) }));

for (const [label, options] of [
  ['read typed (date TIMESTAMP, delay BIGINT, distance BIGINT, origin STRING, destination STRING)', { header: 'true', schema: 'date TIMESTAMP, delay BIGINT, distance BIGINT, origin STRING, destination STRING' }],
  ['read all-string (inferSchema false)', { header: 'true' }],
  ['read with inferSchema', { header: 'true', inferSchema: 'true' }],
] as const) {
  t = performance.now();
  cpu = process.cpuUsage();
  const p = await csvSource.planRead!(options, [OUT], undefined, { filters: [] }, driver());
  let rows = 0;
  for (const [i, s] of p.splits.entries()) for await (const b of csvSource.readSplit!(s, options, p.schema, task(i))) rows += b.numRows;
  const seconds = (performance.now() - t) / 1000;
  console.log(JSON.stringify({ phase: label, splits: p.splits.length, rows, seconds: +seconds.toFixed(2), cpuSeconds: +cpuSeconds().toFixed(2), mbPerSecond: +(bytes / 1e6 / seconds).toFixed(1), mbPerCpuSecond: +(bytes / 1e6 / cpuSeconds()).toFixed(1), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}
