// A scheduled ETL job: every hour, load the new Parquet files of a blob container into a Kusto table.
//
// Each file is written on its own with Queued ingestion, tagged `ingest-by:landing:<blob name>` and
// guarded by `ingestIfNotExists` on that same tag: a file the table already holds is skipped before it
// is read, so a re-run (a retry, a manual `kjob schedule run`, an overlapping backfill) never
// duplicates rows. With kjob.kusto.queued.waitForIngestion=true a run ends only once Kusto has
// ingested its files, so the next run sees their tags.
//
//   export KUSTO_CLUSTER_URL=http://kusto:8080 KUSTO_DATABASE=db KUSTO_TABLE=Events
//   export LANDING_CONTAINER_URL='https://<account>.blob.core.windows.net/landing?<SAS with read+list>'
//   kjob schedule add hourly-load examples/hourly-incremental-load.ts --cron "5 * * * *" \
//     --conf kjob.kusto.queued.waitForIngestion=true --timeout 50m --retries 2
//   kjob scheduler --master redis://redis:6379
//
// Environment (read by the job, so secrets stay in the scheduler's environment, never in Redis):
//   KUSTO_CLUSTER_URL       cluster (or emulator) URL                                   required
//   KUSTO_DATABASE          database                                                    required
//   KUSTO_TABLE             destination table, created on first load  (default Events)
//   LANDING_CONTAINER_URL   container URL with a read+list SAS                          required
//   LANDING_PREFIX          only blobs under this prefix, e.g. events/                   (default: all)
//   LANDING_LOOKBACK_HOURS  only blobs modified in the last N hours; 0 = all             (default 24)
//   KUSTO_AAD_APP_ID / KUSTO_AAD_APP_SECRET / KUSTO_AAD_TENANT   app login for a real cluster (optional)
import { ContainerClient } from '@azure/storage-blob';
import type { Session } from 'kjob';

export interface LandingFile {
  readonly name: string;
  readonly url: string;
}

export const TAG_PREFIX = 'landing:';

/** The ingest-by tag of a landing file: its blob name, so the same file is recognised on every run. */
export function tagOfFile(blobName: string): string {
  return `${TAG_PREFIX}${blobName}`;
}

function required(name: string): string {
  const v = process.env[name]?.trim();
  if (!v) throw new Error(`Set ${name} (see the header of examples/hourly-incremental-load.ts)`);
  return v;
}

/** Lists the Parquet files of the landing container, oldest first, as URLs carrying the container's SAS. */
export async function listLandingFiles(containerUrl: string, prefix: string, lookbackHours: number, now = new Date()): Promise<LandingFile[]> {
  const url = new URL(containerUrl);
  const container = new ContainerClient(containerUrl);
  const since = lookbackHours > 0 ? now.getTime() - lookbackHours * 3_600_000 : 0;
  const found: Array<{ name: string; modified: number }> = [];
  for await (const blob of container.listBlobsFlat(prefix ? { prefix } : {})) {
    const modified = blob.properties.lastModified?.getTime() ?? 0;
    if (blob.name.endsWith('.parquet') && modified >= since) found.push({ name: blob.name, modified });
  }
  found.sort((a, b) => a.modified - b.modified || a.name.localeCompare(b.name));
  const base = `${url.origin}${url.pathname.replace(/\/$/, '')}`;
  return found.map((b) => ({ name: b.name, url: `${base}/${b.name.split('/').map(encodeURIComponent).join('/')}${url.search}` }));
}

export default async function hourlyIncrementalLoad(spark: Session): Promise<void> {
  const cluster = required('KUSTO_CLUSTER_URL');
  const database = required('KUSTO_DATABASE');
  const table = process.env['KUSTO_TABLE']?.trim() || 'Events';
  const files = await listLandingFiles(required('LANDING_CONTAINER_URL'), process.env['LANDING_PREFIX'] ?? '', Number(process.env['LANDING_LOOKBACK_HOURS'] ?? 24));
  if (spark.conf.get('kjob.kusto.queued.waitForIngestion') !== 'true') {
    console.warn('kjob.kusto.queued.waitForIngestion is not true: a run may end before Kusto ingested its files (fine hourly; schedule with --conf kjob.kusto.queued.waitForIngestion=true to be sure)');
  }
  const auth: Record<string, string> = {};
  if (process.env['KUSTO_AAD_APP_ID']) {
    auth['kustoAadAppId'] = process.env['KUSTO_AAD_APP_ID'];
    auth['kustoAadAppSecret'] = required('KUSTO_AAD_APP_SECRET');
    auth['kustoAadAuthorityID'] = required('KUSTO_AAD_TENANT');
  }
  let loaded = 0;
  let rows = 0;
  for (const file of files) {
    const tag = tagOfFile(file.name);
    const result = await spark.read
      .parquet(file.url)
      .write.format('kusto')
      .options({
        kustoCluster: cluster,
        kustoDatabase: database,
        kustoTable: table,
        writeMode: 'Queued',
        tableCreateOptions: 'CreateIfNotExist',
        sparkIngestionPropertiesJson: JSON.stringify({ ingestByTags: [tag], ingestIfNotExists: [tag] }),
        ...auth,
      })
      .mode('append')
      .save();
    if (result.skipped) {
      console.log(`skipped ${file.name}: already in ${table}`);
      continue;
    }
    loaded++;
    rows += result.rows;
    console.log(`loaded  ${file.name}: ${result.rows} rows (request id ${String(result.detail?.['requestId'] ?? '?')})`);
  }
  console.log(`hourly load: ${files.length} files seen, ${loaded} loaded, ${rows} rows into ${database}.${table}`);
}
