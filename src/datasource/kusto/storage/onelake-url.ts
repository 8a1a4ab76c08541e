/**
 * OneLake locations for transient storage (reference §5.3 `parseOneLake`). Accepted forms:
 * `https://<endpoint>/<workspace>/<artifact>/<subpath…>` and `abfss://<workspace>@<endpoint>/<artifact>/<subpath…>`,
 * each optionally ending in `;impersonate`. The result is canonical https; its parts are always
 * derived from the URL, never taken from elsewhere.
 */
import { InvalidParameterException } from '../errors/parameter-errors.js';

export interface OneLakeLocation {
  /** Canonical `https://<endpoint>/<workspace>/<artifactPath>` (no `;impersonate`). */
  readonly httpsUrl: string;
  readonly endpoint: string;
  readonly workspace: string;
  /** `<artifact>/<subpath…>`: at least two segments. */
  readonly artifactPath: string;
}

function fail(reason: string): never {
  throw new InvalidParameterException(`Invalid oneLakeUrl: ${reason}`, { option: 'transientStorage' });
}

function checkSegments(segments: readonly string[]): void {
  for (const s of segments) {
    if (s === '') fail('empty path segments are not allowed');
    let decoded: string;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      fail(`segment '${s}' is not valid percent-encoding`);
    }
    if (s === '.' || s === '..' || decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\')) fail('"." and ".." segments are not allowed');
  }
}

function checkHost(host: string): void {
  if (host === '' || /^localhost$/i.test(host)) fail('the host must be a OneLake endpoint, not localhost');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[')) fail('the host must be a DNS name, not an IP address');
  if (!host.includes('.')) fail('the host must be a fully qualified DNS name');
}

/** Parses a OneLake URL; returns undefined when `text` is not one (so the caller can try other forms). */
export function parseOneLakeUrl(text: string): OneLakeLocation {
  const raw = text.trim().replace(/;impersonate$/i, '');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail('not a URL');
  }
  if (url.search || raw.includes('?')) fail('a query string is not allowed');
  if (url.hash || raw.includes('#')) fail('a fragment is not allowed');
  if (url.port) fail('a port is not allowed');
  const host = url.hostname.toLowerCase();
  checkHost(host);
  let workspace: string;
  let pathSegments: string[];
  if (url.protocol === 'https:') {
    if (url.username || url.password) fail('user info is not allowed in an https OneLake URL');
    const segments = url.pathname.replace(/^\//, '').split('/');
    workspace = segments.shift() ?? '';
    pathSegments = segments;
  } else if (url.protocol === 'abfss:') {
    workspace = decodeURIComponent(url.username);
    if (!workspace || url.password) fail('abfss form must be abfss://<workspace>@<endpoint>/<artifact>/<path>');
    pathSegments = url.pathname.replace(/^\//, '').split('/');
  } else {
    fail(`protocol '${url.protocol.replace(/:$/, '')}' is not supported; use https or abfss`);
  }
  if (pathSegments.length > 0 && pathSegments[pathSegments.length - 1] === '') pathSegments.pop();
  checkSegments([workspace, ...pathSegments]);
  if (pathSegments.length < 2) fail('the artifact path needs at least two segments (<artifact>/<folder>)');
  const artifactPath = pathSegments.join('/');
  return { httpsUrl: `https://${host}/${workspace}/${artifactPath}`, endpoint: host, workspace, artifactPath };
}
