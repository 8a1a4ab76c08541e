import { ConfigError } from '../errors/kjob-error.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+)(ms|s|m|h|d)/g;

/**
 * Parses a duration such as `90s`, `30m`, `1h30m` or `500ms` into milliseconds. `option` names the
 * flag in the error.
 */
export function parseDuration(text: string, option: string): number {
  const s = text.trim().toLowerCase();
  const whole = /^(?:\d+(?:ms|s|m|h|d))+$/;
  if (!whole.test(s)) {
    throw new ConfigError(`${option} '${text}' is not a duration`, {
      resolution: `Write it as a number with a unit (ms, s, m, h, d), e.g. ${option} 30m, ${option} 90s or ${option} 1h30m.`,
      context: { option },
    });
  }
  let ms = 0;
  for (const m of s.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  if (ms <= 0 || !Number.isSafeInteger(ms)) throw new ConfigError(`${option} '${text}' must be longer than 0`, { context: { option } });
  return ms;
}

/** `5400000` → `1h30m`: how a duration is shown back (list, history, errors). */
export function formatDuration(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`;
  let s = ms / 1000;
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('') || '0s';
}
