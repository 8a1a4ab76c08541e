import { ConfigError } from '../../errors/kjob-error.js';
import { parseMaster } from '../../driver/backends/master-url.js';
import { DEFAULT_PREFIX } from '../../protocol/cluster-keys.js';

export const DEFAULT_STORE_URL = 'redis://127.0.0.1:6379';

export interface ResolvedStore {
  readonly url: string;
  readonly display: string;
  readonly prefix: string;
}

/**
 * Where schedules live: the flag (`--redis`, or `--master` for `kjob scheduler`), else KJOB_MASTER when
 * it is a Redis URL (a local[*] master says nothing about a store), else redis://127.0.0.1:6379. Key
 * prefix from KJOB_REDIS_PREFIX (default 'kjob'), as for executors and drivers.
 */
export function resolveStore(flag: string | undefined, option: string, env: NodeJS.ProcessEnv = process.env): ResolvedStore {
  const envMaster = env['KJOB_MASTER'];
  const text = flag ?? (envMaster && /^rediss?:\/\//i.test(envMaster.trim()) ? envMaster : DEFAULT_STORE_URL);
  const spec = parseMaster(text);
  if (spec.kind !== 'redis') {
    throw new ConfigError(`${option} '${text}' is not a Redis URL; schedules live in Redis`, {
      resolution: `Pass ${option} redis://host:port[/db] (env KJOB_MASTER).`,
      context: { option },
    });
  }
  const prefix = env['KJOB_REDIS_PREFIX'] ?? DEFAULT_PREFIX;
  if (!/^[A-Za-z0-9_.-]+$/.test(prefix)) throw new ConfigError(`KJOB_REDIS_PREFIX '${prefix}' may hold only letters, digits, '_', '.' and '-'`, { context: { option: 'KJOB_REDIS_PREFIX' } });
  return { url: spec.url, display: spec.display, prefix };
}

/** A positive integer flag, or the fallback; errors name the flag. */
export function intFlag(text: string | undefined, flag: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${flag} must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}, got '${text}'`, { context: { option: flag } });
  }
  return n;
}
