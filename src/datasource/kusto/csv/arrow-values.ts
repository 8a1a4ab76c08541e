/**
 * Reading single values out of Arrow `Data` by type, formatted the way the Spark connector's CSV
 * writer formats them (reference §3.5). Shared by the top-level CSV writers and the JSON writer
 * for nested values. Offsets follow arrow-js: fixed-width values and value offsets are already
 * sliced to the Data's window, bitmaps (validity, booleans) are indexed with `data.offset`.
 */
import { DateUnit, TimeUnit, Type, makeVector, type Data, type DataType } from 'apache-arrow';
import { formatTimespan } from '../kql/literals.js';
import { javaDoubleToString, javaFloatToString } from './java-number-format.js';
import { formatEpochDay, formatLocalDateTimeParts } from './java-time-format.js';

export type OffsetResolver = (epochSeconds: number) => number;

export function isValid(data: Data, i: number): boolean {
  if (data.typeId === Type.Null) return false;
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return true;
  const bit = data.offset + i;
  return ((bitmap[bit >> 3]! >> (bit & 7)) & 1) === 1;
}

export function boolAt(data: Data, i: number): boolean {
  const bit = data.offset + i;
  return ((data.values[bit >> 3] >> (bit & 7)) & 1) === 1;
}

/** Start/end of a variable-width value (Utf8, Binary, List and their Large forms). */
export function rangeAt(data: Data, i: number): [number, number] {
  const o = data.valueOffsets as Int32Array | BigInt64Array;
  return [Number(o[i]!), Number(o[i + 1]!)];
}

/** The unscaled integer of a decimal value (two's complement, little-endian 32-bit words). */
export function decimalUnscaled(data: Data, i: number): bigint {
  const words = data.values as Uint32Array;
  const stride = ((data.type as unknown as { bitWidth?: number }).bitWidth ?? 128) / 32;
  let v = 0n;
  for (let k = stride - 1; k >= 0; k--) v = (v << 32n) | BigInt(words[i * stride + k]!);
  const bits = BigInt(stride * 32);
  return v >> (bits - 1n) ? v - (1n << bits) : v;
}

/** Plain decimal text with exactly `scale` fraction digits, `0.` for |v| < 1, `-` for negatives. */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  if (scale <= 0) return `${negative ? '-' : ''}${digits}${'0'.repeat(-scale)}`;
  const padded = digits.padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
}

const NANOS_PER_UNIT: Record<TimeUnit, number> = { [TimeUnit.SECOND]: 1e9, [TimeUnit.MILLISECOND]: 1e6, [TimeUnit.MICROSECOND]: 1e3, [TimeUnit.NANOSECOND]: 1 };
const TICKS_PER_UNIT: Record<TimeUnit, bigint> = { [TimeUnit.SECOND]: 10_000_000n, [TimeUnit.MILLISECOND]: 10_000n, [TimeUnit.MICROSECOND]: 10n, [TimeUnit.NANOSECOND]: 0n };

/** A 64-bit value as a JS number when it is a safe integer, else undefined (no BigInt allocated). */
function int64AsSafeNumber(data: Data, i: number): number | undefined {
  const v = data.values as BigInt64Array | Int32Array;
  const halves = v instanceof BigInt64Array ? new Int32Array(v.buffer, v.byteOffset, v.length * 2) : v;
  const hi = halves[2 * i + 1]!;
  return hi >= -2097152 && hi < 2097152 ? hi * 4294967296 + (halves[2 * i]! >>> 0) : undefined;
}

function int64At(data: Data, i: number): bigint {
  const v = data.values as BigInt64Array | Int32Array;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return BigInt(v[i]!);
  // Older layouts keep 64-bit values as (low, high) Int32 pairs.
  return (BigInt(v[2 * i + 1]!) << 32n) | BigInt(v[2 * i]! >>> 0);
}

