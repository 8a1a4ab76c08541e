/**
 * Check 4 (`--table`): the table exists, its recent ingestion failures, its ingestion batching policy
 * against the polling timeout, and its streaming ingestion policy.
 */
import { INGESTION_BATCHING_TIMEOUT_CAUSE, INGESTION_BATCHING_TIMEOUT_RESOLUTION, INGESTION_FAILED_RESOLUTION, INGESTION_PERMANENT_CAUSE, INGESTION_TRANSIENT_CAUSE } from '../../datasource/kusto/errors/ingestion-errors.js';
import { TABLE_NOT_FOUND_CAUSE, TABLE_NOT_FOUND_RESOLUTION } from '../../datasource/kusto/errors/parameter-errors.js';
import { formatAge, parseKustoTimespan } from '../durations.js';
import type { Finding } from '../finding.js';
import { date, freeText, policyObject, text, type Row } from '../rows.js';

export function checkTableExists(database: string, table: string, rows: readonly Row[]): Finding[] {
  if (rows.some((r) => text(r, 'TableName') === table)) return [{ check: 'table', status: 'ok', title: `Table '${table}' exists in '${database}'` }];
  return [{ check: 'table', status: 'fail', title: `Table '${table}' does not exist in database '${database}'`, cause: TABLE_NOT_FOUND_CAUSE, resolution: TABLE_NOT_FOUND_RESOLUTION }];
}

const MAX_LISTED = 10;

export function checkIngestionFailures(table: string, rows: readonly Row[], sinceMs: number): Finding[] {
  const window = formatAge(sinceMs);
  if (rows.length === 0) return [{ check: 'ingestion-failures', status: 'ok', title: `No ingestion failures for '${table}' in the last ${window}` }];
  const sorted = [...rows].sort((a, b) => (date(b, 'FailedOn')?.getTime() ?? 0) - (date(a, 'FailedOn')?.getTime() ?? 0));
  const failures = sorted.map((r) => ({
    failedOn: date(r, 'FailedOn')?.toISOString() ?? null,
    operationId: text(r, 'OperationId'),
    errorCode: text(r, 'ErrorCode'),
    failureKind: text(r, 'FailureKind'),
    details: freeText(r, 'Details'),
    source: freeText(r, 'IngestionSourcePath'),
  }));
  const allTransient = failures.every((f) => f.failureKind === 'Transient');
  const lines = failures.slice(0, MAX_LISTED).map((f) => `${f.failedOn ?? '?'}  ${f.failureKind || '?'} ${f.errorCode || '?'}: ${f.details.split(/\r?\n/)[0]!.slice(0, 200)}  (OperationId ${f.operationId})`);
  if (failures.length > MAX_LISTED) lines.push(`… and ${failures.length - MAX_LISTED} more (see data.failures in --json)`);
  return [{
    check: 'ingestion-failures',
    status: 'fail',
    title: `${rows.length} ingestion failure(s) for '${table}' in the last ${window}`,
    detail: lines.join('\n'),
    cause: allTransient ? INGESTION_TRANSIENT_CAUSE : INGESTION_PERMANENT_CAUSE,
    resolution: INGESTION_FAILED_RESOLUTION.replace('...', `'${failures[0]!.operationId}'`),
    data: { failures },
  }];
}

/** The service's default when neither the table nor the database sets MaximumBatchingTimeSpan. */
export const DEFAULT_BATCHING_TIME_MS = 5 * 60_000;
/** A batching time above this share of timeoutLimit is "long against the polling timeout". */
export const BATCHING_WARN_RATIO = 0.25;

export function checkBatchingPolicy(input: { table: string; tablePolicy: unknown; databasePolicy: unknown; timeoutLimitSeconds: number }): Finding[] {
  const table = policyObject(input.tablePolicy);
  const db = policyObject(input.databasePolicy);
  const source = table?.['MaximumBatchingTimeSpan'] !== undefined ? 'table' : db?.['MaximumBatchingTimeSpan'] !== undefined ? 'database' : 'default';
  const raw = source === 'table' ? table!['MaximumBatchingTimeSpan'] : source === 'database' ? db!['MaximumBatchingTimeSpan'] : undefined;
  const spanMs = source === 'default' ? DEFAULT_BATCHING_TIME_MS : parseKustoTimespan(raw);
  const data = { source, maximumBatchingTimeSpan: raw ?? null, batchingMs: spanMs ?? null, timeoutLimitSeconds: input.timeoutLimitSeconds, tablePolicy: table ?? null, databasePolicy: db ?? null };
  if (spanMs === undefined) {
    return [{ check: 'batching-policy', status: 'warn', title: `Ingestion batching policy of '${input.table}' has an unreadable MaximumBatchingTimeSpan '${String(raw)}'`, cause: 'The policy holds a value that is not a Kusto timespan (d.hh:mm:ss).', resolution: `Inspect it with .show table ['${input.table}'] policy ingestionbatching and set a valid one.`, data }];
  }
  const timeoutMs = input.timeoutLimitSeconds * 1000;
  const title = `Ingestion batching of '${input.table}': MaximumBatchingTimeSpan ${formatAge(spanMs)} (${source === 'default' ? 'service default' : `${source} policy`})`;
  // A negative timeoutLimit waits forever: nothing to compare against.
  if (timeoutMs > 0 && spanMs >= timeoutMs * BATCHING_WARN_RATIO) {
    return [{
      check: 'batching-policy',
      status: 'warn',
      title: `${title} is long against the polling timeout (timeoutLimit ${formatAge(timeoutMs)})`,
      detail: spanMs >= timeoutMs ? 'Transactional writes poll until the last blob is ingested: with this policy they time out (IngestionPollingTimeoutException) before the batch seals.' : 'Each write waits up to this long before its data is ingested; Transactional writes may come close to timeoutLimit.',
      cause: INGESTION_BATCHING_TIMEOUT_CAUSE,
      resolution: INGESTION_BATCHING_TIMEOUT_RESOLUTION,
      data,
    }];
  }
  return [{ check: 'batching-policy', status: 'ok', title, data }];
}

export function checkStreamingPolicy(input: { table: string; tablePolicy: unknown; databasePolicy: unknown }): Finding[] {
  const table = policyObject(input.tablePolicy);
  const db = policyObject(input.databasePolicy);
  const effective = table ?? db;
  const source = table ? 'table' : db ? 'database' : 'none';
  const enabled = effective?.['IsEnabled'] === true;
  const data = { source, enabled, tablePolicy: table ?? null, databasePolicy: db ?? null };
  if (enabled) return [{ check: 'streaming-policy', status: 'ok', title: `Streaming ingestion is enabled for '${input.table}' (${source} policy)`, data }];
  return [{
    check: 'streaming-policy',
    status: 'info',
    title: `Streaming ingestion is ${source === 'none' ? 'not configured' : 'disabled'} for '${input.table}'`,
    detail: `writeMode=KustoStreaming then falls back to queued ingestion (batching latency). Enable it with .alter table ['${input.table}'] policy streamingingestion enable if you stream.`,
    data,
  }];
}
