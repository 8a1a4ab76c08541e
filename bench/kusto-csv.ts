// Measures the Kusto CSV encoder on real data: 3 M flights (timestamp[µs], 2 × int64, 2 × large_utf8)
// read from parquet with parquet-wasm, then encoded batch by batch as the sink would.
//   npx tsx bench/kusto-csv.ts [rows]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm/node';
import { ArrowCsvEncoder } from '../src/datasource/kusto/csv/arrow-csv-encoder.js';

const file = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const limit = Number(process.argv[2] ?? Infinity);

const t0 = performance.now();
const table = tableFromIPC(readParquet(new Uint8Array(readFileSync(file))).intoIPCStream());
const t1 = performance.now();

const cpu0 = process.cpuUsage();
const encoder = new ArrowCsvEncoder();
let bytes = 0;
let rows = 0;
let chunks = 0;
for (const batch of table.batches) {
  if (rows >= limit) break;
  const r = encoder.encode(batch);
  bytes += r.bytes;
  rows += r.nextRow;
  chunks += r.chunks.length;
}
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
const seconds = (t2 - t1) / 1000;
// CPU seconds of this process: on a shared, loaded machine wall time mostly measures the neighbours.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(JSON.stringify({
  file: 'flights-3m.parquet',
  readParquetMs: Math.round(t1 - t0),
  rows,
  batches: table.batches.length,
  csvBytes: bytes,
  chunks,
  encodeSeconds: Number(seconds.toFixed(2)),
  mbPerSecond: Number((bytes / 1048576 / seconds).toFixed(1)),
  cpuSeconds: Number(cpuSeconds.toFixed(2)),
  mbPerCpuSecond: Number((bytes / 1048576 / cpuSeconds).toFixed(1)),
  rowsPerSecond: Math.round(rows / seconds),
}));