/** Seconds and nanoseconds since the epoch of a timestamp value, exact for every unit. */
export function timestampAt(data: Data, i: number): { seconds: number; nanos: number } {
  const unit = (data.type as unknown as { unit: TimeUnit }).unit;
  const perUnit = NANOS_PER_UNIT[unit];
  const safe = perUnit === 1 ? undefined : int64AsSafeNumber(data, i);
  if (safe !== undefined) {
    const unitsPerSecond = 1e9 / perUnit;
    const seconds = Math.floor(safe / unitsPerSecond);
    return { seconds, nanos: (safe - seconds * unitsPerSecond) * perUnit };
  }
  const raw = int64At(data, i);
  if (perUnit === 1) {
    let s = raw / 1_000_000_000n;
    let n = raw - s * 1_000_000_000n;
    if (n < 0n) {
      n += 1_000_000_000n;
      s -= 1n;
    }
    return { seconds: Number(s), nanos: Number(n) };
  }
  // Beyond 2^53 units (only µs/ms values far outside Kusto's years 0001–9999): exact BigInt arithmetic.
  const unitsPerSecond = BigInt(1e9 / perUnit);
  let s = raw / unitsPerSecond;
  let rest = raw - s * unitsPerSecond;
  if (rest < 0n) {
    rest += unitsPerSecond;
    s -= 1n;
  }
  return { seconds: Number(s), nanos: Number(rest) * perUnit };
}

export function formatTimestampAt(data: Data, i: number, offsetOf: OffsetResolver): string {
  const { seconds, nanos } = timestampAt(data, i);
  return formatLocalDateTimeParts(seconds + offsetOf(seconds), nanos);
}

export function formatDateAt(data: Data, i: number): string {
  const unit = (data.type as unknown as { unit: DateUnit }).unit;
  if (unit === DateUnit.DAY) return formatEpochDay((data.values as Int32Array)[i]!);
  const ms = Number(int64At(data, i));
  return formatEpochDay(Math.floor(ms / 86_400_000));
}

/** Kusto timespan text of a count of `unit`s (nanoseconds truncate to Kusto's 100-ns ticks). */
function timespanOfCount(data: Data, raw: bigint): string {
  const unit = (data.type as unknown as { unit: TimeUnit }).unit;
  return formatTimespan(unit === TimeUnit.NANOSECOND ? raw / 100n : raw * TICKS_PER_UNIT[unit]);
}

/** Kusto timespan text of an Arrow duration. */
export function formatDurationAt(data: Data, i: number): string {
  return timespanOfCount(data, int64At(data, i));
}

/** Kusto timespan text of an Arrow time of day (the time since midnight); time32 holds plain Int32 values. */
export function formatTimeOfDayAt(data: Data, i: number): string {
  const v = data.values as Int32Array | BigInt64Array;
  return timespanOfCount(data, v instanceof BigInt64Array ? v[i]! : BigInt(v[i]!));
}

export function base64At(data: Data, i: number): string {
  const values = data.values as Uint8Array;
  if (data.typeId === Type.FixedSizeBinary) {
    const w = (data.type as unknown as { byteWidth: number }).byteWidth;
    return Buffer.from(values.buffer, values.byteOffset + i * w, w).toString('base64');
  }
  const [s, e] = rangeAt(data, i);
  return Buffer.from(values.buffer, values.byteOffset + s, e - s).toString('base64');
}

export function utf8At(data: Data, i: number): string {
  const values = data.values as Uint8Array;
  const [s, e] = rangeAt(data, i);
  return Buffer.from(values.buffer, values.byteOffset + s, e - s).toString('utf8');
}

/** Integer and floating values as Java prints them. */
export function formatNumberAt(data: Data, i: number): string {
  const type = data.type as DataType & { bitWidth?: number; precision?: number };
  if (data.typeId === Type.Int) return (type.bitWidth ?? 32) === 64 ? int64At(data, i).toString() : String((data.values as Int32Array)[i]);
  if (data.typeId === Type.Float) {
    if (data.values instanceof Float64Array) return javaDoubleToString(data.values[i]!);
    if (data.values instanceof Float32Array) return javaFloatToString(data.values[i]!);
    return javaFloatToString(makeVector(data).get(i) as number); // float16
  }
  throw new TypeError(`not a numeric Arrow type: ${String(data.type)}`);
}

/** The row of a dictionary-encoded value in its dictionary, and that dictionary's Data chunk. */
export function dictionaryEntry(data: Data, i: number): { chunk: Data; index: number } {
  const key = Number((data.values as ArrayLike<number | bigint>)[i]!);
  const dictionary = data.dictionary;
  if (!dictionary) throw new TypeError('dictionary-encoded column without a dictionary');
  let index = key;
  for (const chunk of dictionary.data) {
    if (index < chunk.length) return { chunk, index };
    index -= chunk.length;
  }
  throw new RangeError(`dictionary key ${key} out of range`);
}
