/**
 * Transient storage for Distributed reads (the `transientStorage` option, reference §5.3): where
 * `.export` writes its parquet files and how kjob authenticates to read them back.
 *
 * JSON property names are case-insensitive. As in the connector, `sasUrl` inside the JSON is
 * informational (the SAS fields must be given explicitly); {@link transientCredentialFromSasUrl}
 * parses a full SAS URL. toString/JSON/inspect never show keys or SAS tokens.
 */
import { inspect } from 'node:util';
import { InvalidParameterException } from '../errors/parameter-errors.js';
import { parseOneLakeUrl, type OneLakeLocation } from './onelake-url.js';

export const DEFAULT_ENDPOINT_SUFFIX = 'core.windows.net';
const IMPERSONATE = ';impersonate';

/**
 * `blobEndpoint` is set only for path-style endpoints (`http://127.0.0.1:10000/devstoreaccount1`:
 * Azurite, the local emulator's export containers); otherwise the endpoint is
 * `https://<account>.blob.<suffix>`.
 */
export type TransientStorageCredential =
  | { readonly authMethod: 'Sas'; readonly storageAccountName: string; readonly blobContainer: string; readonly sasKey: string; readonly domainSuffix?: string; readonly blobEndpoint?: string }
  | { readonly authMethod: 'Key'; readonly storageAccountName: string; readonly blobContainer: string; readonly storageAccountKey: string; readonly domainSuffix?: string; readonly blobEndpoint?: string }
  | { readonly authMethod: 'Impersonation'; readonly storageAccountName: string; readonly blobContainer: string; readonly domainSuffix?: string; readonly blobEndpoint?: string }
  | { readonly authMethod: 'OneLake'; readonly oneLake: OneLakeLocation };

function bad(message: string): never {
  throw new InvalidParameterException(message, { option: 'transientStorage' });
}

const SAS_URL = /^https:\/\/([^.]+)(\.[^.]+)?\.blob\.([^/]+)\/([^?]+?)(;impersonate|[?].+)$/;
// Path-style (Azurite, the local emulator): http(s)://<local host[:port]>/<account>/<container>?<sas>.
const PATH_STYLE_SAS_URL = /^(https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\]|[^/.:]+(?=:\d)|[0-9.]+)(?::\d+)?)\/([^/?;]+)\/([^?;]+?)(;impersonate|[?].+)$/i;

/**
 * Parses `https://<account>[.<zone>].blob.<suffix>/<container>?<sas>` (or `…/<container>;impersonate`),
 * and, for local storage, the path-style `http://127.0.0.1:10000/<account>/<container>?<sas>`.
 */
export function transientCredentialFromSasUrl(sasUrl: string): TransientStorageCredential {
  if (!sasUrl || sasUrl.trim() === '') bad('sasUrl is null or empty');
  const local = PATH_STYLE_SAS_URL.exec(sasUrl.trim());
  if (local) {
    const [, origin, account, container, sas] = local as unknown as [string, string, string, string, string];
    const base = { storageAccountName: account, blobContainer: container, blobEndpoint: `${origin}/${account}` };
    return sas === IMPERSONATE ? { authMethod: 'Impersonation', ...base } : { authMethod: 'Sas', ...base, sasKey: sas };
  }
  const m = SAS_URL.exec(sasUrl.trim());
  if (!m) bad('SAS url couldn\'t be parsed. Should be https://<storage-account>.blob.<domainEndpointSuffix>/<container>?<SAS-Token>');
  const [, account, zone = '', suffix, container, sas] = m as unknown as [string, string, string | undefined, string, string, string];
  const base = { storageAccountName: account + zone, blobContainer: container, domainSuffix: suffix };
  return sas === IMPERSONATE ? { authMethod: 'Impersonation', ...base } : { authMethod: 'Sas', ...base, sasKey: sas };
}

function lowerKeys(o: unknown, what: string): Map<string, unknown> {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) bad(`${what} must be a JSON object`);
  return new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
}

function str(m: Map<string, unknown>, key: string): string | undefined {
  const v = m.get(key.toLowerCase());
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') bad(`transientStorage: '${key}' must be a string`);
  return v;
}

function empty(v: string | undefined): v is undefined {
  return v === undefined || v.trim() === '';
}

