/**
 * The clients one Kusto read uses, built from its resolved options: the raw V2 query client
 * (exact values) and the SDK-based engine client for management commands (`.export`,
 * `.show operations`) and the DM endpoint (`.show export containers`).
 */
import type { TokenCredential } from '@azure/identity';
import { driverCredential, executorCredential, type ExecutorAuth } from '../client/credentials.js';
import { KustoEngineClient } from '../client/engine-client.js';
import type { ResolvedClientRequestProperties } from '../options/client-request-properties.js';
import type { ResolvedKustoSourceOptions } from '../options/source-options.js';
import { KustoQueryClient } from '../rest/kusto-query-client.js';

export interface KustoReadClients {
  readonly query: KustoQueryClient;
  readonly engine: KustoEngineClient;
  readonly dm: KustoEngineClient;
  readonly credential: TokenCredential | undefined;
}

export async function driverReadClients(o: ResolvedKustoSourceOptions): Promise<KustoReadClients> {
  const credential = await driverCredential(o.auth);
  const crp = o.clientRequestProperties;
  return {
    credential,
    query: new KustoQueryClient({ engineUrl: o.coordinates.engineUrl, database: o.coordinates.database, requestId: o.requestId, credential, clientRequestProperties: crp }),
    engine: new KustoEngineClient(o.coordinates.engineUrl, credential, { requestId: o.requestId, clientRequestProperties: crp }),
    // clientRequestPropertiesJson is honoured in full on every request of a read, the DM's `.show export containers` too (the connector forwarded only the id, §2.3).
    dm: new KustoEngineClient(o.coordinates.ingestUrl, credential, { requestId: o.requestId, clientRequestProperties: crp }),
  };
}

/** What an executor needs to run a Single-mode query: coordinates and the auth kind, no secret. */
export interface ExecutorQueryTarget {
  readonly engineUrl: string;
  readonly database: string;
  readonly requestId: string;
  readonly auth: ExecutorAuth;
  readonly clientRequestProperties: ResolvedClientRequestProperties;
}

export async function executorQueryClient(t: ExecutorQueryTarget): Promise<KustoQueryClient> {
  const credential = await executorCredential(t.auth);
  return new KustoQueryClient({ engineUrl: t.engineUrl, database: t.database, requestId: t.requestId, credential, clientRequestProperties: t.clientRequestProperties });
}
