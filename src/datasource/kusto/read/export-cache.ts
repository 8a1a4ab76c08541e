/**
 * `distributedReadModeTransientCache` (reference §4.4 step 2): the export of a (query, coordinates,
 * auth) is reused by later reads in this process, and its files are kept. Unlike the connector the key
 * includes the pushed-down query text, so a cached export never serves other filters than it was
 * made with (the cache turns pushdown off by default, making the key the plain query).
 */
export interface CachedExport {
  /** Readable directory URLs (SAS included; never logged). */
  readonly directories: readonly string[];
  /** Merged storage conf entries used to resolve them. */
  readonly conf: ReadonlyMap<string, string>;
}

const exports = new Map<string, CachedExport>();

export function exportCacheKey(parts: { engineUrl: string; database: string; query: string; auth: string }): string {
  return JSON.stringify([parts.engineUrl, parts.database, parts.auth, parts.query]);
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
