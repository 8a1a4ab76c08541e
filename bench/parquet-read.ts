// Parquet read throughput and memory.
//   npx tsx bench/parquet-read.ts             all phases, each in its own process (clean peak RSS)
//   npx tsx bench/parquet-read.ts flights     read flights-3m through all row-group splits
//   npx tsx bench/parquet-read.ts generate    write a ~1 GB Parquet file under /tmp/kjob-bench (kept for reuse)
//   npx tsx bench/parquet-read.ts big         read that file as ONE split (every row group in one task)
// Peak RSS is the process's maxRSS (getrusage), so it includes the WebAssembly heap.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Field, RecordBatch, Schema, Struct, Utf8, makeData } from 'apache-arrow';
import { parquetSource } from '../src/datasource/parquet/index.js';
import type { DriverContext, TaskContext } from '../src/datasource/datasource.js';

const FLIGHTS = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const BIG_DIR = '/tmp/kjob-bench/parquet-1g';
const TARGET_BYTES = 1 << 30;

const log = { debug() {}, info() {}, warn() {}, error() {} };
const driver = (): DriverContext => ({ appName: 'bench', appId: 'bench', jobId: `bench${Date.now()}`, conf: new Map(), log, defaultParallelism: 1 });
const task = (partition: number, jobId = 'bench'): TaskContext => ({
  appId: 'bench', jobId, stageId: 0, partition, numPartitions: 1, attempt: 0, attemptId: `${jobId}.0.${partition}.0`,
  executorId: 'bench', conf: new Map(), log, signal: new AbortController().signal,
});
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function readAll(paths: string[], maxSplitBytes: number) {
  const options = { maxSplitBytes: String(maxSplitBytes) };
  const plan = await parquetSource.planRead!(options, paths, undefined, { filters: [] }, driver());
  const start = performance.now();
  let rows = 0;
  let batches = 0;
  for (const [i, split] of plan.splits.entries()) {
    for await (const b of parquetSource.readSplit!(split, options, plan.schema, task(i))) {
      rows += b.numRows;
      batches++;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  return { splits: plan.splits.length, batches, rows, seconds: +seconds.toFixed(2), rowsPerSecond: Math.round(rows / seconds), peakRssMb: peakRssMb() };
}

/** Flights batches with an incompressible-ish text column added, so ~1 GB needs ~10 M rows rather than 200 M. */
async function* inflated(): AsyncGenerator<RecordBatch> {
  const plan = await parquetSource.planRead!({}, [FLIGHTS], undefined, { filters: [] }, driver());
  const schema = new Schema([...plan.schema.fields, new Field('payload', new Utf8(), false)]);
  let seed = 12345;
  for (;;) {
    for (const split of plan.splits) {
      for await (const b of parquetSource.readSplit!(split, {}, plan.schema, task(0))) {
        const width = 96;
        const bytes = new Uint8Array(b.numRows * width);
        for (let i = 0; i < bytes.length; i++) {
          seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
          bytes[i] = 97 + ((seed >>> 16) % 26);
        }
        const offsets = Int32Array.from({ length: b.numRows + 1 }, (_, i) => i * width);
        const payload = makeData({ type: new Utf8(), length: b.numRows, nullCount: 0, valueOffsets: offsets, data: bytes });
        const children = [...b.data.children, payload];
        yield new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: b.numRows, nullCount: 0, children }));
      }
    }
  }
}

async function generate() {
  if (existsSync(path.join(BIG_DIR, '_SUCCESS'))) return { reused: BIG_DIR, bytes: dirBytes() };
  mkdirSync(path.dirname(BIG_DIR), { recursive: true });
  const ctx = driver();
  const schemaProbe = (await inflated().next()).value as RecordBatch;
  const job = await parquetSource.prepareWrite!(schemaProbe.schema, { rowGroupRows: '262144' }, BIG_DIR, 'overwrite', ctx);
  const start = performance.now();
  let written = 0;
  const limited = async function* () {
    // Snappy still saves ~25 % on random letters (offsets, dates), hence the 1.3 factor for ~1 GiB on disk.
    for await (const b of inflated()) {
      if (written >= TARGET_BYTES * 1.3) return;
      written += b.data.children.reduce((s, c) => s + (c.values?.byteLength ?? 0) + (c.valueOffsets?.byteLength ?? 0), 0);
      yield b;
    }
  };
  const message = await parquetSource.writeTask!(job, schemaProbe.schema, limited(), task(0, ctx.jobId));
  await parquetSource.commitWrite!(job, [message], ctx);
  return { wrote: BIG_DIR, rows: message.rows, bytes: dirBytes(), seconds: +((performance.now() - start) / 1000).toFixed(1), peakRssMb: peakRssMb() };
}

function dirBytes(): number {
  return readdirSync(BIG_DIR).reduce((s, f) => s + statSync(path.join(BIG_DIR, f)).size, 0);
}

async function main() {
  const phase = process.argv[2];
  if (phase === 'flights') return console.log(JSON.stringify({ phase, file: 'flights-3m.parquet', ...(await readAll([FLIGHTS], 1)) }));
  if (phase === 'generate') return console.log(JSON.stringify({ phase, ...(await generate()) }));
  if (phase === 'big') return console.log(JSON.stringify({ phase, fileBytes: dirBytes(), ...(await readAll([BIG_DIR], Number.MAX_SAFE_INTEGER)) }));
  for (const p of ['flights', 'generate', 'big']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), p], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

await main();
