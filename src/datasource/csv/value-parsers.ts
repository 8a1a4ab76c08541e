/**
 * Parsers from UTF-8/ASCII bytes to values, used by the CSV column builders and by schema
 * inference. Pure. Each returns `undefined` (or NaN for numbers) for text that is not a value of the
 * type, so the caller decides between null, dropping the row and failing.
 */

const SPACE = 32;
const TAB = 9;

function trim(buf: Uint8Array, start: number, end: number): [number, number] {
  while (start < end && (buf[start] === SPACE || buf[start] === TAB)) start++;
  while (end > start && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
  return [start, end];
}

/** An integer with at most 15 digits as a Number, a longer one as a BigInt; undefined if not an integer. */
export function parseInteger(buf: Uint8Array, s: number, e: number): number | bigint | undefined {
  [s, e] = trim(buf, s, e);
  let i = s;
  let negative = false;
  if (i < e && (buf[i] === 45 || buf[i] === 43)) {
    negative = buf[i] === 45;
    i++;
  }
  if (i >= e) return undefined;
  const digits = e - i;
  if (digits <= 15) {
    let n = 0;
    for (; i < e; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) return undefined;
      n = n * 10 + d;
    }
    return negative ? -n : n;
  }
  for (let k = i; k < e; k++) if (buf[k]! < 48 || buf[k]! > 57) return undefined;
  const big = BigInt(Buffer.from(buf.buffer, buf.byteOffset + i, digits).toString('latin1'));
  return negative ? -big : big;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function inInt64Range(v: number | bigint): boolean {
  return typeof v === 'number' || (v >= INT64_MIN && v <= INT64_MAX);
}

/** A decimal floating-point number, NaN, Infinity or -Infinity; NaN result with ok=false if not a number. */
export function parseFloatBytes(buf: Uint8Array, s: number, e: number): { ok: boolean; value: number } {
  [s, e] = trim(buf, s, e);
  if (s >= e) return { ok: false, value: NaN };
  // Validate the shape first: Number() alone would accept '0x1F', '' and '1_0'.
  let i = s;
  if (buf[i] === 45 || buf[i] === 43) i++;
  const rest = e - i;
  const first = buf[i];
  if (first === 78 || first === 110 || first === 73 || first === 105) {
    const word = Buffer.from(buf.buffer, buf.byteOffset + i, rest).toString('latin1').toLowerCase();
    if (word === 'nan') return { ok: true, value: NaN };
    if (word === 'infinity' || word === 'inf') return { ok: true, value: buf[s] === 45 ? -Infinity : Infinity };
    return { ok: false, value: NaN };
  }
  let digits = 0;
  while (i < e && buf[i]! >= 48 && buf[i]! <= 57) (i++, digits++);
  if (i < e && buf[i] === 46) {
    i++;
    while (i < e && buf[i]! >= 48 && buf[i]! <= 57) (i++, digits++);
  }
  if (digits === 0) return { ok: false, value: NaN };
  if (i < e && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    if (i < e && (buf[i] === 45 || buf[i] === 43)) i++;
    let exp = 0;
    while (i < e && buf[i]! >= 48 && buf[i]! <= 57) (i++, exp++);
    if (exp === 0) return { ok: false, value: NaN };
  }
  if (i !== e) return { ok: false, value: NaN };
  return { ok: true, value: Number(Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1')) };
}

export function parseBoolean(buf: Uint8Array, s: number, e: number): boolean | undefined {
  [s, e] = trim(buf, s, e);
  const n = e - s;
  if (n === 4 && (buf[s]! | 32) === 116 && (buf[s + 1]! | 32) === 114 && (buf[s + 2]! | 32) === 117 && (buf[s + 3]! | 32) === 101) return true;
  if (n === 5 && (buf[s]! | 32) === 102 && (buf[s + 1]! | 32) === 97 && (buf[s + 2]! | 32) === 108 && (buf[s + 3]! | 32) === 115 && (buf[s + 4]! | 32) === 101) return false;
  return undefined;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (any year, integer arithmetic only). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;

function text(buf: Uint8Array, s: number, e: number): string {
  [s, e] = trim(buf, s, e);
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1');
}

/** `yyyy-MM-dd` → days since the epoch. */
export function parseDate(buf: Uint8Array, s: number, e: number): number | undefined {
  if (e - s > 16) return undefined;
  const m = DATE.exec(text(buf, s, e));
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return daysFromCivil(y, mo, d);
}

/**
 * ISO-8601 timestamp (`yyyy-MM-dd[T| ]HH:mm[:ss[.fffffffff]][Z|±HH[:mm]]`, or a bare date) →
 * microseconds since the epoch, UTC. Text without a zone is read as UTC; digits past microseconds
 * are truncated.
 */
export function parseTimestamp(buf: Uint8Array, s: number, e: number): bigint | undefined {
  const fast = fastTimestampMicros(buf, s, e);
  if (fast !== undefined) return BigInt(fast);
  if (e - s > 48) return undefined;
  const m = TIMESTAMP.exec(text(buf, s, e));
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return undefined;
  let offset = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z' && zone.toUpperCase() !== 'UTC') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const zh = Number(digits.slice(0, 2));
    const zm = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (zh > 18 || zm > 59) return undefined;
    offset = sign * (zh * 3600 + zm * 60);
  }
  const seconds = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
  const micros = m[7] === undefined ? 0 : Number(m[7].slice(0, 6).padEnd(6, '0'));
  return BigInt(seconds) * 1_000_000n + BigInt(micros);
}

/** A decimal number as an unscaled bigint at `scale`, or undefined if it is not one or needs more than `precision` digits. */
export function parseDecimal(buf: Uint8Array, s: number, e: number, precision: number, scale: number): bigint | undefined {
  const t = text(buf, s, e);
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const intPart = m[2]!.replace(/^0+(?=\d)/, '');
  const frac = m[3] ?? '';
  if (frac.length > scale && /[^0]/.test(frac.slice(scale))) return undefined; // would lose digits
  const digits = `${intPart}${frac.slice(0, scale).padEnd(scale, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.replace(/^0+/, '').length > precision) return undefined;
  const v = BigInt(digits === '' ? '0' : digits);
  return m[1] === '-' ? -v : v;
}

const digit = (buf: Uint8Array, i: number): number => {
  const d = buf[i]! - 48;
  return d >= 0 && d <= 9 ? d : -1000;
};

/**
 * The hot path of `parseTimestamp` for the canonical form `yyyy-MM-ddTHH:mm:ss[.f{1,9}][Z]` (or a
 * space instead of T) within years whose microseconds fit a double exactly (about 1685–2255);
 * undefined sends everything else to the general parser.
 */
function fastTimestampMicros(buf: Uint8Array, s: number, e: number): number | undefined {
  const len = e - s;
  if (len < 19 || buf[s + 4] !== 45 || buf[s + 7] !== 45 || buf[s + 13] !== 58 || buf[s + 16] !== 58) return undefined;
  const sepT = buf[s + 10];
  if (sepT !== 84 && sepT !== 32) return undefined;
  const y = digit(buf, s) * 1000 + digit(buf, s + 1) * 100 + digit(buf, s + 2) * 10 + digit(buf, s + 3);
  const mo = digit(buf, s + 5) * 10 + digit(buf, s + 6);
  const d = digit(buf, s + 8) * 10 + digit(buf, s + 9);
  const h = digit(buf, s + 11) * 10 + digit(buf, s + 12);
  const mi = digit(buf, s + 14) * 10 + digit(buf, s + 15);
  const sec = digit(buf, s + 17) * 10 + digit(buf, s + 18);
  if (y < 1700 || y > 2250 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  let i = s + 19;
  let micros = 0;
  if (i < e && buf[i] === 46) {
    i++;
    let scale = 100000;
    const fracStart = i;
    while (i < e && buf[i]! >= 48 && buf[i]! <= 57) {
      if (scale >= 1) micros += (buf[i]! - 48) * scale;
      scale /= 10;
      i++;
    }
    if (i === fracStart || i - fracStart > 9) return undefined;
    micros = Math.floor(micros);
  }
  if (i < e && buf[i] === 90) i++;
  if (i !== e) return undefined;
  return (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) * 1_000_000 + micros;
}
