import type { Logger } from 'pino';

/**
 * Keeps a long-running command (executor, scheduler, emulator) alive until SIGTERM or SIGINT, then
 * runs its shutdown once. A failing shutdown is logged, not thrown: the process is ending either way,
 * and an orchestrator (docker stop, systemd) only looks at the exit.
 */
export function runUntilSignal(log: Logger, shutdown: () => Promise<void>, stopFields: Record<string, unknown> = {}): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, ...stopFields }, 'stop requested');
      shutdown().then(resolve, (err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
