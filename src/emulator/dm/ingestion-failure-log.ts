import type { ResultTable } from '../contracts.js';

/**
 * What `.show ingestion failures` lists: every queued ingestion that failed or partially succeeded,
 * whatever the message's ReportLevel (the service records failures even when it does not report
 * them). Bounded: the oldest entries go first beyond `capacity`.
 */
export interface IngestionFailure {
  readonly operationId: string;
  readonly database: string;
  readonly table: string;
  readonly failedOn: Date;
  /** Blob URL without SAS. */
  readonly ingestionSourcePath: string;
  readonly details: string;
  readonly failureKind: 'Permanent' | 'Transient';
  readonly rootActivityId: string;
  readonly errorCode: string;
  readonly shouldRetry: boolean;
  readonly ingestionSourceId: string;
  readonly ingestionProperties: string;
  readonly status: 'Failed' | 'PartiallySucceeded';
}

const COLUMNS = [
  ['OperationId', 'guid'],
  ['Database', 'string'],
  ['Table', 'string'],
  ['FailedOn', 'datetime'],
  ['IngestionSourcePath', 'string'],
  ['Details', 'string'],
  ['FailureKind', 'string'],
  ['RootActivityId', 'guid'],
  ['OperationKind', 'string'],
  ['OriginatesFromUpdatePolicy', 'bool'],
  ['ErrorCode', 'string'],
  ['Principal', 'string'],
  ['ShouldRetry', 'bool'],
  ['User', 'string'],
  ['IngestionProperties', 'string'],
  ['NumberOfSources', 'int'],
] as const;

/** ISO-8601 with 7 fractional digits, the engine's datetime string form. */
function iso7(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export class IngestionFailureLog {
  private readonly entries: IngestionFailure[] = [];
  constructor(private readonly capacity = 10_000) {}

  record(f: IngestionFailure): void {
    this.entries.push(f);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  all(): readonly IngestionFailure[] {
    return this.entries;
  }

  /** `.show ingestion failures [with (OperationId = '<id>')]`, restricted to one database unless `database` is undefined. */
  toTable(filter: { database?: string; operationId?: string }): ResultTable {
    const rows = this.entries
      .filter((f) => (filter.database === undefined || f.database === filter.database) && (filter.operationId === undefined || f.operationId === filter.operationId))
      .map((f) => [
        f.operationId,
        f.database,
        f.table,
        iso7(f.failedOn),
        f.ingestionSourcePath,
        f.details,
        f.failureKind,
        f.rootActivityId,
        'DataIngestPull',
        false,
        f.errorCode,
        '',
        f.shouldRetry,
        '',
        f.ingestionProperties,
        1,
      ]);
    return { name: 'Table_0', columns: COLUMNS.map(([name, type]) => ({ name, type })), rows };
  }
}
