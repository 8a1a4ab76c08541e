/**
 * Distributed mode (reference §4.4): export the pushed-down query to transient storage as Parquet,
 * then read the exported files with the parquet source (one or more splits per file, by row group).
 * Differences from the connector: `numPartitions` > 1 exports disjoint hash slices (the connector
 * exported the full data N times), and the exported files are deleted after the job unless
 * `distributedReadModeTransientCache` keeps them for later reads.
 */
import { randomUUID } from 'node:crypto';
import type { DriverContext, Split } from '../../datasource.js';
import { parquetSource } from '../../parquet/parquet-source.js';
import { listDataFiles } from '../../storage/file-listing.js';
import { resolveLocation } from '../../storage/location.js';
import { containerClientFor } from '../../storage/blob-client.js';
import { NoFilesMatchedError, PathNotFoundError } from '../../storage/storage-errors.js';
import type { Schema } from 'apache-arrow';
import { exportCommand, exportTargetOf, hashPartitionPredicate } from '../kql/export-command.js';
import { exportDirectory } from '../naming/staging-names.js';
import type { ResolvedKustoSourceOptions } from '../options/source-options.js';
import { systemClock, type Clock } from '../polling/clock.js';
import type { PollCadence } from '../polling/poll-cadence.js';
import { exportPathOf } from '../storage/storage-url.js';
import type { TransientStorageParameters } from '../storage/transient-storage.js';
import { exportCacheKey, cachedExport, rememberExport } from './export-cache.js';
import { exportContainers } from './export-storage.js';
import { runExport } from './export-operation.js';
import type { KustoReadClients } from './read-clients.js';
import { setUpStorageConf } from './storage-conf-setup.js';
import { sealLocationSas } from '../../storage/sealed-location.js';
import { containerSasFromKey } from '../../storage/container-sas.js';
import { taskSecretSealerFor, type TaskSecretSealer } from '../../../protocol/task-secret-key.js';

export interface DistributedPlan {
  readonly splits: readonly Split[];
  /** The Arrow schema of the exported files (what the parquet reader yields). */
  readonly fileSchema: Schema | undefined;
  readonly cleanup: (() => Promise<void>) | undefined;
  /** How many `.export` commands ran (0 on a cache hit). */
  readonly exports: number;
}

const EXPORT_SAS = 'the SAS of the export storage';

/** Sessions give the sealer of their master; contexts built elsewhere (tests) seal in process. */
function sealerOf(ctx: DriverContext): TaskSecretSealer {
  return ctx.taskSecrets ?? taskSecretSealerFor(undefined);
}

const isParquet = (name: string): boolean => /\.parq(uet)?$/i.test(name) || /\.parquet\.[a-z0-9]+$/i.test(name);

