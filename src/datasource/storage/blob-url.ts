/**
 * Pure parsing of Azure Blob URLs in both addressing styles:
 * - host style (real Azure): `https://<account>.blob.<suffix>/<container>/<path>?<sas>`
 * - path style (Azurite, IP endpoints): `http://127.0.0.1:10000/<account>/<container>/<path>?<sas>`
 */

export interface BlobAddress {
  /** Service endpoint without trailing slash, e.g. `https://acct.blob.core.windows.net` or `http://127.0.0.1:10000/devstoreaccount1`. */
  readonly endpoint: string;
  readonly account: string;
  readonly container: string;
  /** Blob name or prefix inside the container ('' for the container root); may contain glob characters. */
  readonly path: string;
  /** SAS query string without the leading '?', or '' when the URL carries none. */
  readonly sas: string;
  readonly style: 'host' | 'path';
}

const HOST_STYLE = /^([a-z0-9]{3,24})\.blob\.(.+)$/i;

/** Whether a string looks like an http(s) URL to blob storage (anything http(s) is treated as blob storage). */
export function isHttpUrl(raw: string): boolean {
  return /^https?:\/\//i.test(raw);
}

/** Parses a blob URL; returns undefined for strings that are not http(s) URLs, throws on malformed ones. */
export function parseBlobUrl(raw: string): BlobAddress | undefined {
  if (!isHttpUrl(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError('malformed URL');
  }
  const sas = url.search.startsWith('?') ? url.search.slice(1) : url.search;
  // Keep empty segments: a trailing '/' marks a prefix ("read this folder"), not a blob name.
  const decoded = url.pathname.slice(1).split('/').map((s) => decodeURIComponent(s));
  const origin = `${url.protocol}//${url.host}`;
  const host = HOST_STYLE.exec(url.hostname);
  if (host) {
    const [container, ...rest] = decoded;
    if (!container) throw new TypeError('the URL names no container');
    return { endpoint: origin, account: host[1]!.toLowerCase(), container, path: rest.join('/'), sas, style: 'host' };
  }
  const [account, container, ...rest] = decoded;
  if (!account || !container) throw new TypeError('a path-style blob URL needs /<account>/<container>/...');
  return { endpoint: `${origin}/${account}`, account, container, path: rest.join('/'), sas, style: 'path' };
}

/** The URL of one blob (or of the container when `name` is ''), with the address's SAS appended. */
export function blobUrlOf(addr: Pick<BlobAddress, 'endpoint' | 'container' | 'sas'>, name: string): string {
  const encodedName = name
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
  const base = `${addr.endpoint}/${encodeURIComponent(addr.container)}${name ? `/${encodedName}` : ''}`;
  return addr.sas ? `${base}?${addr.sas}` : base;
}
