/**
 * `distributedReadModeTransientCache` (reference §4.4 step 2): the export of a (query, coordinates,
 * auth) is reused by later reads in this process, and its files are kept. Unlike the connector the key
 * includes the pushed-down query text, so a cached export never serves other filters than it was
 * made with (the cache turns pushdown off by default, making the key the plain query).
 * The auth part is the method's description plus a hash of its secret (token, app secret, Key Vault
 * key): another token or app secret is another principal, whose permissions must be checked by its
 * own export, and the key never holds the secret itself.
 */
import { createHash } from 'node:crypto';
import { describeKustoAuth, type KustoAuth } from '../options/auth-options.js';
export interface CachedExport {
  /** Readable directory URLs (SAS included; never logged). */
  readonly directories: readonly string[];
  /** Merged storage conf entries used to resolve them. */
  readonly conf: ReadonlyMap<string, string>;
}

const exports = new Map<string, CachedExport>();

export function exportCacheKey(parts: { engineUrl: string; database: string; query: string; auth: KustoAuth }): string {
  return JSON.stringify([parts.engineUrl, parts.database, authIdentity(parts.auth), parts.query]);
}

function authIdentity(auth: KustoAuth): string {
  const secret = auth.kind === 'accessToken' ? auth.token : auth.kind === 'appSecret' ? auth.appSecret : auth.kind === 'appCertificate' ? auth.certPassword : auth.kind === 'keyVault' ? auth.appKey : undefined;
  const digest = secret ? ` #${createHash('sha256').update(secret.reveal()).digest('base64url')}` : '';
  return `${describeKustoAuth(auth)}${digest}`;
}

export function cachedExport(key: string): CachedExport | undefined {
  return exports.get(key);
}

export function rememberExport(key: string, value: CachedExport): void {
  exports.set(key, value);
}

export function clearExportCache(): void {
  exports.clear();
}
