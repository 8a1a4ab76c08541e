/**
 * `wasbs://<container>@<account>.blob.<suffix>/<path>` and `abfs[s]://<container>@<host>/<path>` paths,
 * the form Distributed reads hand to the parquet reader (reference §4.4 step 9), and their resolution
 * to an https blob URL plus the credential found in a Hadoop-style configuration map.
 */
import { InvalidParameterException } from '../errors/parameter-errors.js';
import { abfsSasFixedTokenKey, wasbsAccountKeyKey, wasbsSasKey, type StorageProtocol } from './hadoop-storage-conf.js';
import type { TransientStorageCredential } from './transient-storage.js';

export interface HadoopStorageUrl {
  readonly protocol: StorageProtocol;
  readonly container: string;
  /** The account name (host up to `.blob.` / `.dfs.`). */
  readonly account: string;
  /** `blob.core.windows.net`-style service suffix: `blob` or `dfs`, then the endpoint suffix. */
  readonly service: 'blob' | 'dfs';
  readonly endpointSuffix: string;
  /** The path inside the container, without a leading `/` (may be empty). */
  readonly path: string;
}

const HADOOP_URL = /^(wasbs|abfss?):\/\/([^@/]+)@([^./]+(?:\.[^./]+)?)\.(blob|dfs)\.([^/]+)(?:\/(.*))?$/i;

export function parseHadoopStorageUrl(url: string): HadoopStorageUrl {
  const m = HADOOP_URL.exec(url.trim());
  if (!m) throw new InvalidParameterException(`'${url}' is not a wasbs://<container>@<account>.blob.<suffix>/<path> or abfss://<container>@<account>.dfs.<suffix>/<path> URL`);
  const [, protocol, container, account, service, suffix, path = ''] = m as unknown as [string, string, string, string, string, string, string | undefined];
  return { protocol: protocol.toLowerCase() as StorageProtocol, container, account, service: service.toLowerCase() as 'blob' | 'dfs', endpointSuffix: suffix, path };
}

export type ResolvedBlobLocation =
  | { readonly auth: 'sas'; readonly containerUrl: string; readonly path: string; readonly sas: string }
  | { readonly auth: 'key'; readonly containerUrl: string; readonly path: string; readonly accountName: string; readonly accountKey: string }
  | { readonly auth: 'ambient'; readonly containerUrl: string; readonly path: string };

/**
 * The https container URL of a Hadoop-style path and the credential the configuration holds for it:
 * a SAS (returned with its leading `?`), an account key, or none (use ambient AAD credentials).
 */
export function resolveHadoopStorageUrl(url: string, conf: ReadonlyMap<string, string>): ResolvedBlobLocation {
  const u = parseHadoopStorageUrl(url);
  const containerUrl = `https://${u.account}.blob.${u.endpointSuffix}/${u.container}`;
  const lookups = u.protocol === 'wasbs'
    ? [wasbsSasKey(u.container, u.account, u.endpointSuffix)]
    : [abfsSasFixedTokenKey(u.container, u.account, u.endpointSuffix), wasbsSasKey(u.container, u.account, u.endpointSuffix)];
  for (const key of lookups) {
    const sas = conf.get(key) ?? conf.get(`spark.hadoop.${key}`);
    if (sas) return { auth: 'sas', containerUrl, path: u.path, sas: sas.startsWith('?') ? sas : `?${sas}` };
  }
  const keyName = wasbsAccountKeyKey(u.account, u.endpointSuffix);
  const accountKey = conf.get(keyName) ?? conf.get(`spark.hadoop.${keyName}`);
  if (accountKey) return { auth: 'key', containerUrl, path: u.path, accountName: u.account, accountKey };
  return { auth: 'ambient', containerUrl, path: u.path };
}

/** The Hadoop-style directory path of an export (reference §4.4 step 9: the host stays `.blob.` even for abfss). */
export function exportDirectoryUrl(protocol: StorageProtocol, container: string, account: string, endpointSuffix: string, directory: string): string {
  return `${protocol}://${container}@${account}.blob.${endpointSuffix}/${directory}`;
}

/**
 * Where the parquet files of an export directory are read from, per credential (reference §4.4
 * step 9): `<protocol>://<container>@<account>.blob.<suffix>/<dir>`; OneLake
 * `abfss://<workspace>@<endpoint>/<artifactPath>/<dir>`; a path-style local endpoint (Azurite, the
 * emulator) gives its plain http(s) URL.
 */
export function exportPathOf(credential: TransientStorageCredential, endpointSuffix: string, protocol: StorageProtocol, directory: string): string {
  if (credential.authMethod === 'OneLake') return `abfss://${credential.oneLake.workspace}@${credential.oneLake.endpoint}/${credential.oneLake.artifactPath}/${directory}`;
  if (credential.blobEndpoint) return `${credential.blobEndpoint}/${credential.blobContainer}/${directory}`;
  return exportDirectoryUrl(protocol, credential.blobContainer, credential.storageAccountName, credential.domainSuffix ?? endpointSuffix, directory);
}
