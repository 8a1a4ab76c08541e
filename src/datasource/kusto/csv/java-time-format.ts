/**
 * Java `LocalDateTime.toString()` and `java.sql.Date` text, as the Spark connector writes timestamps and
 * dates into its CSV (reference §3.5): `yyyy-MM-ddTHH:mm`, then `:ss` only when seconds or the
 * fraction are non-zero, then the fraction in groups of 3, 6 or 9 digits. No offset: Kusto reads the
 * value as UTC, and the wall clock is taken in the sink's `timeZone` option (default UTC).
 */
import { civilFromDays } from '../../../util/civil-date.js';
import { InvalidParameterException } from '../errors/parameter-errors.js';

const NANOS_PER_SECOND = 1_000_000_000n;
const SECONDS_PER_DAY = 86_400;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, '0');
  if (year > 9999) return `+${year}`;
  return `-${String(-year).padStart(4, '0')}`;
}

/** `yyyy-MM-dd` of a day count since the epoch (Arrow Date32). */
export function formatEpochDay(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${formatYear(year)}-${pad2(month)}-${pad2(day)}`;
}

/** `.SSS`, `.SSSSSS` or `.SSSSSSSSS`: the shortest of Java's three groupings that holds `nanos`. */
export function javaFraction(nanos: number): string {
  return fraction(nanos);
}

function fraction(nanos: number): string {
  if (nanos === 0) return '';
  if (nanos % 1_000_000 === 0) return `.${String(nanos / 1_000_000).padStart(3, '0')}`;
  if (nanos % 1_000 === 0) return `.${String(nanos / 1_000).padStart(6, '0')}`;
  return `.${String(nanos).padStart(9, '0')}`;
}

/** LocalDateTime.toString of an instant given as nanoseconds since the epoch, shifted by `offsetSeconds`. */
export function formatLocalDateTime(epochNanos: bigint, offsetSeconds = 0): string {
  let seconds = epochNanos / NANOS_PER_SECOND;
  let nanos = epochNanos - seconds * NANOS_PER_SECOND;
  if (nanos < 0n) {
    nanos += NANOS_PER_SECOND;
    seconds -= 1n;
  }
  return formatLocalDateTimeParts(Number(seconds) + offsetSeconds, Number(nanos));
}

/** LocalDateTime.toString of local wall-clock seconds since the epoch plus 0..999 999 999 nanoseconds. */
export function formatLocalDateTimeParts(localSeconds: number, nanos: number): string {
  const days = Math.floor(localSeconds / SECONDS_PER_DAY);
  const secOfDay = localSeconds - days * SECONDS_PER_DAY;
  const h = Math.floor(secOfDay / 3600);
  const m = Math.floor((secOfDay % 3600) / 60);
  const s = secOfDay % 60;
  const time = s === 0 && nanos === 0 ? `${pad2(h)}:${pad2(m)}` : `${pad2(h)}:${pad2(m)}:${pad2(s)}${fraction(nanos)}`;
  return `${formatEpochDay(days)}T${time}`;
}

/**
 * A function giving the UTC offset (seconds) of a zone at an instant. `UTC`, `Z`, `GMT` and fixed
 * offsets (`+02:00`) are constant; IANA names (`Europe/Paris`) go through Intl, so DST applies.
 */
export function zoneOffsetResolver(timeZone: string): (epochSeconds: number) => number {
  const tz = timeZone.trim();
  if (/^(utc|z|gmt|etc\/utc)$/i.test(tz)) return () => 0;
  const fixed = /^(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(tz);
  if (fixed) {
    const off = (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 3600 + Number(fixed[3] ?? 0) * 60);
    return () => off;
  }
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    throw new InvalidParameterException(`Unknown timeZone '${timeZone}'`, { option: 'timeZone' });
  }
  return (epochSeconds) => {
    const parts: Record<string, number> = {};
    for (const p of fmt.formatToParts(new Date(epochSeconds * 1000))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    return Math.round(asUtc / 1000 - epochSeconds);
  };
}
