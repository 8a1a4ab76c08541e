import { ReportLevel, ReportMethod } from './queue-message.js';

/**
 * What the emulated DM reports for one ingested blob, and where. Pure builders: the I/O is in
 * status-reporter.ts.
 */
export type FinalStatus = 'Succeeded' | 'PartiallySucceeded' | 'Failed' | 'Skipped';

export interface BlobOutcome {
  readonly operationId: string;
  readonly database: string;
  readonly table: string;
  /** The message Id (also the status-table partition and row key). */
  readonly sourceId: string;
  /** Blob URL without its SAS. */
  readonly sourcePath: string;
  readonly rootActivityId: string;
  readonly status: FinalStatus;
  readonly at: Date;
  readonly errorCode?: string;
  readonly details?: string;
  /** 'Permanent' | 'Transient' (the .NET values; 'Exhausted' is not produced here). */
  readonly failureStatus?: 'Permanent' | 'Transient';
  readonly extentId?: string | null;
}

export interface ReportTargets {
  readonly queue: boolean;
  readonly table: boolean;
}

/** Where an outcome goes, per ReportLevel and ReportMethod. */
export function reportTargets(outcome: Pick<BlobOutcome, 'status'>, reportLevel: number, reportMethod: number, hasStatusRow: boolean): ReportTargets {
  if (reportLevel === ReportLevel.DoNotReport) return { queue: false, table: false };
  const failure = outcome.status !== 'Succeeded';
  const wanted = failure || reportLevel === ReportLevel.FailuresAndSuccesses;
  if (!wanted) return { queue: false, table: false };
  const queue = reportMethod === ReportMethod.Queue || reportMethod === ReportMethod.QueueAndTable;
  const table = hasStatusRow && (reportMethod === ReportMethod.Table || reportMethod === ReportMethod.QueueAndTable);
  return { queue, table };
}

/** The blob URL as reported: SAS removed (a signature never goes into a status message). */
export function withoutSas(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/**
 * JSON with every non-ASCII character escaped as \uXXXX: the ingest SDK decodes status messages'
 * base64 as ASCII, so raw UTF-8 would come back garbled.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Queue message text (base64 of ASCII JSON) for the success or failure queue. */
export function statusQueueMessage(o: BlobOutcome): { queue: 'success' | 'failure'; text: string } {
  const common = {
    OperationId: o.operationId,
    Database: o.database,
    Table: o.table,
    IngestionSourceId: o.sourceId,
    IngestionSourcePath: o.sourcePath,
    RootActivityId: o.rootActivityId,
  };
  if (o.status === 'Succeeded') {
    return { queue: 'success', text: Buffer.from(asciiJson({ ...common, SucceededOn: o.at.toISOString() }), 'ascii').toString('base64') };
  }
  const permanent = (o.failureStatus ?? 'Permanent') === 'Permanent';
  const body = {
    ...common,
    FailedOn: o.at.toISOString(),
    Details: o.details ?? '',
    ErrorCode: o.errorCode ?? (o.status === 'Skipped' ? 'Skipped_IngestByTagAlreadyExists' : 'General_IngestionFailed'),
    FailureStatus: o.failureStatus ?? 'Permanent',
    OriginatesFromUpdatePolicy: false,
    ShouldRetry: !permanent,
  };
  return { queue: 'failure', text: Buffer.from(asciiJson(body), 'ascii').toString('base64') };
}

/** The properties merged into the existing status-table row. */
export function statusTableUpdate(o: BlobOutcome): Record<string, string | boolean | Date> {
  const row: Record<string, string | boolean | Date> = {
    Status: o.status,
    UpdatedOn: o.at,
    OperationId: o.operationId,
    ActivityId: o.rootActivityId,
    Database: o.database,
    Table: o.table,
    IngestionSourceId: o.sourceId,
    IngestionSourcePath: o.sourcePath,
    Details: o.details ?? '',
    ErrorCode: o.errorCode ?? '',
    FailureStatus: o.status === 'Succeeded' ? 'NotSpecified' : (o.failureStatus ?? 'Permanent'),
    OriginatesFromUpdatePolicy: false,
  };
  if (o.extentId) row['ExtentId'] = o.extentId;
  return row;
}
