import { warmUpKql } from './engine/kql-bridge.js';
import type { EmulatorEngine } from './contracts.js';
import { createEmulator } from './create-emulator.js';

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
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:8080 */
  readonly clusterUrl: string;
  readonly engine: EmulatorEngine;
  stop(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const parts = await createEmulator(options.dataDir ? { dataDir: options.dataDir } : {});
  if (options.warmUp ?? true) await warmUpKql();
  const addr = await parts.listen(options.port ?? 0, host);
  const urlHost = addr.family === 'IPv6' ? `[${addr.address}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    clusterUrl: `http://${urlHost}:${addr.port}`,
    engine: parts.engine,
    stop: () => parts.close(),
  };
}
