// Kusto source read throughput against the local emulator, through the runner (local[2]).
//   npx tsx bench/kusto-read.ts            1,000,000 rows (long, string, datetime, real)
//   KJOB_BENCH_ROWS=3000000 npx tsx bench/kusto-read.ts
// Distributed: `.export` to the emulator's Azurite + Parquet read of the exported files (wall time
// of the whole action, export included, and the export alone from .show operations). Single: the
// raw V2 query path (ForceSingleMode), under the service's 500,000-record limit.
import { Client } from 'azure-kusto-data';
import { Session } from '../src/driver/session.js';
import { lastKustoReadReport } from '../src/datasource/kusto/read/index.js';
import { startEmulator } from '../src/emulator/start-emulator.js';

const ROWS = Number(process.env['KJOB_BENCH_ROWS'] ?? 1_000_000);
const SINGLE_ROWS = Math.min(ROWS, 400_000);
const DB = 'bench';

const emulator = await startEmulator({ autoDeleteIntervalMs: 0 });
const client = new Client(emulator.clusterUrl);
await client.executeMgmt(DB, `.create database ${DB} volatile`);
const fillStart = performance.now();
await client.executeMgmt(DB, `.set-or-append T <| range id from 1 to ${ROWS} step 1 | extend s = strcat("row-", tostring(id)), ts = datetime(2024-01-01) + id * 1s, v = id / 7.0`);
console.log(`filled ${ROWS} rows in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);

const spark = await Session.builder().master('local[2]').config('kjob.progress', 'off').getOrCreate();
const base = { kustoCluster: emulator.clusterUrl, kustoDatabase: DB };
try {
  for (let run = 1; run <= Number(process.env["KJOB_BENCH_RUNS"] ?? 3); run++) {
    const t0 = performance.now();
    const n = await spark.read.format('kusto').options({ ...base, kustoQuery: 'T', readMode: 'ForceDistributedMode' }).load().count();
    const s = (performance.now() - t0) / 1000;
    if (n !== ROWS) throw new Error(`Distributed read counted ${n}, expected ${ROWS}`);
    const t1 = performance.now();
    const t = await spark.read.format('kusto').options({ ...base, kustoQuery: 'T', readMode: 'ForceDistributedMode' }).load().toArrow();
    const s2 = (performance.now() - t1) / 1000;
    if (t.numRows !== ROWS) throw new Error(`Distributed collect got ${t.numRows}`);
    console.log(`run ${run} Distributed: count ${s.toFixed(2)} s (${Math.round(ROWS / s).toLocaleString('en')} rows/s), all 4 columns to the driver ${s2.toFixed(2)} s (${Math.round(ROWS / s2).toLocaleString('en')} rows/s); exports ${lastKustoReadReport()?.exports}`);
    const t3 = performance.now();
    const single = await spark.read.format('kusto').options({ ...base, kustoQuery: `T | take ${SINGLE_ROWS}`, readMode: 'ForceSingleMode' }).load().toArrow();
    const s3 = (performance.now() - t3) / 1000;
    if (single.numRows !== SINGLE_ROWS) throw new Error(`Single read got ${single.numRows}`);
    console.log(`run ${run} Single (${SINGLE_ROWS.toLocaleString('en')} rows, raw V2): ${s3.toFixed(2)} s (${Math.round(SINGLE_ROWS / s3).toLocaleString('en')} rows/s)`);
  }
  console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (driver + emulator in one process)`);
} finally {
  await spark.stop();
  client.close();
  await emulator.stop();
}
