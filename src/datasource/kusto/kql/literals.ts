/**
 * KQL literals for the non-string scalar types. These carry no free text (string-like values go
 * through quote.ts), so each validates its input and formats it in the lexer's own syntax.
 */
import { ConfigError } from '../../../errors/kjob-error.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TICKS_PER_SECOND = 10_000_000n;

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}

/** Splits an instant into whole UTC seconds since the epoch and 100-ns ticks within the second. */
function parseInstant(value: Date | string): { epochSeconds: number; ticks: number } {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new ConfigError('Invalid Date cannot be written as a KQL datetime');
    const epochSeconds = Math.floor(ms / 1000);
    return { epochSeconds, ticks: (ms - epochSeconds * 1000) * 10_000 };
  }
  const m = ISO.exec(value.trim());
  if (!m) throw new ConfigError(`'${value}' is not an ISO-8601 timestamp (yyyy-MM-ddTHH:mm:ss[.fffffffff][Z])`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const utc = new Date(0);
  utc.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  utc.setUTCHours(Number(h), Number(mi), Number(s), 0);
  if (utc.getUTCFullYear() !== Number(y) || utc.getUTCMonth() !== Number(mo) - 1 || utc.getUTCDate() !== Number(d) || utc.getUTCHours() !== Number(h) || utc.getUTCMinutes() !== Number(mi) || utc.getUTCSeconds() !== Number(s)) {
    throw new ConfigError(`'${value}' is not a valid calendar timestamp`);
  }
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  }
  // Kusto keeps 100 ns: digits 8 and 9 of a nanosecond fraction are truncated, not rounded, so a
  // value never moves into the next second/day.
  const ticks = Number((frac + '0000000').slice(0, 7));
  return { epochSeconds: utc.getTime() / 1000 - offsetMinutes * 60, ticks };
}

function formatInstant(epochSeconds: number, ticks: number): string {
  const d = new Date(epochSeconds * 1000);
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) throw new ConfigError(`Timestamp year ${year} is outside Kusto's datetime range 0001–9999`);
  const base = `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  const frac = ticks === 0 ? '' : `.${pad(ticks, 7).replace(/0+$/, '')}`;
  return `${base}${frac}Z`;
}

/** ISO-8601 UTC text of an instant with up to 7 fractional digits (Kusto's 100-ns precision). */
export function formatKustoInstant(value: Date | string): string {
  const { epochSeconds, ticks } = parseInstant(value);
  return formatInstant(epochSeconds, ticks);
}

/** `datetime(2024-01-02T03:04:05.1234567Z)`. Accepts a Date or ISO text (offsets are converted to UTC). */
export function datetimeLiteral(value: Date | string): string {
  return `datetime(${formatKustoInstant(value)})`;
}

/** `datetime(…)` from nanoseconds since the Unix epoch (the Arrow timestamp[ns] representation). */
export function datetimeLiteralFromEpochNanos(nanos: bigint): string {
  const seconds = nanos >= 0n ? nanos / 1_000_000_000n : -((-nanos + 999_999_999n) / 1_000_000_000n);
  const ticks = Number((nanos - seconds * 1_000_000_000n) / 100n);
  return `datetime(${formatInstant(Number(seconds), ticks)})`;
}

/** `timespan([-]d.hh:mm:ss[.fffffff])` from 100-ns ticks. */
export function timespanLiteral(ticks: bigint): string {
  return `timespan(${formatTimespan(ticks)})`;
}

/** Kusto's timespan text `[-]d.hh:mm:ss[.fffffff]` (also what CSV ingestion parses) from 100-ns ticks. */
export function formatTimespan(ticks: bigint): string {
  if (ticks < INT64_MIN || ticks > INT64_MAX) throw new ConfigError(`timespan of ${ticks} ticks is outside Kusto's range`);
  const sign = ticks < 0n ? '-' : '';
  let t = ticks < 0n ? -ticks : ticks;
  const frac = t % TICKS_PER_SECOND;
  t /= TICKS_PER_SECOND;
  const s = t % 60n;
  t /= 60n;
  const m = t % 60n;
  t /= 60n;
  const h = t % 24n;
  const d = t / 24n;
  const fraction = frac === 0n ? '' : `.${pad(frac, 7)}`;
  return `${sign}${d}.${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${fraction}`;
}

/** `long(123)`; refuses non-integers and values outside int64. */
export function longLiteral(value: bigint | number): string {
  const v = typeof value === 'bigint' ? value : toBigIntExact(value);
  if (v < INT64_MIN || v > INT64_MAX) throw new ConfigError(`${v} is outside Kusto's long (int64) range`);
  return `long(${v})`;
}

/** `int(5)`; refuses values outside int32. */
export function intLiteral(value: number): string {
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) throw new ConfigError(`${value} is not a Kusto int (int32)`);
  return `int(${value})`;
}

function toBigIntExact(value: number): bigint {
  if (!Number.isInteger(value)) throw new ConfigError(`${value} is not an integer and cannot be written as a Kusto long`);
  return BigInt(value);
}

/** `real(1.5)`, `real(nan)`, `real(+inf)`, `real(-inf)`, `real(-0.0)`. */
export function realLiteral(value: number): string {
  if (Number.isNaN(value)) return 'real(nan)';
  if (value === Infinity) return 'real(+inf)';
  if (value === -Infinity) return 'real(-inf)';
  if (Object.is(value, -0)) return 'real(-0.0)';
  return `real(${String(value)})`;
}

/** `true` / `false`. */
export function boolLiteral(value: boolean): string {
  return value ? 'true' : 'false';
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `guid(74be27de-1e4e-49d9-b579-fe0b331d3642)`. */
export function guidLiteral(value: string): string {
  if (!GUID.test(value)) throw new ConfigError(`'${value}' is not a GUID`);
  return `guid(${value.toLowerCase()})`;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** `decimal(-1.25)` from exact decimal text (never through a float). */
export function decimalLiteral(value: string): string {
  const v = value.trim();
  if (!DECIMAL.test(v)) throw new ConfigError(`'${value}' is not a decimal number`);
  return `decimal(${v.replace(/^\+/, '')})`;
}

/**
 * `dynamic(<json>)`. JSON string escapes are a subset of KQL's, so JSON text is safe inside the
 * literal; U+2028/2029 (raw in JSON.stringify output) are escaped as well.
 */
export function dynamicLiteral(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new ConfigError('Value cannot be written as a Kusto dynamic literal');
  return `dynamic(${json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')})`;
}
