// The README's main job: 3 million real flights (vega-datasets) → late flights with derived columns →
// Parquet, plus a printed summary. Runs on the embedded default master, local[*]:
//
//   npm run demo                                   (= node bin/kjob.js submit examples/main-job.ts)
//   node bin/kjob.js submit examples/main-job.ts --master local[2]
//   node bin/kjob.js submit examples/main-job.ts --master redis://localhost:6379   (with executors running)
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KjobError, col, hour, when, type DataFrame, type Session } from 'kjob';

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
  await writeLateFlightsToKusto(late);
}

/**
 * The Kusto part: the late flights written into a Kusto table (Transactional, CreateIfNotExist) and
 * queried back. Against KUSTO_CLUSTER_URL when set (e.g. `http://127.0.0.1:8080` from `npx kjob
 * emulator`, or a real cluster with credentials in the environment), else an emulator started in this
 * process. The driver polls the emulator's https status table, whose certificate is self-signed: an
 * in-process emulator's certificate is trusted for this process with trustEmulatorCertificate (the
 * alternative, NODE_EXTRA_CA_CERTS, must be set before Node starts; see
 * src/datasource/kusto/client/README.md).
 */
export async function writeLateFlightsToKusto(late: DataFrame): Promise<void> {
  const { startEmulator, trustEmulatorCertificate } = await import('kjob/emulator');
  const { Client } = await import('azure-kusto-data');
  const given = process.env['KUSTO_CLUSTER_URL'];
  // A 1 s batching policy for the demo's own emulator: its default (10 s, like Kusto's 5 min) would
  // make the write time mostly the wait for the ingestion batch to seal.
  const emulator = given ? undefined : await startEmulator({ defaultBatchingPolicy: { maximumBatchingTimeSpanMs: 1000, maximumNumberOfItems: 500, maximumRawDataSizeMB: 1024 }, dataManagement: { dmPollIntervalMs: 100 } });
  const untrust = emulator?.dataManagement.caCertPath ? trustEmulatorCertificate(emulator.dataManagement.caCertPath) : undefined;
  const cluster = given ?? emulator!.clusterUrl;
  const database = process.env['KUSTO_DATABASE'] ?? 'flights';
  try {
    const started = performance.now();
    const saved = await late.write
      .format('kusto')
      .option('kustoCluster', cluster)
      .option('kustoDatabase', database)
      .option('kustoTable', 'LateFlights')
      .option('writeMode', 'Transactional')
      .option('tableCreateOptions', 'CreateIfNotExist')
      .mode('append')
      .save();
    const seconds = (performance.now() - started) / 1000;
    const detail = (saved.detail ?? {}) as { requestId?: string; blobs?: { count?: number }; compressedBytes?: number; extentsMoved?: number; phases?: Record<string, number> };
    console.log(`kusto write         ${saved.rows.toLocaleString('en-US')} rows → ${cluster} ${database}.LateFlights in ${seconds.toFixed(2)} s`);
    console.log(`                    ${Math.round(saved.rows / seconds).toLocaleString('en-US')} rows/s, ${(saved.bytes / 1e6 / seconds).toFixed(1)} MB/s raw CSV; ${detail.blobs?.count ?? '?'} blobs, ${((detail.compressedBytes ?? 0) / 1e6).toFixed(1)} MB gzipped, ${detail.extentsMoved ?? '?'} extents moved; requestId ${detail.requestId ?? '?'}`);
    const phases = detail.phases ?? {};
    console.log(`                    of which: waiting for ingestion ${((phases['pollIngestionMs'] ?? 0) / 1000).toFixed(1)} s (batching policy), moving extents ${((phases['moveExtentsMs'] ?? 0) / 1000).toFixed(1)} s`);
    const client = new Client(cluster);
    let tableRows = saved.rows;
    try {
      // A cluster of your own (KUSTO_CLUSTER_URL) may hold earlier runs' rows: the read-back then checks
      // against the table's count; this process's own emulator must hold exactly what was written.
      const counted = await client.execute(database, 'LateFlights | count');
      tableRows = Number(counted.primaryResults[0]!.rows().next().value?.toJSON<{ Count: number }>().Count);
      if (emulator && tableRows !== saved.rows) throw new Error(`LateFlights holds ${tableRows} rows, ${saved.rows} were written`);
      const result = await client.execute(database, 'LateFlights | summarize flights = count(), avg_delay = round(avg(delay), 1) by delay_bucket | order by flights desc');
      console.log('queried back        LateFlights | summarize … by delay_bucket');
      for (const row of result.primaryResults[0]!.rows()) {
        const r = row.toJSON<{ delay_bucket: string; flights: number; avg_delay: number }>();
        console.log(`                    ${r.delay_bucket.padEnd(8)} ${String(r.flights).padStart(9)} flights, avg delay ${r.avg_delay} min`);
      }
    } finally {
      client.close();
    }
    const { Session } = await import('kjob');
    const spark = Session.active();
    if (spark) await readLateFlightsFromKusto(spark, cluster, database, tableRows);
  } finally {
    untrust?.();
    await emulator?.stop();
  }
}

/** The Kusto read-back disagrees with what the table holds: the job fails rather than print it. */
export class KustoReadBackMismatchError extends KjobError {
  override name = 'KustoReadBackMismatchError';
  constructor(what: string, got: number, expected: number) {
    super('DATA_INVALID', `Kusto read-back (${what}) returned ${got} rows, the table holds ${expected}`, {
      likelyCause: 'Rows were lost or duplicated between the write and the read (export, split planning, or the aggregate query).',
      resolution: 'Compare `LateFlights | count` with the read; rerun with LOG_LEVEL=debug to see the splits and queries of the read.',
      context: { what, got, expected },
    });
  }
}

/**
 * The Kusto read-back: the whole table in Distributed mode (`.export` to transient storage, the
 * Parquet files read as splits, deleted afterwards) and an aggregate in Single mode (one query whose
 * result is small: three buckets); the buckets' counts must add up to the table's rows.
 */
export async function readLateFlightsFromKusto(spark: Session, cluster: string, database: string, expectedRows: number): Promise<void> {
  const base = { kustoCluster: cluster, kustoDatabase: database };
  const started = performance.now();
  const table = await spark.read.format('kusto').options({ ...base, kustoQuery: 'LateFlights', readMode: 'ForceDistributedMode' }).load().select('delay', 'delay_bucket').toArrow();
  const seconds = (performance.now() - started) / 1000;
  if (table.numRows !== expectedRows) throw new KustoReadBackMismatchError('Distributed, whole table', table.numRows, expectedRows);
  console.log(`kusto read          ${table.numRows.toLocaleString('en-US')} rows ← ${database}.LateFlights (Distributed: export + Parquet) in ${seconds.toFixed(2)} s, ${Math.round(table.numRows / seconds).toLocaleString('en-US')} rows/s`);
  console.log('kusto read (Single) LateFlights | summarize flights = count(), max_delay = max(delay) by delay_bucket');
  const buckets = spark.read.format('kusto').options({ ...base, kustoQuery: 'LateFlights | summarize flights = count(), max_delay = max(delay) by delay_bucket | order by flights desc', readMode: 'ForceSingleMode' }).load();
  const rows = await buckets.collect();
  const bucketed = rows.reduce((sum, r) => sum + Number(r['flights']), 0);
  if (bucketed !== expectedRows) throw new KustoReadBackMismatchError('Single, flights by delay_bucket', bucketed, expectedRows);
  await buckets.show();
}
