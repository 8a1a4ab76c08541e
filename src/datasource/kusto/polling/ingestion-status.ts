/**
 * What one polled ingestion status means (reference §3.6 step 2): Pending/Queued → keep polling;
 * Succeeded/Skipped → done; anything else → IngestionFailedException naming the partition, the
 * failure status and error code. A `Skipped_IngestByTagAlreadyExists` skip is tolerated when blobs
 * carry dedup tags (a redelivered blob), and an error otherwise.
 */
import { IngestionFailedException } from '../errors/ingestion-errors.js';

export interface IngestionStatusRecord {
  readonly Status?: string;
  readonly FailureStatus?: string;
  readonly ErrorCode?: string | number;
  readonly ErrorCodeString?: string;
  readonly Details?: string;
  readonly [key: string]: unknown;
}

export type IngestionVerdict = 'pending' | 'done';

export function interpretIngestionStatus(
  record: IngestionStatusRecord,
  ctx: { requestId: string; cluster: string; database: string; table: string; partition: string | number; batch?: string; toleratesDedupSkips: boolean },
): IngestionVerdict {
  const status = record.Status ?? 'Pending';
  if (status === 'Pending' || status === 'Queued') return 'pending';
  if (status === 'Succeeded') return 'done';
  const errorCode = record.ErrorCodeString ?? (record.ErrorCode === undefined ? undefined : String(record.ErrorCode));
  if (status === 'Skipped' && (errorCode !== 'Skipped_IngestByTagAlreadyExists' || ctx.toleratesDedupSkips)) return 'done';
  throw new IngestionFailedException({
    status,
    requestId: ctx.requestId,
    cluster: ctx.cluster,
    database: ctx.database,
    table: ctx.table,
    partition: ctx.partition,
    ...(ctx.batch === undefined ? {} : { batch: ctx.batch }),
    ...(record.FailureStatus === undefined ? {} : { failureStatus: record.FailureStatus }),
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(record.Details === undefined ? {} : { details: record.Details }),
    statusJson: JSON.stringify(record, null, 2),
  });
}

/**
 * What one `.show operations <id>` row means (reference §4.6): InProgress (or no row yet) → keep
 * polling; Completed → done; any other state → FailedOperationException via the caller.
 */
export function operationState(row: { readonly State?: unknown; readonly Status?: unknown } | undefined): 'pending' | 'completed' | { failed: { state: string; status: string } } {
  if (!row || row.State === undefined || row.State === 'InProgress') return 'pending';
  if (row.State === 'Completed') return 'completed';
  return { failed: { state: String(row.State), status: String(row.Status ?? '') } };
}
