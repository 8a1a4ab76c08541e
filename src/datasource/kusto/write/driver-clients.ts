/** The driver's Kusto clients for one write: engine client (with the write's request id) and credential. */
import type { TokenCredential } from '@azure/identity';
import { driverCredential } from '../client/credentials.js';
import { KustoEngineClient } from '../client/engine-client.js';
import type { ResolvedKustoSinkOptions } from '../options/sink-options.js';

export interface DriverClients {
  readonly engine: KustoEngineClient;
  readonly credential: TokenCredential | undefined;
  readonly authKey: string;
}

const credentials = new WeakMap<object, Promise<TokenCredential | undefined>>();

export async function driverClients(options: ResolvedKustoSinkOptions): Promise<DriverClients> {
  let pending = credentials.get(options);
  if (!pending) credentials.set(options, (pending = driverCredential(options.auth)));
  const credential = await pending;
  // Only credential-free clients are shared (a credential object is not a stable cache key).
  const authKey = options.auth.kind === 'none' ? 'none' : `driver:${options.requestId}`;
  const engine = new KustoEngineClient(options.coordinates.engineUrl, credential, {
    requestId: options.requestId,
    clientRequestProperties: options.clientRequestProperties,
    ...(options.auth.kind === 'none' ? { cacheKey: 'none' } : {}),
  });
  return { engine, credential, authKey };
}

// The user's resolved options (with their credentials) per write, kept in the driver process only: the
// job state shipped to tasks is secret-free, so commit/abort must not re-resolve auth from it.
const driverOptions = new Map<string, ResolvedKustoSinkOptions>();

export function rememberDriverOptions(o: ResolvedKustoSinkOptions): void {
  driverOptions.set(o.requestId, o);
}

/** The driver's options of a write (with the user's auth), or the shipped ones when this process did not prepare it. */
export function driverOptionsOf(requestId: string, shipped: () => ResolvedKustoSinkOptions): ResolvedKustoSinkOptions {
  return driverOptions.get(requestId) ?? shipped();
}

export function forgetDriverOptions(requestId: string): void {
  driverOptions.delete(requestId);
}
