// Throughput of the job runner on the README's main job (3M flights → filter/derive → Parquet).
//   node --import tsx bench/runner-flights.ts [master ...]        default: local[*] local[2] local[1]
// Prints one JSON line per master: rows in, rows out, elapsed, rows/s, peak RSS of the process (driver
// plus its local worker threads).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../src/index.js';
import { lateFlights } from '../examples/main-job.js';

process.env['KJOB_PROGRESS'] ??= 'off';
const masters = process.argv.slice(2).length ? process.argv.slice(2) : ['local[*]', 'local[2]', 'local[1]'];
const out = mkdtempSync(join(tmpdir(), 'kjob-bench-'));

try {
  for (const master of masters) {
    const spark = await Session.builder().appName('bench-flights').master(master).getOrCreate();
    try {
      // The first run pays for starting the threads (tsx + modules in each); the second runs warm.
      for (const run of ['cold', 'warm']) {
        const started = performance.now();
        const saved = await lateFlights(spark).late.write.mode('overwrite').parquet(join(out, 'flights-late'));
        const seconds = (performance.now() - started) / 1000;
        console.log(
          JSON.stringify({
            bench: 'runner-flights',
            master,
            run,
            threads: spark.defaultParallelism,
            rowsIn: 3_000_000,
            rowsOut: saved.rows,
            seconds: Number(seconds.toFixed(2)),
            rowsPerSecond: Math.round(3_000_000 / seconds),
            processPeakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
          }),
        );
      }
    } finally {
      await spark.stop();
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
