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
import { autoDeleteExpiry, checkLeftoverTempTables, leftoverTables, withAutoDelete, type LeftoverTable } from './checks/temp-tables.js';
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

/** A check whose command failed: reported (as information: it says nothing about the jobs), not thrown. */
function skipped(check: CheckName, command: string, e: unknown): Finding {
  return {
    check,
    status: 'info',
    title: `Check '${check}' could not run: ${command.split(' |')[0]} failed`,
    detail: messageOf(e),
    cause: 'The service refused the command (often a missing role: .show commands of other principals and .show ingestion failures need Database Admin or Monitor).',
    resolution: 'Run doctor with a principal holding Database Admin (or Monitor) on the database.',
  };
}

/** What each section of the run shares: the command runner and the findings collected so far. */
interface RunContext {
  readonly o: DoctorRunOptions;
  readonly now: () => Date;
  readonly findings: Finding[];
  run(command: string, activity: string): Promise<Row[]>;
  /** Runs a command and its check; a refused command becomes a finding. The rows, or undefined when refused. */
  attempt(check: CheckName, command: string, activity: string, use: (rows: Row[]) => Finding[]): Promise<Row[] | undefined>;
}

async function connectivityChecks(c: RunContext): Promise<boolean> {
  const { o } = c;
  let version: Row[];
  try {
    version = await c.run(cmd.showVersionCommand(), 'version');
  } catch (e) {
    throw new DoctorConnectionError(o.clusterUrl, o.database, messageOf(e), { cause: e });
  }
  const databases = await c.run(cmd.showDatabasesCommand(), 'databases').catch((e: unknown) => ({ error: messageOf(e) }));
  const connectivity = checkConnectivity({ clusterUrl: o.clusterUrl, database: o.database, version, databases });
  c.findings.push(...connectivity);
  // A database the caller cannot see: every further command would fail for the same reason.
  if (connectivity.some((f) => f.status === 'fail')) return false;
  const roles = await c.run(cmd.showPrincipalRolesCommand(), 'roles').then((rows) => ({ rows }), (e: unknown) => ({ error: messageOf(e) }));
  c.findings.push(...checkRoles(o.database, roles));
  return true;
}

async function requestChecks(c: RunContext, requestId: string): Promise<void> {
  // Queries too: a single-mode read fails in a query, not a command. Their journal is optional here.
  let queries: Row[] = [];
  try {
    queries = await c.run(cmd.queriesForRequestIdCommand(requestId), 'queries');
  } catch (e) {
    c.findings.push(skipped('commands', cmd.queriesForRequestIdCommand(requestId), e));
  }
  const commands = await c.attempt('commands', cmd.commandsForRequestIdCommand(requestId), 'commands', (rows) => checkRequestCommands(requestId, [...rows, ...queries]));
  if (!commands || commands.length === 0) return;
  // Operations start after their command: look from a minute before the first one.
  const first = Math.min(...commands.map((r) => date(r, 'StartedOn')?.getTime() ?? c.now().getTime()));
  await c.attempt('operations', cmd.operationsSinceCommand(new Date(first - 60_000)), 'operations', (rows) => checkRequestOperations(requestId, commands, rows, c.now()));
}

/** auto_delete expiries are looked up for this many tables at most (one command each). */
const MAX_EXPIRY_LOOKUPS = 20;

async function tempTableChecks(c: RunContext): Promise<LeftoverTable[]> {
  const rows = await c.attempt('temp-tables', cmd.leftoverStagingTablesCommand(), 'tempTables', () => []);
  if (rows === undefined) return [];
  const found = leftoverTables(rows, c.now(), c.o.requestId);
  const expiries = new Map<string, string | null>();
  for (const t of found.slice(0, MAX_EXPIRY_LOOKUPS)) {
    // Informational: a table whose policy cannot be read is listed without its expiry.
    const policy = await c.run(cmd.tableAutoDeletePolicyCommand(t.name), 'autoDeletePolicy').then((r) => r[0]?.['Policy'] ?? null, () => undefined);
    if (policy !== undefined) expiries.set(t.name, autoDeleteExpiry(policy));
  }
  const leftovers = withAutoDelete(found, expiries);
  c.findings.push(...checkLeftoverTempTables(c.o.database, leftovers));
  return leftovers;
}

async function tableChecks(c: RunContext, table: string): Promise<void> {
  const { o } = c;
  const exists = await c.attempt('table', cmd.tableExistsCommand(table), 'tableExists', (rows) => checkTableExists(o.database, table, rows));
  if (exists !== undefined && !exists.some((r) => r['TableName'] === table)) return;
  await c.attempt('ingestion-failures', cmd.ingestionFailuresCommand(table, new Date(c.now().getTime() - o.sinceMs)), 'ingestionFailures', (rows) => checkIngestionFailures(table, rows, o.sinceMs));
  const policy = async (command: string, activity: string): Promise<unknown> => (await c.run(command, activity))[0]?.['Policy'] ?? null;
  try {
    const tablePolicy = await policy(cmd.tableBatchingPolicyCommand(table), 'batchingPolicy');
    const databasePolicy = await policy(cmd.databaseBatchingPolicyCommand(o.database), 'databaseBatchingPolicy');
    c.findings.push(...checkBatchingPolicy({ table, tablePolicy, databasePolicy, timeoutLimitSeconds: o.timeoutLimitSeconds }));
  } catch (e) {
    c.findings.push(skipped('batching-policy', cmd.tableBatchingPolicyCommand(table), e));
  }
  try {
    const tablePolicy = await policy(cmd.tableStreamingPolicyCommand(table), 'streamingPolicy');
    const databasePolicy = await policy(cmd.databaseStreamingPolicyCommand(o.database), 'databaseStreamingPolicy');
    c.findings.push(...checkStreamingPolicy({ table, tablePolicy, databasePolicy }));
  } catch (e) {
    c.findings.push(skipped('streaming-policy', cmd.tableStreamingPolicyCommand(table), e));
  }
}

export async function runDoctor(client: DoctorClient, o: DoctorRunOptions): Promise<DoctorRun> {
  const findings: Finding[] = [];
  const run = (command: string, activity: string) => client.mgmt(o.database, command, `KJOB.doctor.${activity}`);
  const c: RunContext = {
    o,
    now: o.now ?? (() => new Date()),
    findings,
    run,
    async attempt(check, command, activity, use) {
      try {
        const rows = await run(command, activity);
        findings.push(...use(rows));
        return rows;
      } catch (e) {
        findings.push(skipped(check, command, e));
        return undefined;
      }
    },
  };
  if (!(await connectivityChecks(c))) return { findings, leftovers: [] };
  if (o.requestId !== undefined) await requestChecks(c, o.requestId);
  const leftovers = await tempTableChecks(c);
  if (o.table !== undefined) await tableChecks(c, o.table);
  return { findings, leftovers };
}
