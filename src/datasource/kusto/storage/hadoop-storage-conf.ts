/**
 * Hadoop-style storage configuration keys (reference §5.1). kjob has no Hadoop, but its parquet
 * source resolves `wasbs://` / `abfss://` paths through the same keys (see storage-url.ts), so a
 * Spark user's `spark.hadoop.fs.azure…` settings work unchanged, and the Distributed read hands its
 * executors exactly these entries.
 */
import { InvalidParameterException } from '../errors/parameter-errors.js';
import type { TransientStorageParameters } from './transient-storage.js';

export type StorageProtocol = 'wasbs' | 'abfs' | 'abfss';

export const VALID_ENDPOINTS_KEY = 'fs.azure.abfs.valid.endpoints';

export function wasbsSasKey(container: string, account: string, suffix: string): string {
  return `fs.azure.sas.${container}.${account}.blob.${suffix}`;
}
export function wasbsAccountKeyKey(account: string, suffix: string): string {
  return `fs.azure.account.key.${account}.blob.${suffix}`;
}
export function abfsSasFixedTokenKey(container: string, account: string, suffix: string): string {
  return `fs.azure.sas.fixed.token.${container}.${account}.blob.${suffix}`;
}
export function abfsHnsEnabledKey(account: string, suffix: string): string {
  return `fs.azure.account.hns.enabled.${account}.blob.${suffix}`;
}

/** Appends hosts to a comma-separated list, keeping existing entries and dropping duplicates. */
export function appendValidEndpoints(existing: string | undefined, hosts: readonly string[]): string {
  const out: string[] = [];
  for (const h of [...(existing ?? '').split(','), ...hosts].map((s) => s.trim())) if (h && !out.includes(h)) out.push(h);
  return out.join(',');
}

/**
 * The entries to set for reading the transient storage with `protocol`, given the current
 * configuration (for the valid-endpoints append). Impersonation and OneLake set nothing but the
 * endpoint list: they rely on ambient AAD credentials.
 */
export function hadoopStorageConf(protocol: StorageProtocol, storage: TransientStorageParameters, current: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const out = new Map<string, string>();
  const abfs = protocol !== 'wasbs';
  const endpoints: string[] = [];
  if (abfs) endpoints.push(storage.endpointSuffix);
  for (const c of storage.storageCredentials) {
    if (c.authMethod === 'OneLake') {
      endpoints.push(c.oneLake.endpoint);
      continue;
    }
    const suffix = storage.suffixOf(c);
    if (c.authMethod === 'Impersonation') continue;
    if (!abfs) {
      if (c.authMethod === 'Sas') out.set(wasbsSasKey(c.blobContainer, c.storageAccountName, suffix), c.sasKey.replace(/^\?/, ''));
      else out.set(wasbsAccountKeyKey(c.storageAccountName, suffix), c.storageAccountKey);
      continue;
    }
    if (c.authMethod === 'Key') {
      throw new InvalidParameterException(`Storage protocol '${protocol}' with Account Key authentication is not supported yet. Please use SAS based authentication or switch to 'wasbs' protocol.`, {
        option: 'storageProtocol',
        likelyCause: `transientStorage names an account key (storageAccountKey) for container '${c.blobContainer}' while storageProtocol is '${protocol}', which authenticates with a SAS only (as the connector does).`,
        resolution: "Give the container a SAS (sasKey) in transientStorage, or set storageProtocol to 'wasbs'.",
      });
    }
    out.set('fs.azure.account.auth.type', 'SAS');
    out.set(abfsHnsEnabledKey(c.storageAccountName, suffix), 'false');
    out.set(abfsSasFixedTokenKey(c.blobContainer, c.storageAccountName, suffix), c.sasKey);
  }
  if (abfs || endpoints.length > 0) out.set(VALID_ENDPOINTS_KEY, appendValidEndpoints(current.get(VALID_ENDPOINTS_KEY), endpoints));
  return out;
}
