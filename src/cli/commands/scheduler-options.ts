import { parseDuration } from '../../scheduler/duration.js';
import { intFlag, resolveStore, type ResolvedStore } from './schedule-options.js';

/** `kjob scheduler` flags as commander hands them over. */
export interface SchedulerCliInput {
  master?: string;
  redis?: string;
  concurrency?: string;
  grace?: string;
  id?: string;
}

export interface ResolvedSchedulerCli extends ResolvedStore {
  readonly concurrency: number;
  readonly graceMs: number;
  readonly schedulerId?: string;
}

/** Environment variables `kjob scheduler` reads (documented in docker-compose.yml); its runs inherit them (KJOB_TASK_SECRET_KEY for redis:// runs). */
export const SCHEDULER_ENV = ['KJOB_MASTER', 'KJOB_REDIS_PREFIX', 'KJOB_SCHEDULER_CONCURRENCY', 'KJOB_TASK_SECRET_KEY', 'LOG_LEVEL'] as const;

/**
 * `--master` is the Redis URL of the schedule store (the wording; also the default master of
 * runs); `--redis` is an alias. Default grace 20 s: with a 5 s SIGTERM→SIGKILL grace for children it
 * fits docker's 30 s stop_grace_period.
 */
export function resolveSchedulerCli(input: SchedulerCliInput, env: NodeJS.ProcessEnv = process.env): ResolvedSchedulerCli {
  const store = resolveStore(input.master ?? input.redis, input.master !== undefined ? '--master' : '--redis', env);
  return {
    ...store,
    concurrency: intFlag(input.concurrency ?? env['KJOB_SCHEDULER_CONCURRENCY'], '--concurrency', 4, 1, 256),
    graceMs: input.grace === undefined ? 20_000 : parseDuration(input.grace, '--grace'),
    ...(input.id ? { schedulerId: input.id } : {}),
  };
}
