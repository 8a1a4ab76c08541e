import type { Logger } from 'pino';
import type { SchedulerBackend } from '../protocol/task.js';

export interface ResolveBackendOptions {
  readonly appId: string;
  readonly appName: string;
  readonly log: Logger;
  readonly jobModule?: string;
  readonly conf: ReadonlyMap<string, string>;
}

/**
 * The scheduler backend for a master URL. `inline` runs tasks in this process; every other master
 * (`local[N]`, `local[*]`, `redis://…`) goes through the backends module, loaded on demand.
 */
export async function resolveBackend(master: string, opts: ResolveBackendOptions): Promise<SchedulerBackend> {
  if (master.trim() === 'inline') {
    const { InlineBackend } = await import('./backends/inline-backend.js');
    return new InlineBackend();
  }
  const { createBackend } = await import('./backends/create-backend.js');
  return createBackend(master, { appId: opts.appId, appName: opts.appName, log: opts.log, conf: opts.conf, ...(opts.jobModule ? { jobModule: opts.jobModule } : {}) });
}
