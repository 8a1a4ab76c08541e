/** Errors of queued/streaming ingestion and of the storage it needs. */
import { KjobError, type KjobErrorDetails } from '../../../errors/kjob-error.js';

/** The guide's words for each failure, shared with `kjob doctor` (src/doctor), which reports the same causes. */
export const INGESTION_TRANSIENT_CAUSE = 'A transient ingestion failure in the service.';
export const INGESTION_PERMANENT_CAUSE = 'The data did not match the table (bad CSV for the column types, mapping errors) or the table/permissions changed during the write.';
export const INGESTION_FAILED_RESOLUTION = 'Run `.show ingestion failures | where OperationId == ...` or check the error code in the Kusto docs; transient failures can be retried.';
export const INGESTION_BATCHING_TIMEOUT_CAUSE = "The table's ingestion batching policy (MaximumBatchingTimeSpan, default 5 minutes) holds the data back, or the cluster's ingestion is backlogged.";
export const INGESTION_BATCHING_TIMEOUT_RESOLUTION = 'Raise timeoutLimit, or lower MaximumBatchingTimeSpan on the destination (the staging table copies it); set flushImmediately only for tests.';

/** The ingestion service (DM endpoint, queues, storage) failed a request; usually transient. */
export class IngestionServiceException extends KjobError {
  override name = 'IngestionServiceException';
  constructor(message: string, details: KjobErrorDetails = {}) {
    super('KUSTO_REQUEST_FAILED', message, {
      likelyCause: 'The Kusto data-management endpoint or its storage was throttled or briefly unavailable.',
      resolution: 'It is retried automatically; if it persists, check the ingest- endpoint and the principal\'s Ingestor role.',
      retryable: true,
      ...details,
    });
  }
}

/** `.get ingestion resources` / `.show export containers` gave no containers. */
export class NoStorageContainersException extends KjobError {
  override name = 'NoStorageContainersException';
  constructor(details: KjobErrorDetails = {}) {
    super('NO_STORAGE_CONTAINERS', 'No storage containers received. Failed to allocate temporary storage', {
      likelyCause: 'The cluster returned no temporary storage (a cluster without data management, or missing permissions on the ingest- endpoint).',
      resolution: 'Check the ingest endpoint with .get ingestion resources, or supply kustoIngestionStorageContainer / transientStorage.',
      ...details,
    });
  }
}

export type IngestionFinalStatus = 'Failed' | 'PartiallySucceeded' | 'Skipped' | string;

/** An ingestion reported a final status other than Succeeded (reference §3.6 step 2). */
export class IngestionFailedException extends KjobError {
  override name = 'IngestionFailedException';
  readonly status: IngestionFinalStatus;
  readonly failureStatus: string | undefined;
  readonly errorCode: string | undefined;
  constructor(
    info: { status: IngestionFinalStatus; requestId: string; cluster: string; database: string; table: string; batch?: string; partition: string | number; failureStatus?: string; errorCode?: string; details?: string; statusJson?: string },
    details: KjobErrorDetails = {},
  ) {
    const verb = info.status === 'Skipped' ? 'skipped' : 'failed';
    super(
      'INGESTION_FAILED',
      `Ingestion to Kusto ${verb} with status '${info.status}'. RequestId: ${info.requestId} cluster: '${info.cluster}', database: '${info.database}', table: '${info.table}' ${info.batch ?? ''}, partition: '${info.partition}'. Ingestion info: '${info.statusJson ?? JSON.stringify({ status: info.status, failureStatus: info.failureStatus, errorCode: info.errorCode, details: info.details }, null, 2)}'`,
      {
        likelyCause: info.failureStatus === 'Transient' ? INGESTION_TRANSIENT_CAUSE : INGESTION_PERMANENT_CAUSE,
        resolution: INGESTION_FAILED_RESOLUTION,
        requestId: info.requestId,
        retryable: info.failureStatus === 'Transient',
        ...details,
        context: { status: info.status, failureStatus: info.failureStatus, errorCode: info.errorCode, table: info.table, partition: String(info.partition), ...details.context },
      },
    );
    this.status = info.status;
    this.failureStatus = info.failureStatus;
    this.errorCode = info.errorCode;
  }
}

/** Ingestion stayed Pending past `timeoutLimit`. */
export class IngestionPollingTimeoutException extends KjobError {
  override name = 'IngestionPollingTimeoutException';
  constructor(info: { table: string; partition: string | number; waitedMs: number; requestId?: string }, details: KjobErrorDetails = {}) {
    super('KUSTO_TIMEOUT', `Ingestion to Kusto failed on timeout failure. Table: '${info.table}', partition: '${info.partition}', still Pending after ${Math.round(info.waitedMs / 1000)} s`, {
      likelyCause: INGESTION_BATCHING_TIMEOUT_CAUSE,
      resolution: INGESTION_BATCHING_TIMEOUT_RESOLUTION,
      ...(info.requestId === undefined ? {} : { requestId: info.requestId }),
      ...details,
      context: { table: info.table, partition: String(info.partition), waitedMs: info.waitedMs, ...details.context },
    });
  }
}
