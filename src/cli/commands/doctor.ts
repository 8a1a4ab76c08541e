import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { CommanderError, type Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import { isKjobError } from '../../errors/kjob-error.js';
import { redact } from '../../util/redact.js';
import { DEFAULT_SINCE, resolveDoctorOptions, type DoctorCliInput, type ResolvedDoctorOptions } from './doctor-options.js';

/**
 * `kjob doctor --cluster <url> --database <db> [--request-id <id>] [--table <t>] [--json] [--cleanup [--yes]]`:
 * the troubleshooting checklist (src/doctor). Exit codes: 0 nothing wrong, 1 a finding failed or warned
 * (warnings only: 0 with --ignore-warnings), 2 bad usage or the cluster could not be reached.
 */
const USAGE_EXIT = 2;

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Where the doctor writes and how it asks; the process's streams in the CLI, doubles in tests. */
export interface DoctorIo {
  write(text: string): void;
  /** Progress for a person (the tables about to be dropped): stderr, so stdout stays the report. */
  note(text: string): void;
  /** Whether a person can answer a question (stdin is a terminal). */
  readonly interactive: boolean;
  confirm(question: string): Promise<boolean>;
}

const processIo: DoctorIo = {
  write: (text) => process.stdout.write(text),
  note: (text) => process.stderr.write(text),
  interactive: process.stdin.isTTY === true,
  confirm,
};

/** Runs the checks, the confirmed cleanup, prints the report; returns the exit code (0 or 1). */
export async function runDoctorCommand(o: ResolvedDoctorOptions, io: DoctorIo = processIo): Promise<number> {
  const { driverCredential } = await import('../../datasource/kusto/client/credentials.js');
  const { KustoEngineClient, closeEngineClients } = await import('../../datasource/kusto/client/engine-client.js');
  const { describeKustoAuth } = await import('../../datasource/kusto/options/auth-options.js');
  const d = await import('../../doctor/index.js');
  // No credential (and no @azure/identity load) for a plain-http emulator.
  const credential = o.auth.kind === 'none' ? undefined : await driverCredential(o.auth);
  const engine = new KustoEngineClient(o.engineUrl, credential, { requestId: `kjob-doctor-${randomUUID()}` });
  const client = { mgmt: (db: string, command: string, activity: string) => engine.mgmt(db, command, { activity }) };
  try {
    const run = await d.runDoctor(client, {
      clusterUrl: o.engineUrl,
      database: o.database,
      sinceMs: o.sinceMs,
      timeoutLimitSeconds: o.timeoutLimitSeconds,
      ...(o.requestId !== undefined ? { requestId: o.requestId } : {}),
      ...(o.table !== undefined ? { table: o.table } : {}),
    });
    let findings = run.findings;
    const header = `kjob doctor: ${o.engineUrl}, database '${o.database}' (${describeKustoAuth(o.auth)})`;
    const print = () => {
      const report = d.reportOf(findings, { ignoreWarnings: o.ignoreWarnings });
      io.write(o.json ? d.renderJson(report) : d.renderReport(report, header));
      return report;
    };
    if (o.cleanup) {
      const targets = d.tablesToClean(run.leftovers, o.requestId);
      if (targets.length === 0) {
        findings = [...findings, { check: 'cleanup', status: 'info', title: 'Nothing to clean up' }];
      } else {
        let go = o.yes;
        if (!go) {
          if (!io.interactive) {
            print();
            throw new d.CleanupNotConfirmedError(targets.length);
          }
          io.note(`${targets.map((t) => `  ${t.name} (${t.rows} row(s))`).join('\n')}\n`);
          go = await io.confirm(`Drop these ${targets.length} table(s) from '${o.database}'? Make sure no write is running. [y/N] `);
        }
        findings = go
          ? d.afterCleanup(findings, await d.dropLeftoverTables(client, o.database, targets), run.leftovers)
          : [...findings, { check: 'cleanup', status: 'info', title: 'Cleanup not confirmed: nothing dropped' }];
      }
    }
    return d.exitCodeOf(print());
  } finally {
    closeEngineClients();
  }
}

export const command: CommandModule = {
  register(program: Command): void {
    program
      .command('doctor')
      .description('Check a Kusto database for what breaks kjob jobs: failed commands and operations of a request, leftover staging tables, ingestion failures, batching and streaming policies, roles')
      .option('--cluster <url>', 'engine URL (https://<cluster>.<region>.kusto.windows.net, or the emulator URL; env KUSTO_CLUSTER_URL)')
      .option('--database <db>', 'the database to check')
      .option('--request-id <id>', "a job's request id (from its error's 'Request id', or its requestId option): its commands and async operations")
      .option('--table <table>', 'a destination table: its recent ingestion failures, batching and streaming policies')
      .option('--since <duration>', 'window of the ingestion failures, e.g. 6h, 2d', DEFAULT_SINCE)
      .option('--timeout-limit <seconds>', "the sink's timeoutLimit the batching policy is judged against (default 172800)")
      .option('--json', 'print {ok, findings:[…]} as JSON')
      .option('--ignore-warnings', 'exit 0 when only warnings were found (default: a warning is a problem, exit 1)')
      .option('--cleanup', 'drop leftover sparkTempTable_* tables (only those of --request-id when given); asks first')
      .option('--yes', 'with --cleanup: do not ask')
      .option('--app-id <id>', 'AAD application id (secret from KUSTO_AAD_APP_SECRET, or --cert-path)')
      .option('--authority <tenant>', 'AAD tenant of --app-id (default microsoft.com)')
      .option('--cert-path <pfx>', 'PFX certificate of --app-id (password from KUSTO_AAD_APP_CERT_PASSWORD)')
      .option('--managed-identity', 'use the managed identity (system-assigned)')
      .option('--managed-identity-client-id <id>', 'use a user-assigned managed identity')
      .option('--token-provider <module>', 'a module exporting a function returning a bearer token')
      .addHelpText('after', '\nWithout an auth flag: KUSTO_ACCESS_TOKEN if set, else Azure CLI / default credential (https), none for an http emulator.\nExit codes: 0 ok, 1 problems found, 2 usage or connection error.')
      .exitOverride((err) => {
        // Usage errors exit 2 like the doctor's own; help and version keep commander's 0.
        if (err.exitCode === 0) throw err;
        throw new CommanderError(USAGE_EXIT, err.code, err.message);
      })
      .action(async (input: DoctorCliInput) => {
        let code = USAGE_EXIT;
        try {
          code = await runDoctorCommand(resolveDoctorOptions(input));
        } catch (err) {
          process.stderr.write(`${isKjobError(err) ? err.describe() : redact(err instanceof Error ? `${err.name}: ${err.message}` : String(err))}\n`);
          code = USAGE_EXIT;
        }
        process.exit(code);
      });
  },
};
