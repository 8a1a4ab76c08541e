import { availableParallelism } from 'node:os';
import { ConfigError } from '../../errors/kjob-error.js';
import { parseMaster } from '../../driver/backends/master-url.js';
import { DEFAULT_PREFIX } from '../../protocol/cluster-keys.js';
import { envTaskSecretKey } from '../../protocol/task-secret-key.js';

/** `kjob executor` options as commander hands them over (strings), before validation. */
export interface ExecutorCliInput {
  master?: string;
  cores?: string;
  prefix?: string;
  id?: string;
  graceMs?: string;
  lockDurationMs?: string;
  stalledIntervalMs?: string;
  maxStalledCount?: string;
}

export interface ResolvedExecutorCli {
  readonly url: string;
  readonly display: string;
  readonly cores: number;
  readonly prefix: string;
  readonly executorId?: string;
  readonly graceMs: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
}

/** Environment variables `kjob executor` reads when the matching flag is absent (documented in docker-compose.yml). */
export const EXECUTOR_ENV = ['KJOB_MASTER', 'KJOB_EXECUTOR_CORES', 'KJOB_REDIS_PREFIX', 'KJOB_EXECUTOR_GRACE_MS', 'KJOB_TASK_SECRET_KEY', 'LOG_LEVEL'] as const;

/** Flags win over environment variables, which win over defaults. Throws ConfigError naming the flag. */
export function resolveExecutorCli(input: ExecutorCliInput, env: NodeJS.ProcessEnv = process.env): ResolvedExecutorCli {
  const master = input.master ?? env['KJOB_MASTER'];
  if (!master) {
    throw new ConfigError('kjob executor needs --master redis://host:port[/db] (or KJOB_MASTER)', { context: { option: '--master' } });
  }
  const spec = parseMaster(master);
  if (spec.kind !== 'redis') {
    throw new ConfigError(`kjob executor serves a Redis cluster; --master '${master}' is a ${spec.kind} master, which runs its tasks inside the driver`, {
      resolution: 'Pass --master redis://host:port[/db].',
      context: { option: '--master' },
    });
  }
  const prefix = input.prefix ?? env['KJOB_REDIS_PREFIX'] ?? DEFAULT_PREFIX;
  if (!/^[A-Za-z0-9_.-]+$/.test(prefix)) throw new ConfigError(`--prefix '${prefix}' may hold only letters, digits, '_', '.' and '-'`, { context: { option: '--prefix' } });
  const lockDurationMs = int(input.lockDurationMs, '--lock-duration-ms', 10_000, 1000);
  // A malformed task secret key fails at start-up, not at the first task that carries a sealed secret.
  envTaskSecretKey(env);
  return {
    url: spec.url,
    display: spec.display,
    cores: int(input.cores ?? env['KJOB_EXECUTOR_CORES'], '--cores', availableParallelism(), 1),
    prefix,
    ...(input.id ? { executorId: input.id } : {}),
    graceMs: int(input.graceMs ?? env['KJOB_EXECUTOR_GRACE_MS'], '--grace-ms', 30_000, 0),
    lockDurationMs,
    stalledIntervalMs: int(input.stalledIntervalMs, '--stalled-interval-ms', Math.min(5000, lockDurationMs), 100),
    maxStalledCount: int(input.maxStalledCount, '--max-stalled-count', 2, 0),
  };
}

function int(text: string | undefined, flag: string, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new ConfigError(`${flag} must be an integer >= ${min}, got '${text}'`, { context: { option: flag } });
  }
  return n;
}
