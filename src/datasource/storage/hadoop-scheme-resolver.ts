/**
 * `wasbs://<container>@<account>.blob.<suffix>/<path>` and `abfs[s]://…` locations, resolved through
 * the session conf's Hadoop-style keys (reference §5.1; the Kusto source sets them for its exports,
 * users may set them with the session builder's `.config(…)`):
 * - a SAS from `fs.azure.sas.<container>.<account>.blob.<suffix>` (wasbs) or
 *   `fs.azure.sas.fixed.token.<container>.<account>.blob.<suffix>` (abfs/abfss), also under the
 *   `spark.hadoop.` prefix;
 * - an account key from `fs.azure.account.key.<account>.blob.<suffix>`, turned here into a
 *   short-lived container SAS so that file locations handed to executors carry no key;
 * - neither: the executor's own identity (DefaultAzureCredential).
 * The location is the https blob endpoint; a `.dfs.` host is read through its `.blob.` twin.
 * `kjob.storage.endpoint.<account>.blob.<suffix>` (a kjob key, not Hadoop's) points an account at
 * another endpoint, e.g. Azurite's path-style `http://127.0.0.1:10000/devstoreaccount1`, which no
 * wasbs URL can name.
 */
import { ConfigError } from '../../errors/kjob-error.js';
import { redact } from '../../util/redact.js';
import { parseHadoopStorageUrl, resolveHadoopStorageUrl } from '../kusto/storage/storage-url.js';
import type { Location } from './location.js';
import { unsealTaskSecret } from '../../protocol/task-secret-key.js';
import { containerSasFromKey } from './container-sas.js';

/** The conf key that points `<account>.blob.<suffix>` at another blob endpoint. */
export function blobEndpointOverrideKey(account: string, endpointSuffix: string): string {
  return `kjob.storage.endpoint.${account}.blob.${endpointSuffix}`;
}

export function resolveHadoopLocation(raw: string, conf: ReadonlyMap<string, string>): Location {
  let resolved: ReturnType<typeof resolveHadoopStorageUrl>;
  try {
    resolved = resolveHadoopStorageUrl(raw, withDfsTwins(conf));
  } catch (e) {
    throw new ConfigError(`Not a valid Hadoop-style storage URL: ${redact(raw)}`, {
      resolution: 'Use wasbs://<container>@<account>.blob.<suffix>/<path> or abfss://<container>@<account>.dfs.<suffix>/<path>.',
      context: { path: redact(raw) },
      cause: e,
    });
  }
  const url = new URL(resolved.containerUrl);
  const account = url.hostname.split('.')[0]!.toLowerCase();
  const container = decodeURIComponent(url.pathname.slice(1));
  let sas = '';
  // Conf values may arrive sealed inside a task (src/protocol/sealed-secret.ts).
  if (resolved.auth === 'sas') sas = unsealTaskSecret(resolved.sas, `the SAS of ${account}/${container}`).replace(/^\?/, '');
  else if (resolved.auth === 'key') sas = containerSasFromKey(resolved.accountName, container, unsealTaskSecret(resolved.accountKey, `the account key of ${account}`));
  const override = conf.get(blobEndpointOverrideKey(account, parseHadoopStorageUrl(raw).endpointSuffix));
  if (override !== undefined) return { kind: 'blob', address: { ...endpointOverride(override, raw), account, container, path: resolved.path, sas } };
  return { kind: 'blob', address: { endpoint: `${url.protocol}//${url.host}`, account, container, path: resolved.path, sas, style: 'host' } };
}

function endpointOverride(value: string, raw: string): { endpoint: string; style: 'host' | 'path' } {
  let u: URL;
  try {
    u = new URL(value);
  } catch (e) {
    throw new ConfigError(`The blob endpoint configured for ${redact(raw)} is not a URL: '${redact(value)}'`, {
      resolution: 'Set kjob.storage.endpoint.<account>.blob.<suffix> to the account\'s blob endpoint, e.g. http://127.0.0.1:10000/devstoreaccount1 (Azurite).',
      cause: e,
    });
  }
  const path = u.pathname.replace(/\/+$/, '');
  return { endpoint: `${u.protocol}//${u.host}${path}`, style: path === '' ? 'host' : 'path' };
}

/** Keys written for a `.dfs.` host also serve its `.blob.` twin (the Kusto keys always name `.blob.`). */
function withDfsTwins(conf: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  let out: Map<string, string> | undefined;
  for (const [k, v] of conf) {
    if (!k.startsWith('fs.azure.') && !k.startsWith('spark.hadoop.fs.azure.')) continue;
    if (!k.includes('.dfs.')) continue;
    const twin = k.replace('.dfs.', '.blob.');
    if (!conf.has(twin)) (out ??= new Map(conf)).set(twin, v);
  }
  return out ?? conf;
}
