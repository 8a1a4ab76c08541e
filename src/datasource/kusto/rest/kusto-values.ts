/**
 * Exact conversions of Kusto wire texts (V2 JSON cells) into the integers Arrow stores: datetime →
 * ns since the epoch, timespan → ns, decimal → unscaled at a scale, long → bigint. Pure; throws
 * {@link KustoValueError} naming what could not be represented, never rounds silently.
 */
import { parseDecimal } from '../../../arrow/decimal.js';
import { JsonNumber, type LosslessValue } from './lossless-json.js';

export class KustoValueError extends Error {
  override name = 'KustoValueError';
}

const NS_MIN = -(2n ** 63n);
const NS_MAX = 2n ** 63n - 1n;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]00:?00)?$/;

/** `2024-01-02T03:04:05.1234567Z` → ns since 1970 (exact; 0001…9999 in, but Arrow ns holds 1677…2262). */
export function datetimeTextToNanos(text: string): bigint {
  const m = DATETIME.exec(text.trim());
  if (!m) throw new KustoValueError(`'${text}' is not a Kusto datetime`);
  const [, y, mo, d, h, mi, s, frac = ''] = m as unknown as [string, string, string, string, string, string, string, string | undefined];
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  const ns = BigInt(date.getTime()) * 1_000_000n + BigInt((frac + '000000000').slice(0, 9));
  if (ns < NS_MIN || ns > NS_MAX) throw new KustoValueError(`datetime ${text} is outside the range of an Arrow nanosecond timestamp (1677-09-21 … 2262-04-11)`);
  return ns;
}

const TIMESPAN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** `[-][d.]hh:mm:ss[.fffffff]` → ns. */
export function timespanTextToNanos(text: string): bigint {
  const m = TIMESPAN.exec(text.trim());
  if (!m) throw new KustoValueError(`'${text}' is not a Kusto timespan`);
  const [, neg, days = '0', h, mi, s, frac = ''] = m as unknown as [string, string | undefined, string | undefined, string, string, string, string | undefined];
  const seconds = BigInt(days) * 86_400n + BigInt(h) * 3600n + BigInt(mi) * 60n + BigInt(s);
  const ns = seconds * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
  const out = neg ? -ns : ns;
  if (out < NS_MIN || out > NS_MAX) throw new KustoValueError(`timespan ${text} is outside the range of an Arrow nanosecond duration (±292 years)`);
  return out;
}

/** A long cell (JSON number, or digits as a string) → bigint. */
export function longCell(v: LosslessValue): bigint {
  const t = v instanceof JsonNumber ? v.text : typeof v === 'string' ? v.trim() : undefined;
  if (t === undefined || !/^-?\d+$/.test(t)) throw new KustoValueError(`${JSON.stringify(v instanceof JsonNumber ? v.text : v)} is not a Kusto long`);
  const b = BigInt(t);
  if (b < NS_MIN || b > NS_MAX) throw new KustoValueError(`${t} is outside the range of a 64-bit long`);
  return b;
}

/** An int cell → number (checked to be a 32-bit integer). */
export function intCell(v: LosslessValue): number {
  const n = v instanceof JsonNumber ? Number(v.text) : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) throw new KustoValueError(`${JSON.stringify(v instanceof JsonNumber ? v.text : v)} is not a Kusto int`);
  return n;
}

/** A real cell: a JSON number, or "NaN" / "Infinity" / "-Infinity" as the service writes them. */
export function realCell(v: LosslessValue): number {
  if (v instanceof JsonNumber) return Number(v.text);
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity' || v === '+Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = Number(v);
    if (v.trim() !== '' && !Number.isNaN(n)) return n;
  }
  throw new KustoValueError(`${JSON.stringify(v)} is not a Kusto real`);
}

/** A decimal cell (the service sends text such as "12.3400") → unscaled at `scale`; more digits than the scale holds are an error, not rounded. */
export function decimalCell(v: LosslessValue, scale: number): bigint {
  const t = v instanceof JsonNumber ? v.text : typeof v === 'string' ? v.trim() : undefined;
  if (t === undefined) throw new KustoValueError(`${JSON.stringify(v)} is not a Kusto decimal`);
  let plain = t;
  if (/e/i.test(t)) {
    // 1E-05 style: expand exactly.
    const m = /^([+-]?)(\d*)(?:\.(\d*))?[eE]([+-]?\d+)$/.exec(t);
    if (!m) throw new KustoValueError(`'${t}' is not a Kusto decimal`);
    const digits = (m[2] ?? '') + (m[3] ?? '');
    const point = (m[2] ?? '').length + Number(m[4]);
    plain = point <= 0 ? `${m[1]}0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? `${m[1]}${digits}${'0'.repeat(point - digits.length)}` : `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const frac = /\.(\d*)$/.exec(plain)?.[1] ?? '';
  if (frac.replace(/0+$/, '').length > scale) throw new KustoValueError(`decimal ${t} has more than ${scale} fractional digits`);
  const u = parseDecimal(plain, scale);
  if (u === null) throw new KustoValueError(`'${t}' is not a Kusto decimal`);
  if (u >= 10n ** 38n || u <= -(10n ** 38n)) throw new KustoValueError(`decimal ${t} does not fit Decimal(38, ${scale})`);
  return u;
}
