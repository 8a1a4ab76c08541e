// The compose `submit` service's job: the late flights written into the cluster's Kusto (the `kusto`
// emulator service, or a real Azure Data Explorer cluster), then read back twice — the whole run in
// Distributed mode (`.export` → Parquet splits read by the executors) and an aggregate in Single mode.
//
//   KUSTO_CLUSTER_URL  required: http://kusto:8080 in compose, or https://<cluster>.<region>.kusto.windows.net
//   KUSTO_DATABASE     default 'flights'
//
// Every run tags its rows with a run id and reads back only those, so re-runs append without
// confusing the check. A read-back that does not match what was written fails the job (exit 1).
import { randomUUID } from 'node:crypto';
import { ConfigError, lit, type Session } from 'kjob';
import { lateFlights } from '../examples/main-job.js';
import { quoteIdentifier, quoteString } from '../src/datasource/kusto/kql/quote.js';

export const TABLE = 'LateFlightsByRun';

export function kustoTarget(env: NodeJS.ProcessEnv = process.env): { cluster: string; database: string } {
  const cluster = env['KUSTO_CLUSTER_URL']?.trim();
  if (!cluster) {
    throw new ConfigError('jobs/flights-to-kusto.ts needs KUSTO_CLUSTER_URL', {
      resolution: 'Set KUSTO_CLUSTER_URL=http://kusto:8080 (the compose emulator) or the https URL of your cluster.',
      context: { option: 'KUSTO_CLUSTER_URL' },
    });
  }
  return { cluster, database: env['KUSTO_DATABASE']?.trim() || 'flights' };
}

export default async function flightsToKusto(spark: Session): Promise<void> {
  const { cluster, database } = kustoTarget();
  const runId = randomUUID();
  const base = { kustoCluster: cluster, kustoDatabase: database };
  const thisRun = `${quoteIdentifier(TABLE)} | where run_id == ${quoteString(runId)}`;

  const late = lateFlights(spark).late.withColumn('run_id', lit(runId));
  const started = performance.now();
  const saved = await late.write
    .format('kusto')
    .options({ ...base, kustoTable: TABLE, writeMode: 'Transactional', tableCreateOptions: 'CreateIfNotExist' })
    .mode('append')
    .save();
  const requestId = String((saved.detail as { requestId?: string } | undefined)?.requestId ?? '?');
  console.log(`kusto write         ${saved.rows.toLocaleString('en-US')} rows → ${cluster} ${database}.${TABLE} in ${((performance.now() - started) / 1000).toFixed(2)} s (run ${runId}, request ${requestId})`);

  const readStarted = performance.now();
  const back = await spark.read.format('kusto').options({ ...base, kustoQuery: thisRun, readMode: 'ForceDistributedMode' }).load().select('delay', 'delay_bucket').toArrow();
  if (back.numRows !== saved.rows) throw new Error(`Kusto read-back returned ${back.numRows} rows of run ${runId}; ${saved.rows} were written`);
  console.log(`kusto read          ${back.numRows.toLocaleString('en-US')} rows ← ${database}.${TABLE} (Distributed: export + Parquet) in ${((performance.now() - readStarted) / 1000).toFixed(2)} s`);

  console.log('kusto read (Single) this run, summarize flights = count(), avg_delay by delay_bucket');
  await spark.read.format('kusto').options({ ...base, kustoQuery: `${thisRun} | summarize flights = count(), avg_delay = round(avg(delay), 1) by delay_bucket | order by flights desc`, readMode: 'ForceSingleMode' }).load().show();
}
