/** Options shared by the Kusto source and sink (reference §1.1), resolved once. */
import { randomUUID } from 'node:crypto';
import { InvalidParameterException } from '../errors/parameter-errors.js';
import { resolveKustoAuth, type KustoAuth } from './auth-options.js';
import { parseClientRequestProperties, type ResolvedClientRequestProperties } from './client-request-properties.js';
import { normalizeClusterUrl } from './cluster-url.js';
import { resolveDebugOptions, type ResolvedKustoDebugOptions } from './debug-options.js';
import { COMMON_KEYS as K } from './option-keys.js';
import type { OptionMap } from './option-map.js';

export interface ResolvedKustoCoordinates {
  readonly engineUrl: string;
  readonly ingestUrl: string;
  readonly clusterAlias: string;
  readonly database: string;
  /** A plain-http endpoint (the local emulator). */
  readonly local: boolean;
}

export interface ResolvedKustoCommonOptions {
  readonly coordinates: ResolvedKustoCoordinates;
  readonly auth: KustoAuth;
  /** `timeoutLimit`: write polling/finalize wait and export wait. Negative: wait forever. @defaultValue 172800 s */
  readonly timeoutLimitSeconds: number;
  readonly timeoutLimitMs: number;
  readonly clientRequestProperties: ResolvedClientRequestProperties;
  /** `requestId`: prefix of every client request id, part of the temp table name and tags. @defaultValue random UUID */
  readonly requestId: string;
  readonly debug: ResolvedKustoDebugOptions;
}

export const DEFAULT_TIMEOUT_LIMIT_SECONDS = 172_800;

export function resolveCommonOptions(o: OptionMap, { allowProxy }: { allowProxy: boolean }): ResolvedKustoCommonOptions {
  const cluster = o.getNonBlank(K.cluster);
  if (cluster === undefined) throw new InvalidParameterException('KUSTO_CLUSTER parameter is missing. Must provide a destination cluster name', { option: K.cluster });
  const database = o.getNonBlank(K.database);
  if (database === undefined) throw new InvalidParameterException('KUSTO_DATABASE parameter is missing. Must provide a destination database name', { option: K.database });
  const ingestionUri = o.getNonBlank(K.ingestionUri);
  const urls = normalizeClusterUrl(cluster, { allowProxy, ...(ingestionUri === undefined ? {} : { ingestionUri }) });
  const timeoutLimitSeconds = o.integer(K.timeoutLimit, DEFAULT_TIMEOUT_LIMIT_SECONDS);
  if (timeoutLimitSeconds === 0) throw new InvalidParameterException(`Option '${K.timeoutLimit}' must not be 0 (seconds; negative waits forever)`, { option: K.timeoutLimit });
  const requestId = o.getNonBlank(K.requestId) ?? randomUUID();
  if (/[\r\n;]/.test(requestId)) throw new InvalidParameterException(`Option '${K.requestId}' must not contain ';' or line breaks`, { option: K.requestId });
  return {
    coordinates: { engineUrl: urls.engineUrl, ingestUrl: urls.ingestUrl, clusterAlias: urls.alias, database, local: urls.local },
    auth: resolveKustoAuth(o, { localEndpoint: urls.local }),
    timeoutLimitSeconds,
    timeoutLimitMs: timeoutLimitSeconds * 1000,
    clientRequestProperties: parseClientRequestProperties(o.get(K.clientRequestPropertiesJson)),
    requestId,
    debug: resolveDebugOptions(o),
  };
}
