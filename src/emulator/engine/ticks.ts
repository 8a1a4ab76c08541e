import { TICKS } from '../storage-types.js';

/**
 * Conversions between Kusto's 100-ns ticks (the storage form of datetime and timespan, see
 * storage-types.ts) and the text forms the service prints and accepts.
 */

const TICKS_PER_MS = 10_000n;
/** 0001-01-01 and 9999-12-31T23:59:59.9999999, the range of a Kusto datetime, as ticks since 1970. */
export const MIN_DATETIME_TICKS = -621355968000000000n;
export const MAX_DATETIME_TICKS = 2534023007999999999n;

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}

/** `2024-01-02T03:04:05.1234567Z`: always seven fractional digits, as the service prints them. */
export function formatDatetime(ticks: bigint): string {
  let ms = ticks / TICKS_PER_MS;
  let sub = ticks % TICKS_PER_MS;
  if (sub < 0n) {
    sub += TICKS_PER_MS;
    ms -= 1n;
  }
  const d = new Date(Number(ms));
  const year = d.getUTCFullYear();
  const frac = BigInt(d.getUTCMilliseconds()) * TICKS_PER_MS + sub;
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(frac, 7)}Z`;
}

/** `[-][d.]hh:mm:ss.fffffff`, the only form the SDK decodes. */
export function formatTimespan(ticks: bigint): string {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const days = t / TICKS.day;
  t %= TICKS.day;
  const h = t / TICKS.hour;
  t %= TICKS.hour;
  const m = t / TICKS.minute;
  t %= TICKS.minute;
  const s = t / TICKS.second;
  const f = t % TICKS.second;
  return `${neg ? '-' : ''}${days > 0n ? `${days}.` : ''}${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(f, 7)}`;
}

export function dateToTicks(d: Date): bigint {
  return BigInt(d.getTime()) * TICKS_PER_MS;
}

export function nowTicks(): bigint {
  return dateToTicks(new Date());
}

export function ticksToDate(ticks: bigint): Date {
  return new Date(Number(ticks / TICKS_PER_MS));
}

const ISO_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses the datetime forms ingestion and commands accept (ISO 8601 with up to 9 fractional digits,
 * a space instead of `T`, an optional zone) into ticks; undefined when the text is not a datetime.
 */
export function parseDatetime(text: string): bigint | undefined {
  const fast = parseCanonicalDatetime(text);
  if (fast !== undefined) return fast;
  const s = text.trim();
  const m = ISO_RE.exec(s);
  if (!m) {
    // RFC 1123 and other forms Date understands (the service accepts them too).
    if (!/[a-z]{3}/i.test(s)) return undefined;
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? undefined : BigInt(ms) * TICKS_PER_MS;
  }
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(se ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (date.getUTCDate() !== day) return undefined; // e.g. 2023-02-30
  let ticks = BigInt(date.getTime()) * TICKS_PER_MS;
  if (frac) ticks += BigInt((frac + '0000000').slice(0, 7));
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1n : 1n;
    const digits = zone.slice(1).replace(':', '');
    const offset = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * TICKS.minute;
    ticks -= sign * offset;
  }
  if (ticks < MIN_DATETIME_TICKS || ticks > MAX_DATETIME_TICKS) return undefined;
  return ticks;
}

const SPAN_RE = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/;
const SPAN_UNIT_RE = /^(-)?(\d+(?:\.\d+)?)\s*(d|h|m|s|ms|microsecond|tick|days?|hours?|minutes?|seconds?|milliseconds?)$/i;

/** Parses `[-][d.]hh:mm[:ss[.fffffff]]` or `1.5h`-style spans into ticks; undefined otherwise. */
export function parseTimespan(text: string): bigint | undefined {
  const s = text.trim();
  const m = SPAN_RE.exec(s);
  if (m) {
    const [, neg, d, h, mi, se, frac] = m;
    if (Number(h) > 23 || Number(mi) > 59 || Number(se ?? 0) > 59) return undefined;
    let t = BigInt(d ?? 0) * TICKS.day + BigInt(h ?? 0) * TICKS.hour + BigInt(mi ?? 0) * TICKS.minute + BigInt(se ?? 0) * TICKS.second;
    if (frac) t += BigInt((frac + '0000000').slice(0, 7));
    return neg ? -t : t;
  }
  const u = SPAN_UNIT_RE.exec(s);
  if (!u) return undefined;
  const unit = u[3]!.toLowerCase();
  const per =
    unit.startsWith('d') ? TICKS.day
    : unit.startsWith('h') ? TICKS.hour
    : unit === 'm' || unit.startsWith('minute') ? TICKS.minute
    : unit === 's' || unit.startsWith('second') ? TICKS.second
    : unit === 'ms' || unit.startsWith('milli') ? TICKS.millisecond
    : unit === 'microsecond' ? TICKS.microsecond
    : 1n;
  const [whole, fracPart = ''] = u[2]!.split('.');
  let t = BigInt(whole!) * per;
  if (fracPart) t += (BigInt(fracPart) * per) / 10n ** BigInt(fracPart.length);
  return u[1] ? -t : t;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, from: number, len: number): number {
  let n = 0;
  for (let i = from; i < from + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * The hot path of CSV ingestion: `YYYY-MM-DDTHH:MM:SS[.f{1,7}]Z` without regex or Date objects
 * (days from the civil date, Howard Hinnant's algorithm). Anything else returns undefined and goes
 * through the general parser.
 */
function parseCanonicalDatetime(s: string): bigint | undefined {
  const n = s.length;
  if (n < 20 || n > 28 || s.charCodeAt(n - 1) !== 90 /* Z */ || s[4] !== '-' || s[7] !== '-' || (s[10] !== 'T' && s[10] !== ' ') || s[13] !== ':' || s[16] !== ':') return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const se = digits(s, 17, 2);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]! || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return undefined;
  if (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return undefined;
  let frac = 0;
  if (n > 20) {
    if (s[19] !== '.' || n === 21) return undefined;
    const len = n - 21;
    frac = digits(s, 20, len);
    if (frac < 0) return undefined;
    for (let i = len; i < 7; i++) frac *= 10;
  }
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  const seconds = days * 86400 + h * 3600 + mi * 60 + se;
  return BigInt(seconds) * 10_000_000n + BigInt(frac);
}
