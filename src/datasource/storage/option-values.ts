import { ConfigError } from '../../errors/kjob-error.js';
import { redact } from '../../util/redact.js';

/**
 * Shared, eager option parsing for the file formats. Keys are case-insensitive like Spark's; every
 * error names the option and the allowed values, and no value is echoed unredacted.
 */
export class OptionReader {
  private readonly byLower = new Map<string, { key: string; value: string }>();

  constructor(
    private readonly format: string,
    options: Readonly<Record<string, string>>,
    known: readonly string[],
  ) {
    const knownLower = new Map(known.map((k) => [k.toLowerCase(), k]));
    for (const [key, value] of Object.entries(options)) {
      if (value === undefined) continue;
      if (!knownLower.has(key.toLowerCase())) {
        throw new ConfigError(`Unknown ${format} option '${key}'`, {
          resolution: `Valid ${format} options: ${[...known].sort().join(', ')}.`,
          context: { option: key, format },
        });
      }
      this.byLower.set(key.toLowerCase(), { key, value: String(value) });
    }
  }

  raw(name: string): string | undefined {
    return this.byLower.get(name.toLowerCase())?.value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  /** A single character (the empty string allowed only when `allowEmpty`). */
  char(name: string, fallback: string, allowEmpty = false): string {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const unescaped = v === '\\t' ? '\t' : v;
    if ([...unescaped].length === 1 || (allowEmpty && unescaped === '')) return unescaped;
    throw this.bad(name, v, allowEmpty ? 'a single character or the empty string' : 'a single character');
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const lower = v.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw this.bad(name, v, 'true, false');
  }

  integer(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const n = Number(v.trim());
    if (!/^[+-]?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw this.bad(name, v, `an integer between ${min} and ${max}`);
    return n;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const n = Number(v.trim());
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw this.bad(name, v, `a number between ${min} and ${max}`);
    return n;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const match = allowed.find((a) => a.toLowerCase() === v.trim().toLowerCase());
    if (match === undefined) throw this.bad(name, v, allowed.join(', '));
    return match;
  }

  private bad(name: string, value: string, allowed: string): ConfigError {
    const key = this.byLower.get(name.toLowerCase())?.key ?? name;
    const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    return new ConfigError(`Invalid value '${redact(shown)}' for ${this.format} option '${key}': expected ${allowed}`, {
      context: { option: key, format: this.format },
    });
  }
}
