import { createRequire } from 'node:module';

/**
 * Azurite (Blob + Queue + Table) started inside this process, in memory.
 *
 * Azurite has no public programmatic API, so this deep-imports its server and configuration classes.
 * Those are internal: the package is pinned (azurite 3.35.0) and the positional constructor arguments
 * below were read from that version's `dist/src/{blob,queue,table}/*Configuration.js`. If Azurite is
 * upgraded, re-check the argument order here first.
 *
 * - Memory persistence (nothing written to disk) and port 0 by default (free ports).
 * - `skipApiVersionCheck`: the storage SDKs send an x-ms-version newer than Azurite 3.35 knows.
 * - Telemetry stays off: it is only initialised by Azurite's CLI entry point, never by the classes used here.
 * - Logs are silent: Azurite's logger singleton defaults to its no-op strategy; access logs are off.
 * - The Table endpoint may be served over https (cert/key files), because the ingest SDK's status
 *   table client refuses http.
 */

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}
type ServerCtor = new (config: unknown) => AzuriteServer;
type ConfigCtor = new (...args: unknown[]) => unknown;

const require = createRequire(import.meta.url);

function load<T>(path: string): T {
  const mod = require(path) as { default: T };
  return mod.default;
}

export interface AzuriteOptions {
  readonly host?: string;
  readonly blobPort?: number;
  readonly queuePort?: number;
  readonly tablePort?: number;
  /** PEM certificate and key files: when both are given, the Table endpoint uses https. */
  readonly tableCertPath?: string;
  readonly tableKeyPath?: string;
}

export interface RunningAzurite {
  /** e.g. http://127.0.0.1:40213 */
  readonly blobEndpoint: string;
  readonly queueEndpoint: string;
  /** https://127.0.0.1:port when a certificate was given, else http. */
  readonly tableEndpoint: string;
  close(): Promise<void>;
}

/** Keep-alive timeout in seconds: well above Node's client default, to avoid socket-reuse races. */
const KEEP_ALIVE_SECONDS = 65;

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  const BlobServer = load<ServerCtor>('azurite/dist/src/blob/BlobServer.js');
  const BlobConfiguration = load<ConfigCtor>('azurite/dist/src/blob/BlobConfiguration.js');
  const QueueServer = load<ServerCtor>('azurite/dist/src/queue/QueueServer.js');
  const QueueConfiguration = load<ConfigCtor>('azurite/dist/src/queue/QueueConfiguration.js');
  const TableServer = load<ServerCtor>('azurite/dist/src/table/TableServer.js');
  const TableConfiguration = load<ConfigCtor>('azurite/dist/src/table/TableConfiguration.js');

  // Blob/Queue: host, port, keepAlive, metadataDBPath, extentDBPath, persistenceArray, accessLog,
  // accessLogStream, debugLog, debugPath, loose, skipApiVersionCheck, cert, key, pwd, oauth,
  // disableProductStyleUrl, isMemoryPersistence, memoryStore.
  const blobConfig = new BlobConfiguration(
    host, options.blobPort ?? 0, KEEP_ALIVE_SECONDS, '', '', [], false, undefined, false, undefined,
    false, true, '', '', '', undefined, true, true, undefined,
  );
  const queueConfig = new QueueConfiguration(
    host, options.queuePort ?? 0, KEEP_ALIVE_SECONDS, '', '', [], false, undefined, false, undefined,
    false, true, '', '', '', undefined, true, true, undefined,
  );
  // Table: host, port, keepAlive, dbPath, debugLog, accessLog, accessLogStream, debugPath, loose,
  // skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, isMemoryPersistence.
  const https = options.tableCertPath !== undefined && options.tableKeyPath !== undefined;
  const tableConfig = new TableConfiguration(
    host, options.tablePort ?? 0, KEEP_ALIVE_SECONDS, '', false, false, undefined, undefined, false, true,
    https ? options.tableCertPath : '', https ? options.tableKeyPath : '', '', undefined, true, true,
  );

  const servers: AzuriteServer[] = [];
  try {
    for (const server of [new BlobServer(blobConfig), new QueueServer(queueConfig), new TableServer(tableConfig)]) {
      await server.start();
      servers.push(server);
    }
  } catch (e) {
    await Promise.allSettled(servers.map((s) => s.close()));
    throw e;
  }
  const [blob, queue, table] = servers as [AzuriteServer, AzuriteServer, AzuriteServer];
  let closed = false;
  return {
    blobEndpoint: blob.getHttpServerAddress(),
    queueEndpoint: queue.getHttpServerAddress(),
    tableEndpoint: table.getHttpServerAddress(),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled(servers.map((s) => s.close()));
    },
  };
}
