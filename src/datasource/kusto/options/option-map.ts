/**
 * The connector's options arrive as a string map whose keys are case-insensitive (Spark passes a
 * CaseInsensitiveMap). This wrapper answers lookups by lower-cased key, tracks which keys were read,
 * and parses the connector's value syntaxes with its exact error texts.
 */
import { InvalidParameterException } from '../errors/parameter-errors.js';

export type OptionInput = Readonly<Record<string, string | number | boolean | undefined>> | ReadonlyMap<string, string>;

export class OptionMap {
  readonly #values = new Map<string, { key: string; value: string }>();

  constructor(input: OptionInput) {
    const entries = input instanceof Map ? [...input.entries()] : Object.entries(input as Record<string, unknown>);
    for (const [key, raw] of entries) {
      if (raw === undefined || raw === null) continue;
      const lower = key.toLowerCase();
      if (this.#values.has(lower) && this.#values.get(lower)!.key !== key) {
        throw new InvalidParameterException(`Option '${key}' is given twice (as '${this.#values.get(lower)!.key}' and '${key}'); option names are case-insensitive`, { option: key });
      }
      this.#values.set(lower, { key, value: String(raw) });
    }
  }

  /** The keys as the caller spelled them. */
  keys(): string[] {
    return [...this.#values.values()].map((v) => v.key);
  }

  has(key: string): boolean {
    return this.#values.has(key.toLowerCase());
  }

  /** The value, or undefined when absent. Values are not trimmed (secrets and queries are verbatim). */
  get(key: string): string | undefined {
    return this.#values.get(key.toLowerCase())?.value;
  }

  /** First present key among aliases. */
  getAny(...keys: string[]): string | undefined {
    for (const k of keys) {
      const v = this.get(k);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** A non-blank value or undefined (blank counts as absent, as in the connector's `isNullOrEmpty` checks). */
  getNonBlank(key: string): string | undefined {
    const v = this.get(key);
    return v === undefined || v.trim() === '' ? undefined : v;
  }

  /** Scala `toBoolean`: `true`/`false` in any case; anything else is an error naming the option. */
  boolean(key: string, defaultValue: boolean): boolean {
    const v = this.get(key);
    if (v === undefined) return defaultValue;
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
    throw new InvalidParameterException(`Option '${key}' must be 'true' or 'false', got '${v}'`, { option: key });
  }

  /** A whole number within bounds. */
  integer(key: string, defaultValue: number, { min = -Infinity, max = Infinity }: { min?: number; max?: number } = {}): number {
    const v = this.get(key);
    if (v === undefined) return defaultValue;
    const t = v.trim();
    const n = /^[+-]?\d+$/.test(t) ? Number(t) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      const range = min > -Infinity && max < Infinity ? ` between ${min} and ${max}` : min > -Infinity ? ` >= ${min}` : '';
      throw new InvalidParameterException(`Option '${key}' must be a whole number${range}, got '${v}'`, { option: key });
    }
    return n;
  }

  /** Enum values are exact and case-sensitive (Scala `withName`), with the connector's message. */
  enumValue<T extends string>(key: string, values: readonly T[], defaultValue: T, enumName: string): T {
    const v = this.get(key);
    if (v === undefined) return defaultValue;
    if ((values as readonly string[]).includes(v)) return v as T;
    const hint = values.find((x) => x.toLowerCase() === v.trim().toLowerCase());
    throw new InvalidParameterException(`No such ${enumName} option: '${v}'${hint ? ` (did you mean '${hint}'? values are case-sensitive)` : ''}`, { option: key });
  }
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return dp[a.length]![b.length]!;
}

/** Rejects keys outside `known`, suggesting the closest known key. */
export function rejectUnknownOptions(options: OptionMap, known: readonly string[], what: string): void {
  const lower = new Set(known.map((k) => k.toLowerCase()));
  for (const key of options.keys()) {
    if (lower.has(key.toLowerCase())) continue;
    let best: string | undefined;
    let bestD = Infinity;
    for (const k of known) {
      const d = distance(key.toLowerCase(), k.toLowerCase());
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    const hint = best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 4)) ? ` Did you mean '${best}'?` : '';
    throw new InvalidParameterException(`Unknown ${what} option '${key}'.${hint}`, { option: key });
  }
}
