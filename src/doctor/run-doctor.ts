/**
 * The doctor's I/O: runs each check's commands through a Kusto client and hands the rows to the pure
 * checks in ./checks. A check whose command the service refuses becomes a finding, so one missing
 * permission does not hide the other checks; only an unreachable cluster stops the run.
 */
import { KustoRequestException, serviceMessage } from '../datasource/kusto/client/engine-client.js';
import { redact } from '../util/redact.js';
import { checkConnectivity } from './checks/connectivity.js';
import { checkRequestCommands } from './checks/request-commands.js';
import { checkRequestOperations } from './checks/request-operations.js';
import { checkRoles } from './checks/roles.js';
import { checkBatchingPolicy, checkIngestionFailures, checkStreamingPolicy, checkTableExists } from './checks/table-checks.js';
import { checkLeftoverTempTables, leftoverTables, type LeftoverTable } from './checks/temp-tables.js';
import * as cmd from './doctor-commands.js';
import { DoctorConnectionError } from './doctor-errors.js';
import type { CheckName, Finding } from './finding.js';
import { date, type Row } from './rows.js';

/** What the doctor needs of a Kusto client (the engine client, or a test double). */
export interface DoctorClient {
  mgmt(database: string, command: string, activity: string): Promise<Row[]>;
}

export interface DoctorRunOptions {
  readonly clusterUrl: string;
  readonly database: string;
  readonly requestId?: string;
  readonly table?: string;
  /** Window of `.show ingestion failures`. */
  readonly sinceMs: number;
  /** The sink's timeoutLimit the batching policy is judged against. */
  readonly timeoutLimitSeconds: number;
  readonly now?: () => Date;
}

export interface DoctorRun {
  readonly findings: Finding[];
  /** The leftover staging tables found (what `--cleanup` may drop). */
  readonly leftovers: LeftoverTable[];
}

/** The service's own words (and HTTP status) rather than the client's wrapper text. */
function messageOf(e: unknown): string {
  if (e instanceof KustoRequestException) return `${e.httpStatus ? `HTTP ${e.httpStatus}: ` : ''}${serviceMessage(e.cause)}`;
  return redact(e instanceof Error ? e.message : String(e));
}

/** A check whose command failed: reported, not thrown. */
function skipped(check: CheckName, command: string, e: unknown): Finding {
  return {
    check,
    status: 'warn',
    title: `Check '${check}' could not run: ${command.split(' |')[0]} failed`,
    detail: messageOf(e),
    cause: 'The service refused the command (often a missing role: .show commands of other principals and .show ingestion failures need Database Admin or Monitor).',
    resolution: 'Run doctor with a principal holding Database Admin (or Monitor) on the database.',
  };
}

export async function runDoctor(client: DoctorClient, o: DoctorRunOptions): Promise<DoctorRun> {
  const now = o.now ?? (() => new Date());
  const db = o.database;
  const findings: Finding[] = [];
  const run = (command: string, activity: string) => client.mgmt(db, command, `KJOB.doctor.${activity}`);
  const attempt = async (check: CheckName, command: string, activity: string, use: (rows: Row[]) => Finding[]): Promise<Row[] | undefined> => {
    try {
      const rows = await run(command, activity);
      findings.push(...use(rows));
      return rows;
    } catch (e) {
      findings.push(skipped(check, command, e));
      return undefined;
    }
  };

  let version: Row[];
  try {
    version = await run(cmd.showVersionCommand(), 'version');
  } catch (e) {
    throw new DoctorConnectionError(o.clusterUrl, db, messageOf(e), { cause: e });
  }
  const databases = await run(cmd.showDatabasesCommand(), 'databases').catch((e: unknown) => ({ error: messageOf(e) }));
  const connectivity = checkConnectivity({ clusterUrl: o.clusterUrl, database: db, version, databases });
  findings.push(...connectivity);
  // A database the caller cannot see: every further command would fail for the same reason.
  if (connectivity.some((f) => f.status === 'fail')) return { findings, leftovers: [] };
  const roles = await run(cmd.showPrincipalRolesCommand(), 'roles').then((rows) => ({ rows }), (e: unknown) => ({ error: messageOf(e) }));
  findings.push(...checkRoles(db, roles));

  if (o.requestId !== undefined) {
    const requestId = o.requestId;
    // Queries too: a single-mode read fails in a query, not a command. Their journal is optional here.
    let queries: Row[] = [];
    try {
      queries = await run(cmd.queriesForRequestIdCommand(requestId), 'queries');
    } catch (e) {
      findings.push(skipped('commands', cmd.queriesForRequestIdCommand(requestId), e));
    }
    const commands = await attempt('commands', cmd.commandsForRequestIdCommand(requestId), 'commands', (rows) => checkRequestCommands(requestId, [...rows, ...queries]));
    if (commands && commands.length > 0) {
      // Operations start after their command: look from a minute before the first one.
      const first = Math.min(...commands.map((c) => date(c, 'StartedOn')?.getTime() ?? now().getTime()));
      await attempt('operations', cmd.operationsSinceCommand(new Date(first - 60_000)), 'operations', (rows) => checkRequestOperations(requestId, commands, rows, now()));
    }
  }

  let leftovers: LeftoverTable[] = [];
  await attempt('temp-tables', cmd.leftoverStagingTablesCommand(), 'tempTables', (rows) => {
    leftovers = leftoverTables(rows, now(), o.requestId);
    return checkLeftoverTempTables(db, rows, now(), o.requestId);
  });

  if (o.table !== undefined) {
    const table = o.table;
    const exists = await attempt('table', cmd.tableExistsCommand(table), 'tableExists', (rows) => checkTableExists(db, table, rows));
    if (exists === undefined || exists.some((r) => r['TableName'] === table)) {
      await attempt('ingestion-failures', cmd.ingestionFailuresCommand(table, new Date(now().getTime() - o.sinceMs)), 'ingestionFailures', (rows) => checkIngestionFailures(table, rows, o.sinceMs));
      const policy = async (command: string, activity: string): Promise<unknown> => (await run(command, activity))[0]?.['Policy'] ?? null;
      try {
        const [tablePolicy, databasePolicy] = [await policy(cmd.tableBatchingPolicyCommand(table), 'batchingPolicy'), await policy(cmd.databaseBatchingPolicyCommand(db), 'databaseBatchingPolicy')];
        findings.push(...checkBatchingPolicy({ table, tablePolicy, databasePolicy, timeoutLimitSeconds: o.timeoutLimitSeconds }));
      } catch (e) {
        findings.push(skipped('batching-policy', cmd.tableBatchingPolicyCommand(table), e));
      }
      try {
        const [tablePolicy, databasePolicy] = [await policy(cmd.tableStreamingPolicyCommand(table), 'streamingPolicy'), await policy(cmd.databaseStreamingPolicyCommand(db), 'databaseStreamingPolicy')];
        findings.push(...checkStreamingPolicy({ table, tablePolicy, databasePolicy }));
      } catch (e) {
        findings.push(skipped('streaming-policy', cmd.tableStreamingPolicyCommand(table), e));
      }
    }
  }
  return { findings, leftovers };
}