export async function planDistributedRead(
  o: ResolvedKustoSourceOptions,
  query: string,
  requiredColumns: readonly string[] | undefined,
  clients: KustoReadClients,
  ctx: DriverContext,
  testHooks: { clock?: Clock; cadence?: PollCadence } = {},
): Promise<DistributedPlan> {
  const clock = testHooks.clock ?? systemClock;
  const key = exportCacheKey({ engineUrl: o.coordinates.engineUrl, database: o.coordinates.database, query, auth: o.auth });
  if (o.distributedReadModeTransientCache) {
    const hit = cachedExport(key);
    if (hit) {
      ctx.log.info({ requestId: o.requestId }, 'Kusto read: reusing the cached export (distributedReadModeTransientCache)');
      return { ...(await splitsOf(hit.directories, hit.conf, requiredColumns, ctx)), cleanup: undefined, exports: 0 };
    }
  }
  const storage: TransientStorageParameters = o.transientStorage ?? (await exportContainers(clients.dm, clock));
  // Executors read the export with its SAS sealed in the splits: a cluster without the shared key
  // fails here, before the export runs.
  if (storage.storageCredentials.some((c) => c.authMethod === 'Sas' || c.authMethod === 'Key')) sealerOf(ctx).assertCanSeal(EXPORT_SAS);
  const protocol = storage.isOneLake ? 'abfss' : o.storageProtocol;
  const conf = setUpStorageConf(protocol, storage, ctx);
  const directory = exportDirectory(o.coordinates.database, randomUUID());
  const targets = storage.storageCredentials.map((c) => exportTargetOf(c, storage.suffixOf(c)));
  const partitions = o.debug.numPartitions;
  const partitionColumns = o.debug.partitionColumn ? [o.debug.partitionColumn] : [];
  const directories = storage.storageCredentials.map((c) => readableDirectory(exportPathOf(c, storage.suffixOf(c), protocol, directory), c));
  const cleanup = async () => {
    for (const dir of directories) await deleteDirectory(dir, conf).catch((e: unknown) => ctx.log.warn({ err: String(e) }, 'deleting exported files failed'));
  };
  try {
    // Partitions export concurrently, as the connector's per-partition futures do.
    await Promise.all(
      Array.from({ length: partitions }, (_, i) =>
        runExport({
          engine: clients.engine,
          database: o.coordinates.database,
          command: exportCommand({
            query,
            targets,
            directory,
            partitionIndex: i,
            exportOptions: o.exportOptions,
            ...(partitions > 1 ? { partitionPredicate: hashPartitionPredicate(partitionColumns, partitions, i) } : {}),
            warn: (m) => ctx.log.warn(m),
          }),
          timeoutMs: o.timeoutLimitMs,
          clock,
          log: ctx.log,
          requestId: o.requestId,
          ...(testHooks.cadence ? { cadence: testHooks.cadence } : {}),
        }),
      ),
    );
    const planned = await splitsOf(directories, conf, requiredColumns, ctx);
    if (o.distributedReadModeTransientCache) {
      rememberExport(key, { directories, conf });
      return { ...planned, cleanup: undefined, exports: partitions };
    }
    return { ...planned, cleanup, exports: partitions };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/**
 * A directory URL the storage layer can open. Path-style endpoints (Azurite, the emulator) are plain
 * http(s) URLs, which take no credential from the conf, so they carry one in the URL: the SAS, or for
 * an account key a short-lived container SAS signed with it (read, list, delete: the clean-up deletes),
 * so that no key ever sits in a split. Host-style `wasbs://` paths find theirs in the conf.
 */
function readableDirectory(path: string, c: TransientStorageParameters['storageCredentials'][number]): string {
  if (c.authMethod === 'Sas' && c.blobEndpoint) return `${path}?${c.sasKey.replace(/^\?/, '')}`;
  if (c.authMethod === 'Key' && c.blobEndpoint) return `${path}?${containerSasFromKey(c.storageAccountName, c.blobContainer, c.storageAccountKey, 'rdl')}`;
  return path;
}

async function splitsOf(directories: readonly string[], conf: ReadonlyMap<string, string>, requiredColumns: readonly string[] | undefined, ctx: DriverContext): Promise<Omit<DistributedPlan, 'cleanup' | 'exports'>> {
  // Keep the credentials whose directory received files (reference §4.4 step 9).
  const existing: string[] = [];
  for (const dir of directories) {
    try {
      await listDataFiles([dir], conf, { accept: isParquet, what: 'exported Parquet files' });
      existing.push(dir);
    } catch (e) {
      if (!(e instanceof PathNotFoundError) && !(e instanceof NoFilesMatchedError)) throw e;
    }
  }
  // An export of an empty result writes no file: the read is empty.
  if (existing.length === 0) return { splits: [], fileSchema: undefined };
  const plan = await parquetSource.planRead!({}, existing, undefined, requiredColumns ? { filters: [], requiredColumns } : { filters: [] }, { ...ctx, conf });
  const sealer = sealerOf(ctx);
  const sealed = (s: Split): Split => (typeof s['file'] === 'string' ? { ...s, file: sealLocationSas(s['file'], sealer, EXPORT_SAS) } : s);
  return { splits: plan.splits.map((s) => ({ ...sealed(s), kustoKind: 'export' })), fileSchema: plan.schema };
}

async function deleteDirectory(dir: string, conf: ReadonlyMap<string, string>): Promise<void> {
  const loc = resolveLocation(dir, conf);
  if (loc.kind !== 'blob') return;
  const client = containerClientFor(loc.address);
  const prefix = loc.address.path.replace(/\/*$/, '/');
  for await (const b of client.listBlobsFlat({ prefix })) await client.getBlobClient(b.name).deleteIfExists();
}
