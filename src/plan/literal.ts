import type { DataTypeName, Expr, LiteralValue } from './expr.js';
import { PlanError } from '../errors/kjob-error.js';

/** A JS value a user may pass where a literal is expected. */
export type LiteralInput = null | undefined | boolean | number | bigint | string | Date;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The literal expression for a JS value, typed as Spark types its literals: small integers are int32,
 * other integers int64, fractions float64, bigint int64, Date a timestamp. Values JSON cannot carry
 * (bigint, Date, NaN, ±Infinity) are tagged so the plan stays JSON-serialisable.
 */
export function literalExpr(value: LiteralInput): Expr {
  if (value === null || value === undefined) return freezeLit(null);
  switch (typeof value) {
    case 'boolean':
      return freezeLit(value, 'boolean');
    case 'string':
      return freezeLit(value, 'string');
    case 'bigint':
      if (value < -(2n ** 63n) || value >= 2n ** 63n) throw new PlanError(`Literal ${value} does not fit in int64`);
      return freezeLit({ $bigint: value.toString() }, 'int64');
    case 'number':
      if (Number.isNaN(value)) return freezeLit({ $nan: true }, 'float64');
      if (!Number.isFinite(value)) return freezeLit({ $inf: value > 0 ? 1 : -1 }, 'float64');
      if (Number.isInteger(value) && !Object.is(value, -0)) {
        if (value >= INT32_MIN && value <= INT32_MAX) return freezeLit(value, 'int32');
        if (Number.isSafeInteger(value)) return freezeLit({ $bigint: String(value) }, 'int64');
      }
      return freezeLit(value, 'float64');
    case 'object':
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new PlanError('Literal Date is invalid (NaN time)');
        return freezeLit({ $timestamp: value.toISOString() }, 'timestamp');
      }
      break;
    default:
      break;
  }
  throw new PlanError(`Unsupported literal value of type ${typeof value}: use a string, number, bigint, boolean, Date or null`);
}

function freezeLit(value: LiteralValue, type?: DataTypeName): Expr {
  const v = value !== null && typeof value === 'object' ? Object.freeze({ ...value }) : value;
  return Object.freeze(type ? { kind: 'lit' as const, value: v, type } : { kind: 'lit' as const, value: v });
}

/** The JS value of a literal as the evaluator uses it (bigint for $bigint, epoch microseconds for $timestamp as bigint, days for $date). */
export type DecodedLiteral =
  | { readonly t: 'null' }
  | { readonly t: 'boolean'; readonly v: boolean }
  | { readonly t: 'number'; readonly v: number }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'bigint'; readonly v: bigint }
  | { readonly t: 'timestamp'; readonly micros: bigint }
  | { readonly t: 'date'; readonly days: number }
  | { readonly t: 'decimal'; readonly text: string };

export function decodeLiteral(value: LiteralValue): DecodedLiteral {
  if (value === null) return { t: 'null' };
  if (typeof value === 'boolean') return { t: 'boolean', v: value };
  if (typeof value === 'number') return { t: 'number', v: value };
  if (typeof value === 'string') return { t: 'string', v: value };
  if ('$bigint' in value) return { t: 'bigint', v: BigInt(value.$bigint) };
  if ('$nan' in value) return { t: 'number', v: NaN };
  if ('$inf' in value) return { t: 'number', v: value.$inf * Infinity };
  if ('$timestamp' in value) {
    const micros = parseTimestampMicros(value.$timestamp);
    if (micros === null) throw new PlanError(`Invalid timestamp literal '${value.$timestamp}'`);
    return { t: 'timestamp', micros };
  }
  if ('$date' in value) {
    const days = parseDateDays(value.$date);
    if (days === null) throw new PlanError(`Invalid date literal '${value.$date}'`);
    return { t: 'date', days };
  }
  if ('$decimal' in value) return { t: 'decimal', text: value.$decimal };
  throw new PlanError(`Unknown literal encoding ${JSON.stringify(value)}`);
}

const TS_RE = /^(-?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses ISO-8601-like text (`2024-01-31`, `2024-01-31 10:00`, `2024-01-31T10:00:00.123456Z`,
 * `…+02:00`) to epoch microseconds; no zone means UTC, as Spark with `spark.sql.session.timeZone=UTC`.
 * Returns null for anything else, including impossible dates such as 2023-02-30.
 */
export function parseTimestampMicros(text: string): bigint | null {
  const m = TS_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return null;
  let micros = BigInt(date.getTime()) * 1000n + BigInt((frac + '000000').slice(0, 6));
  if (zone && zone.toUpperCase() !== 'Z') {
    const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offsetMin = (Number(zm[2]) * 60 + Number(zm[3])) * (zm[1] === '-' ? -1 : 1);
    micros -= BigInt(offsetMin) * 60_000_000n;
  }
  return micros;
}

/** Parses `yyyy-mm-dd` (optionally followed by a time, which is ignored, as Spark's cast to date does). */
export function parseDateDays(text: string): number | null {
  const m = /^(-?\d{4,6})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return null;
  return Math.floor(date.getTime() / 86_400_000);
}
