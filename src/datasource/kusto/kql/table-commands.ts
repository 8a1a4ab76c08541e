/**
 * Management commands about tables and their policies, sent by the Kusto sink's driver. Texts follow
 * the Spark connector (reference §3.1, §3.6, §3.8) with one deliberate difference: where the connector
 * leaves a table name raw, kjob always writes the escaped `['name']` form (golden tests pin ours).
 */
import { ConfigError } from '../../../errors/kjob-error.js';
import { quoteIdentifier, quoteString, quoteStringDouble, verbatimString } from './quote.js';

export interface KustoColumnSpec {
  readonly name: string;
  /** A Kusto scalar type name: string, long, int, real, bool, datetime, timespan, decimal, guid, dynamic. */
  readonly type: string;
}

const KUSTO_TYPE_NAME = /^(bool|boolean|int|long|real|double|decimal|string|datetime|timespan|guid|dynamic)$/;

/** `['c1']:type1,['c2']:type2` — no spaces, as the connector writes it. */
export function tableSchemaText(columns: readonly KustoColumnSpec[]): string {
  if (columns.length === 0) throw new ConfigError('A Kusto table needs at least one column');
  return columns
    .map((c) => {
      if (!KUSTO_TYPE_NAME.test(c.type)) throw new ConfigError(`Column '${c.name}' has type '${c.type}', which is not a Kusto scalar type`);
      return `${quoteIdentifier(c.name)}:${c.type}`;
    })
    .join(',');
}

/**
 * The schema fetch: one row per column holding `{Name, Type, CslType}` JSON; zero rows means the table
 * does not exist. The trailing space is the connector's.
 */
export function showTableSchemaAsJsonCommand(table: string): string {
  return `.show table ${quoteIdentifier(table)} schema as json | project ColumnsJson=todynamic(Schema).OrderedColumns| mv-expand ColumnsJson `;
}

/** `.create table ['T'] (['a']:string,…)`, with `with(hidden=true)` for the staging table. */
export function createTableCommand(table: string, columns: readonly KustoColumnSpec[] | string, options: { hidden?: boolean } = {}): string {
  const schema = typeof columns === 'string' ? columns : tableSchemaText(columns);
  return `.create table ${quoteIdentifier(table)} (${schema})${options.hidden ? ' with(hidden=true)' : ''}`;
}

export function showIngestionBatchingPolicyCommand(table: string): string {
  return `.show table ${quoteIdentifier(table)} policy ingestionbatching`;
}

/**
 * Copies the destination's batching policy (column `Policy` of the show command) onto the staging
 * table, or `undefined` when the destination has none (`null` or the text "null"). Line breaks are
 * stripped from the policy JSON, as the connector does, before it becomes a verbatim literal.
 */
export function alterIngestionBatchingPolicyCommand(table: string, policyJson: string | null | undefined): string | undefined {
  if (policyJson === null || policyJson === undefined || policyJson === 'null') return undefined;
  const flat = policyJson.replace(/\r\n/g, '').replace(/[\r\n]/g, '');
  return `.alter table ${quoteIdentifier(table)} policy ingestionbatching ${verbatimString(flat)}`;
}

/** Sent to the DM endpoint so that it picks up the staging table's new batching policy at once. */
export function refreshIngestionBatchingPolicyCacheCommand(database: string, table: string): string {
  return `.refresh database ${quoteString(database)} table ${quoteString(table)} cache ingestionbatchingpolicy`;
}

/** `DD:HH:MM:SS`, zero-padded (the connector's retention period text): 604800 s → `07:00:00:00`. */
export function formatRetentionPeriod(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new ConfigError(`Retention period must be a positive whole number of seconds, got ${seconds}`);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(seconds / 86400))}:${p(Math.floor((seconds % 86400) / 3600))}:${p(Math.floor((seconds % 3600) / 60))}:${p(seconds % 60)}`;
}

/** Soft-delete the staging table's data after the cleanup timeout (trailing space as in the connector). */
export function alterRetentionPolicyCommand(table: string, softDeleteSeconds: number): string {
  return `.alter table ${quoteIdentifier(table)} policy retention '{ "SoftDeletePeriod": "${formatRetentionPeriod(softDeleteSeconds)}", "Recoverability":"Disabled" }' `;
}

/** Delete the staging table itself at `expiry`, so aborted jobs leave nothing behind. */
export function alterAutoDeletePolicyCommand(table: string, expiry: Date): string {
  if (Number.isNaN(expiry.getTime())) throw new ConfigError('auto_delete expiry is not a valid date');
  return `.alter table ${quoteIdentifier(table)} policy auto_delete @'{"ExpiryDate": "${expiry.toISOString()}","DeleteIfNotEmpty": true }' `;
}

export function enableStreamingIngestionPolicyCommand(table: string): string {
  return `.alter table ${quoteIdentifier(table)} policy streamingingestion enable`;
}

export function clearStreamingIngestionSchemaCacheCommand(table: string): string {
  return `.clear table ${quoteIdentifier(table)} cache streamingingestion schema`;
}

/** Keeps the staging table's extents apart until they are moved (a merged extent would mix attempts). */
export function disableMergePolicyCommand(table: string): string {
  return `.alter table ${quoteIdentifier(table)} policy merge @'{"AllowMerge":"false", "AllowRebuild":"false"}'`;
}

export function dropTableIfExistsCommand(table: string): string {
  return `.drop table ${quoteIdentifier(table)} ifexists`;
}

/** One row, one column: how many materialized views read from `table` (> 0 → SetNewIngestionTime). */
export function countMaterializedViewsOnTableCommand(table: string): string {
  return `.show materialized-views | where SourceTable == ${quoteString(table)} | count`;
}

/** Node count, used to size move-extents batches. */
export function countClusterNodesCommand(): string {
  return '.show cluster | count';
}

export function showCsvMappingsCommand(table: string): string {
  return `.show table ${quoteIdentifier(table)} ingestion csv mappings`;
}

/**
 * Recreates a named CSV mapping on the staging table. The connector turns every `"` of the mapping
 * JSON into `'` so that it fits a verbatim literal unescaped; kjob doubles the quotes instead, which
 * keeps the JSON exactly as the destination holds it.
 */
export function createCsvMappingCommand(table: string, mappingName: string, mappingJson: string): string {
  return `.create table ${quoteIdentifier(table)} ingestion csv mapping ${quoteStringDouble(mappingName)} ${verbatimString(mappingJson.replace(/[\r\n]/g, ''))}`;
}

/** DM command: the SAS URLs of the containers `.export` may write to. */
export function showExportContainersCommand(): string {
  return '.show export containers';
}

/** DM command: queues, temp storage and status table for queued ingestion. */
export function getIngestionResourcesCommand(): string {
  return '.get ingestion resources';
}
