/**
 * The Kusto write job's state: what `prepareWrite` hands every write task (through the task payload,
 * hence through Redis under the BullMQ backend). Plain JSON and secret-free: the user's options with
 * every auth option removed (executors resolve their own credential, client/credentials.ts), the
 * request id fixed (so every task tags and names its blobs with the same id), and the ingestion
 * properties executors must send (the staging copy: generated CSV mapping, no ingestIfNotExists).
 */
import { COMMON_KEYS, CERT_PASSWORD_ALIAS, CERT_PATH_ALIAS, SINK_KEYS } from '../options/option-keys.js';
import type { ExecutorAuth } from '../client/credentials.js';
import { resolveKustoSinkOptions, type ResolvedKustoSinkOptions } from '../options/sink-options.js';
import { InvalidParameterException } from '../errors/parameter-errors.js';

export const KUSTO_WRITE_STATE_VERSION = 1;

export interface KustoWriteState {
  readonly v: typeof KUSTO_WRITE_STATE_VERSION;
  /** Secret-free options, re-resolved on each executor. */
  readonly options: Readonly<Record<string, string>>;
  readonly executorAuth: ExecutorAuth;
  /** Transactional: the staging table blobs are ingested into. */
  readonly stagingTable: string | undefined;
  /** The staging name (also built in Queued/KustoStreaming) used in blob names. */
  readonly blobNamePrefix: string;
  /** gzip level of the blobs (session conf `kjob.kusto.gzipLevel`). */
  readonly gzipLevel: number;
  /** ISO instant the write started: the lower bound of the extents moved. */
  readonly startedAt: string;
  readonly requestId: string;
  /** Epoch ms at the end of prepareWrite, and how long it took (job summary phases). */
  readonly preparedAt?: number;
  readonly prepareMs?: number;
  /** Queued: report each blob to the status table and wait for it at commit (session conf QUEUED_WAIT_CONF). */
  readonly queuedWaitForIngestion?: boolean;
}

/** Session conf: Queued writes wait for every blob's ingestion and fail on service-side failures. @defaultValue false */
export const QUEUED_WAIT_CONF = 'kjob.kusto.queued.waitForIngestion';

const AUTH_KEYS = [
  COMMON_KEYS.appId,
  COMMON_KEYS.appSecret,
  COMMON_KEYS.authorityId,
  COMMON_KEYS.certPath,
  COMMON_KEYS.certPassword,
  CERT_PATH_ALIAS,
  CERT_PASSWORD_ALIAS,
  COMMON_KEYS.accessToken,
  COMMON_KEYS.tokenProvider,
  COMMON_KEYS.managedIdentity,
  COMMON_KEYS.managedIdentityClientId,
  COMMON_KEYS.userPrompt,
  COMMON_KEYS.keyVaultUri,
  COMMON_KEYS.keyVaultAppId,
  COMMON_KEYS.keyVaultAppKey,
].map((k) => k.toLowerCase());

/** The options executors receive: no auth option at all, a fixed request id and the staging ingestion properties. */
export function executorOptions(options: Readonly<Record<string, string>>, fixed: { requestId: string; ingestionPropertiesJson: string | undefined }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) {
    const lower = k.toLowerCase();
    if (AUTH_KEYS.includes(lower) || lower === COMMON_KEYS.requestId.toLowerCase() || lower === SINK_KEYS.sparkIngestionPropertiesJson.toLowerCase()) continue;
    out[k] = v;
  }
  out[COMMON_KEYS.requestId] = fixed.requestId;
  if (fixed.ingestionPropertiesJson !== undefined) out[SINK_KEYS.sparkIngestionPropertiesJson] = fixed.ingestionPropertiesJson;
  return out;
}

export function readWriteState(state: Readonly<Record<string, unknown>>): KustoWriteState {
  const s = state as unknown as KustoWriteState;
  if (s?.v !== KUSTO_WRITE_STATE_VERSION || typeof s.options !== 'object' || typeof s.requestId !== 'string') {
    throw new InvalidParameterException('The Kusto write-job state is missing or from another kjob version; run the same kjob version on driver and executors');
  }
  return s;
}

/** Options as an executor sees them (resolution validated on the driver already). */
export function executorSinkOptions(state: KustoWriteState): ResolvedKustoSinkOptions {
  return resolveKustoSinkOptions(state.options);
}
