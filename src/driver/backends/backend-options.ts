import { ConfigError } from '../../errors/kjob-error.js';
import { DEFAULT_PREFIX } from '../../protocol/cluster-keys.js';

/** What the backends read from the session configuration, resolved and validated once. */
export interface ResolvedBackendOptions {
  /** Queue and key prefix on Redis. @defaultValue 'kjob' (env KJOB_REDIS_PREFIX) */
  readonly prefix: string;
  /** First retry delay; doubles per attempt. @defaultValue 500 */
  readonly retryBackoffMs: number;
  /** How long a redis:// driver waits for a live executor before failing. @defaultValue 60000 */
  readonly executorWaitTimeoutMs: number;
  /** 'auto' = bar on a TTY, log lines elsewhere. @defaultValue 'auto' */
  readonly progress: 'auto' | 'bar' | 'log' | 'off';
}

export const BACKEND_CONF_KEYS = {
  prefix: 'kjob.redis.prefix',
  retryBackoffMs: 'kjob.task.retryBackoffMs',
  executorWaitTimeoutMs: 'kjob.executor.waitTimeoutMs',
  progress: 'kjob.progress',
} as const;

const PROGRESS_MODES = ['auto', 'bar', 'log', 'off'] as const;

export function resolveBackendOptions(conf: ReadonlyMap<string, string> | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedBackendOptions {
  const get = (k: string) => conf?.get(k);
  const prefix = get(BACKEND_CONF_KEYS.prefix) ?? env['KJOB_REDIS_PREFIX'] ?? DEFAULT_PREFIX;
  if (!/^[A-Za-z0-9_.-]+$/.test(prefix)) {
    throw new ConfigError(`${BACKEND_CONF_KEYS.prefix} '${prefix}' may hold only letters, digits, '_', '.' and '-'`, {
      context: { option: BACKEND_CONF_KEYS.prefix },
    });
  }
  const progress = get(BACKEND_CONF_KEYS.progress) ?? env['KJOB_PROGRESS'] ?? 'auto';
  if (!(PROGRESS_MODES as readonly string[]).includes(progress)) {
    throw new ConfigError(`${BACKEND_CONF_KEYS.progress} is '${progress}'; expected one of ${PROGRESS_MODES.join(', ')}`, {
      context: { option: BACKEND_CONF_KEYS.progress },
    });
  }
  return {
    prefix,
    retryBackoffMs: nonNegativeInt(get(BACKEND_CONF_KEYS.retryBackoffMs), BACKEND_CONF_KEYS.retryBackoffMs, 500),
    executorWaitTimeoutMs: nonNegativeInt(get(BACKEND_CONF_KEYS.executorWaitTimeoutMs), BACKEND_CONF_KEYS.executorWaitTimeoutMs, 60_000),
    progress: progress as ResolvedBackendOptions['progress'],
  };
}

export function nonNegativeInt(text: string | undefined, option: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < 0) {
    throw new ConfigError(`${option} must be a non-negative integer, got '${text}'`, { context: { option } });
  }
  return n;
}

/** Exponential backoff shared by both backends: base, 2×base, 4×base … capped at a minute. */
export function retryDelayMs(baseMs: number, failedAttempts: number): number {
  return Math.min(60_000, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}
