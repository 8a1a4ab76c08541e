import { TICKS } from '../storage-types.js';

/**
 * Parsing of datetime and timespan literal texts into 100-ns ticks (bigint), exactly: JavaScript
 * Dates stop at milliseconds and misplace years below 100, while Kusto keeps 7 fractional digits
 * over years 0001-9999.
 */

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): bigint {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return BigInt(era * 146097 + doe - 719468);
}

/** Ticks of `digits` read as a decimal fraction of `unit` ticks (truncating below one tick). */
function fractionTicks(digits: string, unit: bigint): bigint {
  if (digits === '') return 0n;
  return (BigInt(digits) * unit) / 10n ** BigInt(digits.length);
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Ticks since the Unix epoch of a Kusto datetime text, or undefined when it is not one we read. */
export function parseDateTimeTicks(text: string): bigint | undefined {
  const t = text.trim();
  const m = ISO.exec(t);
  if (m) {
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const hour = Number(h ?? 0);
    const minute = Number(mi ?? 0);
    const second = Number(s ?? 0);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
    let ticks = daysFromCivil(year, month, day) * TICKS.day + BigInt(hour) * TICKS.hour + BigInt(minute) * TICKS.minute + BigInt(second) * TICKS.second;
    ticks += fractionTicks((frac ?? '').slice(0, 7), TICKS.second);
    if (zone && zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1n : 1n;
      const digits = zone.slice(1).replace(':', '');
      ticks -= sign * (BigInt(Number(digits.slice(0, 2))) * TICKS.hour + BigInt(Number(digits.slice(2))) * TICKS.minute);
    }
    return ticks;
  }
  // RFC 822/1123 and other forms: millisecond precision is all these forms carry anyway.
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : BigInt(ms) * TICKS.millisecond;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const UNIT_TICKS: ReadonlyArray<[RegExp, bigint]> = [
  [/^(d|day|days)$/i, TICKS.day],
  [/^(h|hr|hrs|hour|hours)$/i, TICKS.hour],
  [/^(m|min|minute|minutes)$/i, TICKS.minute],
  [/^(s|sec|second|seconds)$/i, TICKS.second],
  [/^(ms|milli|millis|millisecond|milliseconds)$/i, TICKS.millisecond],
  [/^(microsecond|microseconds)$/i, TICKS.microsecond],
  [/^(tick|ticks)$/i, 1n],
];

/**
 * Ticks of a Kusto timespan text: `1d`, `1.5h`, `100ms`, `1tick`, `time(1.02:03:04)`,
 * `timespan(00:00:01.5)`, `time(2)` (days). Returns null for `time(null)`, undefined when unreadable.
 */
export function parseTimespanTicks(text: string): bigint | null | undefined {
  let t = text.trim();
  const wrapped = /^(?:time|timespan)\s*\(\s*(.*?)\s*\)$/is.exec(t);
  if (wrapped) {
    t = wrapped[1] ?? '';
    if (/^null$/i.test(t)) return null;
  }
  let sign = 1n;
  if (t.startsWith('-')) {
    sign = -1n;
    t = t.slice(1);
  } else if (t.startsWith('+')) {
    t = t.slice(1);
  }
  const unit = /^(\d+)(?:\.(\d+))?\s*([a-z]+)$/i.exec(t);
  if (unit) {
    const [, whole, frac, name] = unit;
    const factor = UNIT_TICKS.find(([re]) => re.test(name ?? ''))?.[1];
    if (factor === undefined) return undefined;
    return sign * (BigInt(whole ?? '0') * factor + fractionTicks(frac ?? '', factor));
  }
  const clock = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/.exec(t);
  if (clock) {
    const [, d, h, mi, s, frac] = clock;
    return (
      sign *
      (BigInt(d ?? '0') * TICKS.day + BigInt(h ?? '0') * TICKS.hour + BigInt(mi ?? '0') * TICKS.minute + BigInt(s ?? '0') * TICKS.second + fractionTicks(frac ?? '', TICKS.second))
    );
  }
  const days = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (days) return sign * (BigInt(days[1] ?? '0') * TICKS.day + fractionTicks(days[2] ?? '', TICKS.day));
  return undefined;
}
