/** Durations `kjob doctor` reads (`--since 6h`, Kusto timespans in policies) and shows (ages). */
import { ConfigError } from '../errors/kjob-error.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `6h`, `2d`, `1h30m` → milliseconds; the error names `option`. */
export function parseSince(text: string, option = '--since'): number {
  const s = text.trim().toLowerCase();
  if (!/^(?:\d+[smhd])+$/.test(s)) {
    throw new ConfigError(`${option} '${text}' is not a duration`, { resolution: `Write a number with a unit (s, m, h, d), e.g. ${option} 6h or ${option} 2d.`, context: { option } });
  }
  let ms = 0;
  for (const m of s.matchAll(/(\d+)([smhd])/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  if (ms <= 0 || !Number.isSafeInteger(ms)) throw new ConfigError(`${option} '${text}' must be longer than 0`, { context: { option } });
  return ms;
}

export { parseKustoTimespan } from '../util/kusto-timespan.js';

/** `3d 4h`, `2h 5m`, `40s`: two units at most, enough to judge an age. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  let s = Math.floor(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= size && parts.length < 2) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.length === 0 ? '0s' : parts.join(' ');
}
