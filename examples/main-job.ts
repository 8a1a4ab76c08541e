// The README's main job: 3 million real flights (vega-datasets) → late flights with derived columns →
// Parquet, plus a printed summary. Runs on the embedded default master, local[*]:
//
//   npm run demo                                   (= node bin/kjob.js submit examples/main-job.ts)
//   node bin/kjob.js submit examples/main-job.ts --master local[2]
//   node bin/kjob.js submit examples/main-job.ts --master redis://localhost:6379   (with executors running)
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { col, hour, when, type DataFrame, type Session } from 'kjob';

// Resolved through the package, not the working directory, so the job runs from anywhere.
const require = createRequire(import.meta.url);
export const FLIGHTS = join(dirname(require.resolve('vega-datasets')), '..', 'data', 'flights-3m.parquet');
export const OUTPUT = process.env['KJOB_OUT'] ? join(process.env['KJOB_OUT'], 'flights-late') : fileURLToPath(new URL('../out/flights-late', import.meta.url));

/** The late flights with derived columns: the transformation the main job writes (also used by tests and benches). */
export function lateFlights(spark: Session): { flights: DataFrame; late: DataFrame } {
  // ~1 MiB splits: the file's 11 row groups become 11 tasks, so every executor thread gets work.
  const flights = spark.read.option('maxSplitBytes', 1 << 20).parquet(FLIGHTS);
  const late = flights
    .filter(col('delay').gt(15))
    .withColumn('hour', hour(col('date')))
    .withColumn('delay_bucket', when(col('delay').gt(120), 'severe').when(col('delay').gt(45), 'major').otherwise('minor'));
  return { flights, late };
}

export default async function mainJob(spark: Session): Promise<void> {
  const started = performance.now();
  const { flights, late } = lateFlights(spark);
  const saved = await late.write.mode('overwrite').parquet(OUTPUT);
  const rowsIn = await flights.count();
  const seconds = (performance.now() - started) / 1000;

  console.log(`flights read        ${rowsIn.toLocaleString('en-US')} rows from ${FLIGHTS}`);
  console.log(`late flights (>15m) ${saved.rows.toLocaleString('en-US')} rows → ${OUTPUT} (${String(saved.detail?.['files'] ?? '?')} files)`);
  console.log(`elapsed             ${seconds.toFixed(2)} s on ${spark.master} (${Math.round(rowsIn / seconds).toLocaleString('en-US')} rows/s)`);
  await spark.read.parquet(OUTPUT).filter(col('delay_bucket').eq('severe')).show(5);
}