/** One credential object of `storageCredentials`, validated. */
export function parseTransientCredential(json: unknown): TransientStorageCredential {
  if (json === null || json === undefined) bad('transientStorage.storageCredentials must not contain null entries');
  const m = lowerKeys(json, 'A transientStorage credential');
  const oneLakeUrl = str(m, 'oneLakeUrl');
  if (!empty(oneLakeUrl)) return { authMethod: 'OneLake', oneLake: parseOneLakeUrl(oneLakeUrl) };
  const storageAccountName = str(m, 'storageAccountName');
  const blobContainer = str(m, 'blobContainer');
  const sasKey = str(m, 'sasKey');
  const storageAccountKey = str(m, 'storageAccountKey');
  const domainSuffix = str(m, 'domainSuffix');
  const blobEndpoint = str(m, 'blobEndpoint');
  const suffix = { ...(empty(domainSuffix) ? {} : { domainSuffix }), ...(empty(blobEndpoint) ? {} : { blobEndpoint: blobEndpoint.replace(/\/+$/, '') }) };
  if (empty(storageAccountName)) bad('storageAccount name is null or empty');
  if (empty(blobContainer)) bad('blob container name is null or empty');
  if (sasKey === undefined) {
    if (empty(storageAccountKey)) bad('storageAccount key is null or empty');
    return { authMethod: 'Key', storageAccountName, blobContainer, storageAccountKey, ...suffix };
  }
  if (sasKey === IMPERSONATE) return { authMethod: 'Impersonation', storageAccountName, blobContainer, ...suffix };
  if (empty(sasKey)) bad('sasKey is null or empty');
  return { authMethod: 'Sas', storageAccountName, blobContainer, sasKey, ...suffix };
}

/** Masked one-line description of a credential. */
export function describeTransientCredential(c: TransientStorageCredential): string {
  if (c.authMethod === 'OneLake') return `OneLakeUrl: ${c.oneLake.httpsUrl}`;
  return `BlobContainer: ${c.blobContainer} ,Storage: ${c.storageAccountName} , IsSasKeyDefined: ${c.authMethod === 'Sas' || c.authMethod === 'Impersonation'}`;
}

/** The parsed `transientStorage` option. */
export class TransientStorageParameters {
  constructor(
    readonly storageCredentials: readonly TransientStorageCredential[],
    readonly endpointSuffix: string = DEFAULT_ENDPOINT_SUFFIX,
  ) {
    const oneLake = storageCredentials.filter((c) => c.authMethod === 'OneLake').length;
    if (oneLake > 0 && oneLake < storageCredentials.length) {
      bad('transientStorage cannot mix OneLake and non-OneLake credentials. Provide either all OneLake URLs or all Azure Storage (blob) credentials.');
    }
  }

  /** Parses the option's JSON text. */
  static fromString(json: string): TransientStorageParameters {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      // The message of a JSON error quotes the input, which may hold a key: say only where it failed.
      throw new InvalidParameterException('transientStorage is not valid JSON', { option: 'transientStorage', cause: new Error((e as Error).message.replace(/"[^"]*"/g, '"…"')) });
    }
    const m = lowerKeys(parsed, 'transientStorage');
    const creds = m.get('storagecredentials');
    if (!Array.isArray(creds) || creds.length === 0) bad('transientStorage.storageCredentials must be a non-empty array');
    const suffix = str(m, 'endpointSuffix');
    return new TransientStorageParameters(creds.map(parseTransientCredential), empty(suffix) ? DEFAULT_ENDPOINT_SUFFIX : suffix);
  }

  /** The blob endpoint suffix for a credential: its own domainSuffix, else the top-level one. */
  suffixOf(c: TransientStorageCredential): string {
    return c.authMethod !== 'OneLake' && c.domainSuffix ? c.domainSuffix : this.endpointSuffix;
  }

  get isOneLake(): boolean {
    return this.storageCredentials.length > 0 && this.storageCredentials.every((c) => c.authMethod === 'OneLake');
  }

  toString(): string {
    return `[${[...this.storageCredentials.map(describeTransientCredential), `domain: ${this.endpointSuffix}`].join(', ')}]`;
  }

  /** Masked JSON: what JSON.stringify shows. */
  toJSON(): unknown {
    return { storageCredentials: this.storageCredentials.map(describeTransientCredential), endpointSuffix: this.endpointSuffix };
  }

  [inspect.custom](): string {
    return `TransientStorageParameters ${this.toString()}`;
  }

  /** The full JSON, secrets included, for handing to the code that authenticates. Never log it. */
  toInsecureString(): string {
    return JSON.stringify({
      storageCredentials: this.storageCredentials.map((c) => (c.authMethod === 'OneLake' ? { oneLakeUrl: c.oneLake.httpsUrl } : c.authMethod === 'Impersonation' ? { ...c, authMethod: undefined, sasKey: IMPERSONATE } : { ...c, authMethod: undefined })),
      endpointSuffix: this.endpointSuffix,
    });
  }
}
