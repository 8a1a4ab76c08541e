import { KjobError } from './kjob-error.js';

/** A `redis://` master has no executor heartbeating after the configured wait. */
export class NoLiveExecutorsError extends KjobError {
  override name = 'NoLiveExecutorsError';
  constructor(master: string, waitedMs: number, prefix: string) {
    super('JOB_FAILED', `No kjob executor is alive on ${master} (queue prefix '${prefix}') after waiting ${Math.round(waitedMs / 1000)} s`, {
      likelyCause: 'No `kjob executor` process is running against this Redis, or it uses another queue prefix or database.',
      resolution:
        `Start executors with \`npx kjob executor --master ${master} --prefix ${prefix}\` (or \`docker compose up --scale executor=N\`), ` +
        'or raise kjob.executor.waitTimeoutMs.',
      context: { master, prefix, waitedMs },
    });
  }
}
