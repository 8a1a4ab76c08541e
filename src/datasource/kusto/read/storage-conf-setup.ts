/**
 * The storage configuration of a Distributed read (reference §5.1): the Hadoop-style keys for the
 * transient storage, written into the session conf as the connector writes them into the Spark conf
 * (when the session's conf map accepts writes), and returned merged with it for resolving the
 * export's `wasbs://`/`abfss://` paths. abfs/abfss with an account key is refused by
 * `hadoopStorageConf` with the connector's InvalidParameterException. Secrets stay in the conf: they
 * are never logged, and session.ts keeps `fs.azure.sas…`/`…key` entries out of task payloads.
 */
import type { DriverContext } from '../../datasource.js';
import { abfsSasFixedTokenKey, hadoopStorageConf, wasbsSasKey, type StorageProtocol } from '../storage/hadoop-storage-conf.js';
import type { TransientStorageParameters } from '../storage/transient-storage.js';

export function setUpStorageConf(protocol: StorageProtocol, storage: TransientStorageParameters, ctx: DriverContext): Map<string, string> {
  const entries = hadoopStorageConf(protocol, storage, ctx.conf);
  const merged = new Map(ctx.conf);
  const session = ctx.conf instanceof Map ? (ctx.conf as Map<string, string>) : undefined;
  for (const [k, v] of entries) {
    merged.set(k, v);
    session?.set(k, v);
    session?.set(`spark.hadoop.${k}`, v);
  }
  for (const c of storage.storageCredentials) {
    if (c.authMethod !== 'Sas') continue;
    const suffix = storage.suffixOf(c);
    const key = protocol === 'wasbs' ? wasbsSasKey(c.blobContainer, c.storageAccountName, suffix) : abfsSasFixedTokenKey(c.blobContainer, c.storageAccountName, suffix);
    // Found = a non-empty value, as Hadoop reads it: a SAS of just '?' leaves the wasbs key empty.
    const found = [merged, session ?? new Map<string, string>()].some((c) => Boolean(c.get(key)) || Boolean(c.get(`spark.hadoop.${key}`)));
    if (!found) ctx.log.warn(`WARNING: SAS config key '${key}' NOT found in HadoopConf or SparkConf after setup!`);
  }
  return merged;
}
