import type { Command } from 'commander';
import { ConfigError } from '../../errors/kjob-error.js';
import { childLogger } from '../../util/logger.js';
import type { CommandModule } from '../command-module.js';
import { runUntilSignal } from '../run-until-signal.js';

/**
 * `kjob emulator [--port N] [--host H] [--data-dir D]`: runs the local Kusto emulator until
 * SIGINT/SIGTERM. Prints `KUSTO_CLUSTER_URL=http://…` on one stdout line once it accepts requests
 * (logs go to stderr), so scripts can read the URL.
 */
function parsePort(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`--port must be an integer between 0 and 65535, got '${raw}'`, { context: { option: 'port' } });
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A positive integer flag, else a ConfigError naming it. */
export function parsePositive(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`--${flag} must be a positive integer, got '${raw}'`, { context: { option: flag } });
  return n;
}

/** `--auth-token tok=aadapp=x` entries (split at the first '=') → auth options; undefined when none. */
function authOptions(tokens: readonly string[], admins: readonly string[]): { tokens: Record<string, string>; clusterAdmins: string[] } | undefined {
  if (tokens.length === 0) {
    if (admins.length > 0) throw new ConfigError('--cluster-admin needs at least one --auth-token (auth is off without tokens)', { context: { option: 'cluster-admin' } });
    return undefined;
  }
  const map: Record<string, string> = {};
  for (const t of tokens) {
    const eq = t.indexOf('=');
    if (eq <= 0 || eq === t.length - 1) throw new ConfigError("--auth-token must look like <token>=<principal>, e.g. tok1=aadapp=myapp", { context: { option: 'auth-token' } });
    map[t.slice(0, eq)] = t.slice(eq + 1);
  }
  return { tokens: map, clusterAdmins: [...admins] };
}

export const command: CommandModule = {
  register(program: Command): void {
    program
      .command('emulator')
      .description('Run the local Kusto (Azure Data Explorer) emulator')
      .option('--port <port>', 'port to listen on (0 picks a free one)', '8080')
      .option('--host <host>', 'address to bind', '127.0.0.1')
      .option('--data-dir <dir>', 'keep data in this directory across restarts (default: in memory)')
      .option('--advertised-host <name>', 'host name clients use to reach the in-process storage (e.g. the docker-compose service name); added to the table certificate')
      .option('--storage-connection-string <cs>', 'use this storage account (account key) instead of starting Azurite in process')
      .option('--auth-token <token=principal>', 'enable auth: a bearer token and its principal, e.g. tok1=aadapp=myapp (repeatable)', collect, [])
      .option('--cluster-admin <principal>', 'with auth: a principal allowed everything (repeatable)', collect, [])
      .option('--max-result-rows <n>', 'result-set record limit of client queries (E_QUERY_RESULT_SET_TOO_LARGE above it)', '500000')
      .option('--max-result-bytes <n>', 'result-set size limit of client queries, in bytes (64 MB like the service)', String(64 * 1024 * 1024))
      .action(async (opts: { port: string; host: string; dataDir?: string; storageConnectionString?: string; advertisedHost?: string; authToken: string[]; clusterAdmin: string[]; maxResultRows: string; maxResultBytes: string }) => {
        const log = childLogger({ component: 'emulator' });
        const { startEmulator } = await import('../../emulator/index.js');
        const auth = authOptions(opts.authToken, opts.clusterAdmin);
        const maxResultRows = parsePositive(opts.maxResultRows, 'max-result-rows');
        const maxResultBytes = parsePositive(opts.maxResultBytes, 'max-result-bytes');
        const emu = await startEmulator({ port: parsePort(opts.port), host: opts.host, maxResultRows, maxResultBytes, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), ...(opts.storageConnectionString ? { storageConnectionString: opts.storageConnectionString } : {}), ...(auth ? { auth } : {}), dataManagement: { storageHost: opts.host, ...(opts.advertisedHost ? { advertisedHost: opts.advertisedHost } : {}) } });
        process.stdout.write(`KUSTO_CLUSTER_URL=${emu.clusterUrl}\n`);
        // The in-process Azurite uses the public development key; an account the user passed in keeps its key off stdout.
        if (emu.dataManagement.caCertPath) {
          process.stdout.write(`KUSTO_STORAGE_CONNECTION_STRING=${emu.dataManagement.connectionString}\n`);
          process.stdout.write(`NODE_EXTRA_CA_CERTS=${emu.dataManagement.caCertPath}\n`);
        } else process.stdout.write(`KUSTO_STORAGE_BLOB_ENDPOINT=${emu.dataManagement.blobEndpoint}\n`);
        log.info({ clusterUrl: emu.clusterUrl, dataDir: opts.dataDir ?? null }, 'Kusto emulator ready');
        await runUntilSignal(log, () => emu.stop());
      });
  },
};
