// The Kusto sink's throughput:
//  1. the executor's hot path per gzip level — flights → connector CSV → gzip, CPU seconds and ratio
//     (the measurement behind DEFAULT_GZIP_LEVEL);
//  2. end to end on local[2] — the late flights (599 055 rows) written Transactional into an in-process
//     emulator whose batching policy is 1 s (so the number is the sink's and the emulator's work, not
//     the default 10 s batching wait), with the phases of the commit.
//  3. the expansion of connector CSV over each source's split estimate (Split.estimatedBytes: compressed
//     Parquet column bytes, CSV byte ranges, LocalData Arrow IPC) — the factors the write-task sizing uses.
//   npx tsx bench/kusto-write.ts [gzip|e2e|expansion]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm/node';
import { ArrowCsvEncoder } from '../src/datasource/kusto/csv/arrow-csv-encoder.js';

const file = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const what = process.argv[2] ?? 'all';

if (what === 'all' || what === 'gzip') {
  const table = tableFromIPC(readParquet(new Uint8Array(readFileSync(file))).intoIPCStream());
  const encoder = new ArrowCsvEncoder();
  const chunks: Buffer[] = [];
  let rows = 0;
  for (const batch of table.batches) {
    if (rows >= 1_000_000) break;
    const r = encoder.encode(batch);
    chunks.push(...r.chunks);
    rows += r.nextRow;
  }
  const csv = Buffer.concat(chunks);
  const results: Record<string, number>[] = [];
  for (const level of [1, 3, 6, 9]) {
    const cpu0 = process.cpuUsage();
    let out = 0;
    // 1 MiB pieces, as the encoder hands them to the gzip stream.
    const piece = 1 << 20;
    for (let i = 0; i < csv.length; i += piece) out += gzipSync(csv.subarray(i, i + piece), { level }).length;
    const cpu = process.cpuUsage(cpu0);
    const s = (cpu.user + cpu.system) / 1e6;
    results.push({ level, rawMB: +(csv.length / 1e6).toFixed(1), gzMB: +(out / 1e6).toFixed(2), ratio: +(csv.length / out).toFixed(2), cpuSeconds: +s.toFixed(2), rawMBPerCpuSecond: +(csv.length / 1e6 / s).toFixed(0) });
  }
  console.log(JSON.stringify({ bench: 'gzip levels on connector CSV of flights', rows, results }, null, 1));
}

if (what === 'all' || what === 'expansion') {
  const csvBytes = (t: Table): number => {
    const encoder = new ArrowCsvEncoder();
    let n = 0;
    for (const b of t.batches) for (let row = 0; row < b.numRows; ) {
      const r = encoder.encode(b, row);
      n += r.bytes;
      row = r.nextRow;
    }
    return n;
  };
  const parquetBytes = readFileSync(file).length;
  const flights3m = tableFromIPC(readParquet(new Uint8Array(readFileSync(file))).intoIPCStream());
  const parquetCsv = csvBytes(flights3m);
  const sample = flights3m.slice(0, 200_000);
  const ipc = tableToIPC(sample, 'stream').length;
  const ipcCsv = csvBytes(sample);
  const airports = fileURLToPath(new URL('../node_modules/vega-datasets/data/airports.csv', import.meta.url));
  const { Session } = await import('../src/driver/session.js');
  const spark = await Session.builder().appName('expansion').master('local[1]').config('kjob.progress', 'off').getOrCreate();
  let csvFactor = 0;
  try {
    const rows = await spark.read.option('header', 'true').option('inferSchema', 'true').csv(airports).collect();
    const t = tableFromIPC(tableToIPC((await import('apache-arrow')).tableFromJSON(rows as Record<string, unknown>[])));
    csvFactor = csvBytes(t) / readFileSync(airports).length;
  } finally {
    await spark.stop();
  }
  console.log(JSON.stringify({ bench: 'connector CSV bytes per source estimated byte', parquet: { file: 'flights-3m.parquet', bytes: parquetBytes, csvBytes: parquetCsv, factor: +(parquetCsv / parquetBytes).toFixed(2) }, arrowIpc: { rows: 200_000, bytes: ipc, csvBytes: ipcCsv, factor: +(ipcCsv / ipc).toFixed(2) }, csv: { file: 'airports.csv', factor: +csvFactor.toFixed(2) } }, null, 1));
}

if (what === 'all' || what === 'e2e') {
  const { Session } = await import('../src/driver/session.js');
  const { startEmulator, trustEmulatorCertificate } = await import('../src/emulator/index.js');
  const { lateFlights } = await import('../examples/main-job.js');
  const emu = await startEmulator({ defaultBatchingPolicy: { maximumBatchingTimeSpanMs: 1000, maximumNumberOfItems: 500, maximumRawDataSizeMB: 1024 }, dataManagement: { dmPollIntervalMs: 100 } });
  const untrust = trustEmulatorCertificate(emu.dataManagement.caCertPath!);
  // KJOB_BENCH_TASK_SIZING=off compares with one write task per partition (kjob.kusto.writeTaskSizing).
  const spark = await Session.builder().appName('kusto-write-bench').master('local[2]').config('kjob.progress', 'off').config('kjob.kusto.writeTaskSizing', process.env['KJOB_BENCH_TASK_SIZING'] ?? 'auto').getOrCreate();
  try {
    const { late } = lateFlights(spark);
    const t0 = performance.now();
    const saved = await late.write.format('kusto').options({ kustoCluster: emu.clusterUrl, kustoDatabase: 'bench', kustoTable: 'LateFlights', tableCreateOptions: 'CreateIfNotExist' }).mode('append').save();
    const s = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ bench: 'Transactional write of the late flights, local[2], in-process emulator', rows: saved.rows, rawMB: +(saved.bytes / 1e6).toFixed(1), seconds: +s.toFixed(2), rowsPerSecond: Math.round(saved.rows / s), rawMBPerSecond: +(saved.bytes / 1e6 / s).toFixed(2), detail: saved.detail }, null, 1));
  } finally {
    await spark.stop();
    untrust();
    await emu.stop();
  }
}
