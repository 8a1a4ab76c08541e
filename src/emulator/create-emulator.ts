import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KustoEngine, type EngineOptions } from './engine/kusto-engine.js';
import { KustoStore } from './engine/store.js';
import { createHttpServer } from './server/http-server.js';

/** Builds the engine (DuckDB store, in memory unless dataDir) and its HTTP server, not yet listening. */
export interface CreateEmulatorOptions extends EngineOptions {
  /** Directory for the DuckDB file; data, extents, policies and mappings survive restarts. */
  readonly dataDir?: string;
}

export interface EmulatorParts {
  readonly engine: KustoEngine;
  readonly server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

export async function createEmulator(options: CreateEmulatorOptions = {}): Promise<EmulatorParts> {
  const store = await KustoStore.open(options.dataDir);
  const engine = new KustoEngine(store, options);
  const server = createHttpServer(engine);
  let closed = false;
  return {
    engine,
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await engine.close();
    },
  };
}
