import type { Command } from 'commander';
import { ConfigError } from '../../errors/kjob-error.js';
import { childLogger } from '../../util/logger.js';
import type { CommandModule } from '../command-module.js';

/**
 * `kjob emulator [--port N] [--host H] [--data-dir D]`: runs the local Kusto emulator until
 * SIGINT/SIGTERM. Prints `KUSTO_CLUSTER_URL=http://…` on one stdout line once it accepts requests
 * (logs go to stderr), so scripts can read the URL.
 */
function parsePort(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`--port must be an integer between 0 and 65535, got '${raw}'`, { context: { option: 'port' } });
  return n;
}

export const command: CommandModule = {
  register(program: Command): void {
    program
      .command('emulator')
      .description('Run the local Kusto (Azure Data Explorer) emulator')
      .option('--port <port>', 'port to listen on (0 picks a free one)', '8080')
      .option('--host <host>', 'address to bind', '127.0.0.1')
      .option('--data-dir <dir>', 'keep data in this directory across restarts (default: in memory)')
      .action(async (opts: { port: string; host: string; dataDir?: string }) => {
        const log = childLogger({ component: 'emulator' });
        const { startEmulator } = await import('../../emulator/index.js');
        const emu = await startEmulator({ port: parsePort(opts.port), host: opts.host, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) });
        process.stdout.write(`KUSTO_CLUSTER_URL=${emu.clusterUrl}\n`);
        log.info({ clusterUrl: emu.clusterUrl, dataDir: opts.dataDir ?? null }, 'Kusto emulator ready');
        await new Promise<void>((resolve) => {
          let stopping = false;
          const stop = (signal: string) => {
            if (stopping) return;
            stopping = true;
            log.info({ signal }, 'stopping Kusto emulator');
            void emu.stop().then(resolve, (err: unknown) => {
              log.error({ err }, 'error while stopping the emulator');
              resolve();
            });
          };
          process.once('SIGINT', () => stop('SIGINT'));
          process.once('SIGTERM', () => stop('SIGTERM'));
        });
      });
  },
};
