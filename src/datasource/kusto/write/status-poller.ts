/**
 * Polls the ingestion status of every blob of a Transactional write in the status table (reference
 * §3.6 step 2) with the intended cadence (first poll at once, then 1 s doubling, capped at 2 s for the
 * first minute and 10 s after). All pending blobs are read at each tick; a final status other than
 * Succeeded/Skipped fails the write with IngestionFailedException (status, FailureStatus, ErrorCode);
 * still Pending at `timeoutLimit` → IngestionPollingTimeoutException naming MaximumBatchingTimeSpan.
 *
 * The status table is read with the driver's own TableClient (its URL and SAS from `.get ingestion
 * resources`); blobs are identified by their source id only, so no SAS travels in commit messages.
 * The table endpoint is https: the process must trust its certificate (the emulator's is
 * self-signed: NODE_EXTRA_CA_CERTS, or trustEmulatorCertificate in-process; see client/README.md).
 */
import { AzureSASCredential, TableClient } from '@azure/data-tables';
import type { Log } from '../../datasource.js';
import { IngestionPollingTimeoutException } from '../errors/ingestion-errors.js';
import { interpretIngestionStatus, type IngestionStatusRecord } from '../polling/ingestion-status.js';
import { INGESTION_STATUS_CADENCE, pollUntil } from '../polling/poll-cadence.js';
import type { Clock } from '../polling/clock.js';
import { queuedIngestClient } from '../client/ingest-clients.js';
import type { TokenCredential } from '@azure/identity';
import type { ResolvedKustoSinkOptions } from '../options/sink-options.js';

export interface PolledBlob {
  readonly sourceId: string;
  readonly partition: number;
}

/** A TableClient for a status-table SAS URL (`https://host/account/table?sig…` or `https://account.table…/table?sig…`). */
export function statusTableClient(uri: string): TableClient {
  const u = new URL(uri);
  const segments = u.pathname.split('/').filter(Boolean);
  const tableName = segments.pop();
  if (!tableName) throw new TypeError('status table URL has no table name');
  const endpoint = `${u.origin}${segments.length ? `/${segments.join('/')}` : ''}`;
  return new TableClient(endpoint, tableName, new AzureSASCredential(u.search.replace(/^\?/, '')));
}

export async function statusTable(o: ResolvedKustoSinkOptions, credential: TokenCredential | undefined, authKey: string): Promise<TableClient> {
  const client = queuedIngestClient(o.coordinates.ingestUrl, credential, authKey);
  const tables = await client.resourceManager.getStatusTables();
  const first = tables?.[0];
  if (!first) throw new TypeError('.get ingestion resources returned no IngestionsStatusTable');
  return statusTableClient(first.uri);
}

export interface PollOptions {
  readonly table: TableClient;
  readonly blobs: readonly PolledBlob[];
  readonly sink: ResolvedKustoSinkOptions;
  readonly stagingTable: string;
  readonly clock: Clock;
  readonly log: Log;
}

/** A blob whose final status is not a success, with its raw status record (judged by interpretIngestionStatus). */
export interface FailedBlobStatus {
  readonly blob: PolledBlob;
  readonly record: IngestionStatusRecord;
}

/** What polling saw, without judging it: the failed blobs' records and the first blob still pending at the deadline. */
export interface PollObservation {
  readonly polls: number;
  readonly failures: readonly FailedBlobStatus[];
  readonly timedOut?: { readonly partition: number; readonly waitedMs: number };
}

/** Polls and throws the verdict at once (the first failed blob, or the timeout). */
export async function pollIngestionStatuses(options: PollOptions): Promise<{ polls: number }> {
  const seen = await observeIngestionStatuses(options, true);
  raiseIngestionVerdict(seen, options.sink, options.stagingTable);
  return { polls: seen.polls };
}

/** Throws IngestionFailedException for the first failure, IngestionPollingTimeoutException for a timeout. */
export function raiseIngestionVerdict(seen: PollObservation, sink: ResolvedKustoSinkOptions, stagingTable: string): void {
  for (const f of seen.failures) interpretIngestionStatus(f.record, verdictContext(sink, stagingTable, f.blob));
  if (seen.timedOut) throw new IngestionPollingTimeoutException({ table: stagingTable, partition: seen.timedOut.partition, waitedMs: seen.timedOut.waitedMs, requestId: sink.requestId });
}

function verdictContext(sink: ResolvedKustoSinkOptions, stagingTable: string, blob: PolledBlob) {
  return {
    requestId: sink.requestId,
    cluster: sink.coordinates.clusterAlias,
    database: sink.coordinates.database,
    table: stagingTable,
    partition: blob.partition,
    toleratesDedupSkips: sink.debug.ensureNoDuplicatedBlobs,
  };
}

/**
 * Reads every pending blob's status at each tick until none is pending or the deadline passes.
 * `stopAtFirstFailure`: the driver stops at once; a polling task (pollingOnDriver=false) reads every
 * blob to its end and hands the raw records back, so the driver raises exactly the error it would have.
 */
export async function observeIngestionStatuses(options: PollOptions, stopAtFirstFailure: boolean): Promise<PollObservation> {
  const { sink } = options;
  const pending = new Map(options.blobs.map((b) => [b.sourceId, b]));
  const failures: FailedBlobStatus[] = [];
  const outcome = await pollUntil<number>({
    cadence: INGESTION_STATUS_CADENCE,
    timeoutMs: sink.timeoutLimitSeconds < 0 ? -1 : sink.timeoutLimitMs,
    clock: options.clock,
    poll: async () => {
      for (const [id, blob] of [...pending]) {
        let record: IngestionStatusRecord;
        try {
          record = (await options.table.getEntity(id, id)) as unknown as IngestionStatusRecord;
        } catch (e) {
          // The SDK creates the row before queueing; a 404 means it has not landed yet (or was lost and
          // the service will upsert it). Anything else is logged and retried at the next tick.
          if ((e as { statusCode?: number }).statusCode !== 404) options.log.warn({ requestId: sink.requestId, err: (e as Error).message }, 'reading an ingestion status failed; retrying');
          continue;
        }
        let verdict: string;
        try {
          verdict = interpretIngestionStatus(record, verdictContext(sink, options.stagingTable, blob));
        } catch {
          failures.push({ blob, record: plainRecord(record) });
          pending.delete(id);
          if (stopAtFirstFailure) return 0;
          continue;
        }
        if (verdict === 'done') pending.delete(id);
      }
      return pending.size;
    },
    isDone: (left) => left === 0,
  });
  if (!outcome.done && failures.length === 0) {
    const first = [...pending.values()][0]!;
    return { polls: outcome.polls, failures, timedOut: { partition: first.partition, waitedMs: outcome.waitedMs } };
  }
  return { polls: outcome.polls, failures };
}

/** The status record's own fields only (the table SDK adds etag/metadata), as plain JSON for a task result. */
function plainRecord(r: IngestionStatusRecord): IngestionStatusRecord {
  return JSON.parse(JSON.stringify(r)) as IngestionStatusRecord;
}
