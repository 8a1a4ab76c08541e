/**
 * The text of every command `kjob doctor` sends. Pure, so tests pin them; every user-supplied name or
 * id goes through kql/quote.ts (a request id holding a quote must not turn into KQL).
 */
import { quoteIdentifier, quoteString } from '../datasource/kusto/kql/quote.js';
import { datetimeLiteral } from '../datasource/kusto/kql/literals.js';
import { showIngestionBatchingPolicyCommand } from '../datasource/kusto/kql/table-commands.js';

/** Every staging table of the sink starts with this (src/datasource/kusto/naming/staging-names.ts). */
export const STAGING_TABLE_PREFIX = 'sparkTempTable_';

export const showVersionCommand = (): string => '.show version';
export const showDatabasesCommand = (): string => '.show databases';
export const showPrincipalRolesCommand = (): string => '.show principal roles';

/** The commands of one job: the sink's client request ids are `<requestId>;<activity>;<uuid>;<attempt>`. */
export function commandsForRequestIdCommand(requestId: string): string {
  return `.show commands | where ClientActivityId has ${quoteString(requestId)}`;
}

/** The queries of one job (a single-mode read), from the query journal. */
export function queriesForRequestIdCommand(requestId: string): string {
  return `.show queries | where ClientActivityId has ${quoteString(requestId)}`;
}

/** Async operations started since `since` (their link to a request is made by the pure check). */
export function operationsSinceCommand(since: Date): string {
  return `.show operations | where StartedOn >= ${datetimeLiteral(since)}`;
}

export function leftoverStagingTablesCommand(): string {
  return `.show tables details | where TableName startswith ${quoteString(STAGING_TABLE_PREFIX)}`;
}

export function tableAutoDeletePolicyCommand(table: string): string {
  return `.show table ${quoteIdentifier(table)} policy auto_delete`;
}

export function tableExistsCommand(table: string): string {
  return `.show tables | where TableName == ${quoteString(table)}`;
}

export function ingestionFailuresCommand(table: string, since: Date): string {
  return `.show ingestion failures | where Table == ${quoteString(table)} and FailedOn >= ${datetimeLiteral(since)}`;
}

export const tableBatchingPolicyCommand = showIngestionBatchingPolicyCommand;

export function databaseBatchingPolicyCommand(database: string): string {
  return `.show database ${quoteIdentifier(database)} policy ingestionbatching`;
}

export function tableStreamingPolicyCommand(table: string): string {
  return `.show table ${quoteIdentifier(table)} policy streamingingestion`;
}

export function databaseStreamingPolicyCommand(database: string): string {
  return `.show database ${quoteIdentifier(database)} policy streamingingestion`;
}
