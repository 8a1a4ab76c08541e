import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../errors/kjob-error.js';
import { redact } from '../../util/redact.js';
import { parseBlobUrl, type BlobAddress } from './blob-url.js';
import { isSealed } from '../../protocol/sealed-secret.js';
import { unsealTaskSecret } from '../../protocol/task-secret-key.js';
import { resolveHadoopLocation } from './hadoop-scheme-resolver.js';

/**
 * Where data lives: a local path (file, directory or glob) or a blob address (blob, prefix or glob).
 * Every user path and every file handed to an executor goes through `resolveLocation`, the single
 * place that turns a string plus the session conf into a location.
 */
export type Location = { readonly kind: 'local'; readonly path: string } | { readonly kind: 'blob'; readonly address: BlobAddress };

/** One data file found by a listing; `location` reopens it on any executor (an absolute path or a blob URL). */
export interface FileEntry {
  readonly location: string;
  readonly size: number;
}

/**
 * Turns a scheme-specific URL (e.g. `wasbs://container@account.blob.core.windows.net/path`) into a
 * location, using session conf for credentials (`fs.azure.sas.<container>.<account>.blob.<suffix>` …).
 * `wasbs`/`abfs`/`abfss` are built in (hadoop-scheme-resolver.ts); others may be registered.
 */
export type SchemeResolver = (raw: string, conf: ReadonlyMap<string, string>) => Location;

const schemeResolvers = new Map<string, SchemeResolver>();
// Hadoop-style Azure URLs resolve through the session conf's fs.azure.* keys (hadoop-scheme-resolver.ts).
for (const scheme of ['wasbs', 'abfs', 'abfss']) schemeResolvers.set(scheme, resolveHadoopLocation);

/** Registers the resolver for one URL scheme (lower-case, without '://'). */
export function registerSchemeResolver(scheme: string, resolver: SchemeResolver): void {
  schemeResolvers.set(scheme.toLowerCase(), resolver);
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

export function resolveLocation(raw: string, conf: ReadonlyMap<string, string> = new Map(), cwd: string = process.cwd()): Location {
  if (raw.trim() === '') throw new ConfigError('A data path is empty', { context: { path: raw } });
  const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'local', path: path.resolve(cwd, raw) };
  if (scheme === 'file') return { kind: 'local', path: fileURLToPath(raw) };
  if (scheme === 'http' || scheme === 'https') {
    let address: BlobAddress;
    try {
      address = parseBlobUrl(raw)!;
    } catch (e) {
      throw new ConfigError(`Not a valid blob URL: ${redact(raw)} (${(e as Error).message})`, {
        resolution: 'Use https://<account>.blob.core.windows.net/<container>/<path>?<sas> or http://host:port/<account>/<container>/<path>?<sas>.',
        context: { path: redact(raw) },
      });
    }
    // A SAS that crossed into a task sealed (sealed-location.ts) is opened at the point of use.
    return { kind: 'blob', address: isSealed(address.sas) ? { ...address, sas: unsealTaskSecret(address.sas, `the SAS of ${address.endpoint}/${address.container}`) } : address };
  }
  const resolver = schemeResolvers.get(scheme);
  if (resolver) return resolver(raw, conf);
  throw new ConfigError(`Unsupported storage scheme '${scheme}://' in ${redact(raw)}`, {
    resolution: `Supported: local paths, file://, http(s):// blob URLs${schemeResolvers.size ? `, ${[...schemeResolvers.keys()].map((s) => `${s}://`).join(', ')}` : ''}.`,
    context: { path: redact(raw), scheme },
  });
}

/**
 * Whether `raw` gets its credentials from the session conf (a registered scheme such as wasbs://):
 * the SAS of such files was never in the user's path, so it must not reach Redis in clear either.
 */
export function credentialsFromConf(raw: string): boolean {
  const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
  return scheme !== undefined && scheme !== 'file' && scheme !== 'http' && scheme !== 'https';
}

/** A location as text that is safe to print (SAS signature redacted). */
export function displayLocation(raw: string): string {
  return redact(raw);
}
