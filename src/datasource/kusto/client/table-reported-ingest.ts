/**
 * Queues one blob for ingestion with status-table reporting — the one place where kjob works around an
 * azure-kusto-ingest bug instead of calling `IngestClient.ingestFromBlob`.
 *
 * Why: with table reporting, the SDK (7.0.1) creates the Pending status row in a retry loop that does
 * not stop on success (wire-protocol §3.6): every blob costs three creates and 1 s + 2 s of sleep, which
 * made a Transactional write of the main job's 11 small blobs on 2 slots spend ~17 s waiting. Here the
 * row is created once and the queue message is the one the SDK would send (same fields, same
 * AdditionalProperties rules, same queues, authorization context and storage ranking from the SDK's
 * own resource manager), so the service sees no difference.
 *
 * Like the SDK, a failed row create is not fatal (the service upserts the row when it reports; a
 * process that does not trust the emulator's self-signed table certificate cannot create it).
 */
import { QueueClient } from '@azure/storage-queue';
import type { IngestClient } from 'azure-kusto-ingest';
import type { IngestionPropertiesFields } from '../ingest/blob-ingestion-properties.js';
import { statusTableClient } from '../write/status-poller.js';

export interface TableReportedBlob {
  /** Blob URL with its SAS (never logged). */
  readonly url: string;
  readonly rawSize: number;
  readonly sourceId: string;
}

const MAX_QUEUE_TRIES = 3;

export async function queueBlobWithTableReporting(client: IngestClient, blob: TableReportedBlob, fields: IngestionPropertiesFields): Promise<void> {
  const props = client._getMergedProps(fields);
  props.validate();
  const rm = client.resourceManager;
  const [authorizationContext, tables, queues] = await Promise.all([rm.getAuthorizationContext(), rm.getStatusTables(), rm.getIngestionQueues()]);
  const statusUri = tables?.[0]?.uri;
  if (!statusUri) throw new Error('Failed to get the ingestion status table');
  if (!queues || queues.length === 0) throw new Error('Failed to get queues');

  const id = blob.sourceId;
  const now = Date.now().toString();
  try {
    await statusTableClient(statusUri).createEntity({ partitionKey: id, rowKey: id, Status: 'Pending', Timestamp: now, IngestionSourceId: id, IngestionSourcePath: blob.url.split(/[?;]/)[0], Database: props.database, Table: props.table, UpdatedOn: now, Details: '' });
  } catch {
    // See the module comment: the service creates the row when it reports.
  }

  const additional: Record<string, unknown> = { ...(props.additionalProperties ?? {}), authorizationContext };
  const tags = [...(props.additionalTags ?? []), ...(props.dropByTags ?? []).map((t) => `drop-by:${t}`), ...(props.ingestByTags ?? []).map((t) => `ingest-by:${t}`)];
  if (tags.length) additional['tags'] = JSON.stringify(tags);
  if (props.ingestIfNotExists) additional['ingestIfNotExists'] = props.ingestIfNotExists;
  if (props.ingestionMappingReference) additional['ingestionMappingReference'] = props.ingestionMappingReference;
  if (props.ingestionMappingKind) additional['ingestionMappingType'] = props.ingestionMappingKind;
  if (props.validationPolicy) additional['ValidationPolicy'] = props.validationPolicy;
  if (props.format) additional['format'] = props.format;
  const message = {
    IngestionStatusInTable: { tableConnectionString: statusUri, partitionKey: id, rowKey: id },
    ApplicationForTracing: client.applicationForTracing,
    ClientVersionForTracing: client.clientVersionForTracing,
    BlobPath: blob.url,
    RawDataSize: blob.rawSize,
    DatabaseName: props.database ?? null,
    TableName: props.table ?? null,
    RetainBlobOnSuccess: true,
    FlushImmediately: props.flushImmediately ?? false,
    IgnoreSizeLimit: false,
    ReportLevel: props.reportLevel ?? null,
    ReportMethod: props.reportMethod ?? null,
    SourceMessageCreationTime: new Date(),
    Id: id,
    AdditionalProperties: additional,
  };
  const encoded = Buffer.from(JSON.stringify(message)).toString('base64');
  let last: unknown;
  for (const q of queues.slice(0, MAX_QUEUE_TRIES)) {
    const queue = new QueueClient(q.uri);
    try {
      await queue.sendMessage(encoded);
      rm.reportResourceUsageResult(q.accountName, true);
      return;
    } catch (e) {
      last = e;
      rm.reportResourceUsageResult(q.accountName, false);
    }
  }
  throw Object.assign(new Error('Failed to send message to queue.'), { cause: last });
}
