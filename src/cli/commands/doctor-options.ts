/**
 * `kjob doctor` flags → validated options, before any request. Auth reuses the Kusto data source's
 * resolution (options/auth-options.ts) with the same precedence; secrets come only from the
 * environment (never flags, which show in process listings): KUSTO_AAD_APP_SECRET for --app-id,
 * KUSTO_AAD_APP_CERT_PASSWORD for --cert-path, KUSTO_ACCESS_TOKEN for a bearer token.
 */
import { ConfigError } from '../../errors/kjob-error.js';
import { resolveKustoAuth, type KustoAuth } from '../../datasource/kusto/options/auth-options.js';
import { normalizeClusterUrl } from '../../datasource/kusto/options/cluster-url.js';
import { DEFAULT_TIMEOUT_LIMIT_SECONDS } from '../../datasource/kusto/options/common-options.js';
import { COMMON_KEYS as K } from '../../datasource/kusto/options/option-keys.js';
import { OptionMap } from '../../datasource/kusto/options/option-map.js';
import { parseSince } from '../../doctor/durations.js';

export interface DoctorCliInput {
  cluster?: string;
  database?: string;
  requestId?: string;
  table?: string;
  since?: string;
  timeoutLimit?: string;
  json?: boolean;
  ignoreWarnings?: boolean;
  cleanup?: boolean;
  yes?: boolean;
  appId?: string;
  authority?: string;
  certPath?: string;
  managedIdentity?: boolean;
  managedIdentityClientId?: string;
  tokenProvider?: string;
}

export interface ResolvedDoctorOptions {
  readonly engineUrl: string;
  readonly database: string;
  readonly auth: KustoAuth;
  readonly requestId: string | undefined;
  readonly table: string | undefined;
  readonly sinceMs: number;
  readonly timeoutLimitSeconds: number;
  readonly json: boolean;
  readonly ignoreWarnings: boolean;
  readonly cleanup: boolean;
  readonly yes: boolean;
}

/** The environment variables doctor reads. */
export const DOCTOR_ENV = ['KUSTO_CLUSTER_URL', 'KUSTO_ACCESS_TOKEN', 'KUSTO_AAD_APP_SECRET', 'KUSTO_AAD_APP_CERT_PASSWORD'] as const;

export const DEFAULT_SINCE = '24h';

function nonBlank(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new ConfigError(`${flag} must not be empty`, { context: { option: flag } });
  return value;
}

export function resolveDoctorOptions(input: DoctorCliInput, env: NodeJS.ProcessEnv = process.env): ResolvedDoctorOptions {
  const cluster = nonBlank(input.cluster, '--cluster') ?? env['KUSTO_CLUSTER_URL'];
  if (cluster === undefined || cluster.trim() === '') {
    throw new ConfigError('--cluster is required (or set KUSTO_CLUSTER_URL)', { resolution: 'Give the engine URL, e.g. --cluster https://mycluster.westeurope.kusto.windows.net or the emulator URL.', context: { option: '--cluster' } });
  }
  const database = nonBlank(input.database, '--database');
  if (database === undefined) throw new ConfigError('--database is required', { context: { option: '--database' } });
  if (input.yes && !input.cleanup) throw new ConfigError('--yes only applies to --cleanup', { context: { option: '--yes' } });
  const timeoutText = input.timeoutLimit ?? String(DEFAULT_TIMEOUT_LIMIT_SECONDS);
  const timeoutLimitSeconds = /^-?\d+$/.test(timeoutText.trim()) ? Number(timeoutText) : NaN;
  if (!Number.isSafeInteger(timeoutLimitSeconds) || timeoutLimitSeconds === 0) {
    throw new ConfigError(`--timeout-limit must be a whole number of seconds other than 0 (the sink's timeoutLimit; negative waits forever), got '${timeoutText}'`, { context: { option: '--timeout-limit' } });
  }
  const urls = normalizeClusterUrl(cluster);
  const options: Record<string, string | undefined> = {
    [K.cluster]: cluster,
    [K.database]: database,
    [K.appId]: input.appId,
    [K.appSecret]: input.appId !== undefined ? env['KUSTO_AAD_APP_SECRET'] : undefined,
    [K.authorityId]: input.authority,
    [K.certPath]: input.certPath,
    [K.certPassword]: input.certPath !== undefined ? env['KUSTO_AAD_APP_CERT_PASSWORD'] : undefined,
    [K.managedIdentity]: input.managedIdentity || input.managedIdentityClientId !== undefined ? 'true' : undefined,
    [K.managedIdentityClientId]: input.managedIdentityClientId,
    [K.tokenProvider]: input.tokenProvider,
    // The environment token is the fallback, so an explicit method given by flag wins over it.
    [K.accessToken]: input.appId === undefined && input.tokenProvider === undefined ? env['KUSTO_ACCESS_TOKEN'] : undefined,
  };
  if (input.certPath !== undefined && input.appId === undefined) throw new ConfigError('--cert-path needs --app-id', { context: { option: '--cert-path' } });
  return {
    engineUrl: urls.engineUrl,
    database,
    auth: resolveKustoAuth(new OptionMap(options), { localEndpoint: urls.local }),
    requestId: nonBlank(input.requestId, '--request-id'),
    table: nonBlank(input.table, '--table'),
    sinceMs: parseSince(input.since ?? DEFAULT_SINCE),
    timeoutLimitSeconds,
    json: input.json === true,
    ignoreWarnings: input.ignoreWarnings === true,
    cleanup: input.cleanup === true,
    yes: input.yes === true,
  };
}
