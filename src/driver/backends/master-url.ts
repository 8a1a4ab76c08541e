import { availableParallelism } from 'node:os';
import { ConfigError } from '../../errors/kjob-error.js';

/** A parsed `--master` / `KJOB_MASTER` value. */
export type MasterSpec =
  | { readonly kind: 'inline' }
  | { readonly kind: 'local'; readonly threads: number }
  | { readonly kind: 'redis'; readonly url: string; readonly db: number; readonly tls: boolean; readonly display: string };

export const ACCEPTED_MASTERS = 'local, local[N], local[*], inline, redis://host:port[/db] or rediss://host:port[/db]';

const LOCAL = /^local(?:\[(\*|\d+)\])?$/;

/**
 * Parses the master the way Spark's `--master` reads: `local` (one thread), `local[N]`, `local[*]`
 * (= the machine's available parallelism), `inline` (tasks run in the driver's own thread), or a
 * Redis URL for the BullMQ cluster backend. Anything else is a ConfigError naming the value.
 */
export function parseMaster(master: string): MasterSpec {
  const text = master.trim();
  if (text === 'inline') return { kind: 'inline' };
  const local = LOCAL.exec(text);
  if (local) {
    const n = local[1];
    if (n === undefined) return { kind: 'local', threads: 1 };
    if (n === '*') return { kind: 'local', threads: availableParallelism() };
    const threads = Number(n);
    if (!Number.isSafeInteger(threads) || threads < 1 || threads > 1024) {
      throw new ConfigError(`Master '${text}' asks for ${n} threads; local[N] takes 1 to 1024`, {
        resolution: `Use one of: ${ACCEPTED_MASTERS}.`,
        context: { option: 'master', value: text },
      });
    }
    return { kind: 'local', threads };
  }
  if (/^rediss?:\/\//i.test(text)) return parseRedisMaster(text);
  throw new ConfigError(`Unknown master '${displayMaster(text)}'`, {
    resolution: `Use one of: ${ACCEPTED_MASTERS}.`,
    context: { option: 'master', value: displayMaster(text) },
  });
}

function parseRedisMaster(text: string): MasterSpec {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`Master '${displayMaster(text)}' is not a valid Redis URL`, {
      resolution: 'Write it as redis://host:port[/db] (or rediss:// for TLS).',
      context: { option: 'master' },
    });
  }
  if (!url.hostname) {
    throw new ConfigError(`Master '${displayMaster(text)}' names no Redis host`, {
      resolution: 'Write it as redis://host:port[/db].',
      context: { option: 'master' },
    });
  }
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!/^\d*$/.test(dbText) || !Number.isSafeInteger(db) || db > 15) {
    throw new ConfigError(`Master '${displayMaster(text)}' has database '${dbText}'; a Redis database is a number 0-15`, {
      resolution: 'Write it as redis://host:port/<db>, e.g. redis://localhost:6379/2.',
      context: { option: 'master' },
    });
  }
  return { kind: 'redis', url: text, db, tls: url.protocol === 'rediss:', display: displayMaster(text) };
}

/** The master as it may appear in logs and errors: a Redis password is replaced by '***'. */
export function displayMaster(master: string): string {
  return master.replace(/^(rediss?:\/\/)([^@/]*)@/i, (_m, scheme: string, userinfo: string) => {
    const user = userinfo.split(':')[0] ?? '';
    return `${scheme}${userinfo.includes(':') ? `${user}:***` : '***'}@`;
  });
}
