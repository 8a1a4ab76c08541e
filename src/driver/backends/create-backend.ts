import type { Logger } from 'pino';
import type { SchedulerBackend } from '../../protocol/task.js';
import { resolveProgressMode } from '../progress/stage-progress.js';
import { withProgress } from '../progress/with-progress.js';
import { resolveBackendOptions } from './backend-options.js';
import { LocalBackend } from './local-backend.js';
import { parseMaster } from './master-url.js';

export interface CreateBackendOptions {
  readonly appId: string;
  readonly appName: string;
  readonly log: Logger;
  /** Absolute path or file URL of the job module (tasks carry it; executors import it). */
  readonly jobModule?: string;
  readonly conf?: ReadonlyMap<string, string>;
}

/**
 * The one entry point from a Session to a scheduler backend. `master` is `local`, `local[N]`,
 * `local[*]`, `inline` or `redis://host:port[/db]` / `rediss://…`; anything else is a ConfigError
 * naming the value and the accepted forms. Every backend but `inline` reports stage progress
 * (conf `kjob.progress`: auto | bar | log | off).
 */
export async function createBackend(master: string, opts: CreateBackendOptions): Promise<SchedulerBackend> {
  const spec = parseMaster(master);
  const resolved = resolveBackendOptions(opts.conf);
  const log = opts.log;
  const progress = resolveProgressMode(resolved.progress);
  switch (spec.kind) {
    case 'inline': {
      const { InlineBackend } = await import('./inline-backend.js');
      return new InlineBackend();
    }
    case 'local':
      return withProgress(
        new LocalBackend({ master: master.trim(), threads: spec.threads, retryBackoffMs: resolved.retryBackoffMs, log }),
        progress,
        opts.log,
      );
    case 'redis': {
      // Loaded on demand: local jobs never pay for BullMQ and ioredis.
      const { BullmqBackend } = await import('./bullmq-backend.js');
      const backend = await BullmqBackend.create({
        url: spec.url,
        display: spec.display,
        appId: opts.appId,
        appName: opts.appName,
        prefix: resolved.prefix,
        retryBackoffMs: resolved.retryBackoffMs,
        executorWaitTimeoutMs: resolved.executorWaitTimeoutMs,
        log,
      });
      return withProgress(backend, progress, opts.log);
    }
  }
}
