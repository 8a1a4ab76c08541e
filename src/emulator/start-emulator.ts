import { warmUpKql } from './engine/kql-bridge.js';
import type { EmulatorEngine } from './contracts.js';
import { createEmulator } from './create-emulator.js';
import { attachDataManagement, type DataManagementHandle, type DataManagementOptions } from './dm/attach.js';
import type { AuthOptions } from './auth/auth-hook.js';
import type { IngestionBatchingPolicy } from './contracts.js';

/**
 * Starts the Kusto emulator: engine + REST server on host:port (port 0 picks a free one).
 * Data is in memory unless `dataDir` is given.
 */
export interface StartEmulatorOptions {
  readonly port?: number;
  readonly host?: string;
  readonly dataDir?: string;
  /** Pre-load Microsoft's KQL parser (~1 s) so the first query is fast. Default true. */
  readonly warmUp?: boolean;
  /** How often expired auto_delete policies are swept, in ms (default 5000; 0 disables). */
  readonly autoDeleteIntervalMs?: number;
  /** Use this storage account (account-key connection string) instead of starting Azurite in process. */
  readonly storageConnectionString?: string;
  /** Enables auth: bearer tokens mapped to principals; roles via `.add database D <role> (...)`. */
  readonly auth?: AuthOptions;
  /** Batching policy when neither table nor database has one (emulator default: 10 s / 500 items / 1024 MB). */
  readonly defaultBatchingPolicy?: IngestionBatchingPolicy;
  /**
   * Result-set limits of client queries, as the service's query limits (defaults 500,000 records and
   * 64 MB): a larger result fails with E_QUERY_RESULT_SET_TOO_LARGE unless `set notruncation;`.
   */
  readonly maxResultRows?: number;
  readonly maxResultBytes?: number;
  /** Further data-management settings (ports, DM polling, resource prefix, certificate hosts). */
  readonly dataManagement?: Omit<DataManagementOptions, 'storageConnectionString' | 'auth' | 'dataDir'>;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:8080 */
  readonly clusterUrl: string;
  readonly engine: EmulatorEngine;
  /** Storage endpoints, connection string, CA certificate path (NODE_EXTRA_CA_CERTS), fault control, roles. */
  readonly dataManagement: DataManagementHandle;
  stop(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const parts = await createEmulator({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.defaultBatchingPolicy ? { defaultBatchingPolicy: options.defaultBatchingPolicy } : {}),
    ...(options.autoDeleteIntervalMs !== undefined ? { autoDeleteIntervalMs: options.autoDeleteIntervalMs } : {}),
    resultLimits: {
      ...(options.maxResultRows !== undefined ? { maxRecords: options.maxResultRows } : {}),
      ...(options.maxResultBytes !== undefined ? { maxBytes: options.maxResultBytes } : {}),
    },
  });
  const dm = await attachDataManagement(parts.engine, { ...options.dataManagement, ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.storageConnectionString ? { storageConnectionString: options.storageConnectionString } : {}), ...(options.auth ? { auth: options.auth } : {}) }).catch(async (e: unknown) => {
    await parts.close();
    throw e;
  });
  if (options.warmUp ?? true) await warmUpKql();
  const addr = await parts.listen(options.port ?? 0, host).catch(async (e: unknown) => {
    await dm.stop();
    await parts.close();
    throw e;
  });
  const urlHost = addr.family === 'IPv6' ? `[${addr.address}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    clusterUrl: `http://${urlHost}:${addr.port}`,
    engine: parts.engine,
    dataManagement: dm,
    stop: async () => {
      await dm.stop();
      await parts.close();
    },
  };
}
