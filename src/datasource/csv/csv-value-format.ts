import { DateDay, Decimal, Timestamp, TimeUnit, Type, type Data, type DataType, type Field, type Vector } from 'apache-arrow';
import { ConfigError } from '../../errors/kjob-error.js';
import { civilFromDays } from '../../util/civil-date.js';

/**
 * Text forms of Arrow values for CSV output, column at a time. Pure. Dates are `yyyy-MM-dd`,
 * timestamps ISO-8601 UTC with as many fractional digits as the value needs (3, 6 or 9), decimals
 * exact, floats in JS shortest round-trip form (NaN, Infinity, -Infinity spelled out).
 */

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function formatDate(days: number): string {
  const { year: y, month: m, day: d } = civilFromDays(days);
  const year = y < 0 ? `-${pad(-y, 4)}` : y > 9999 ? `+${y}` : pad(y, 4);
  return `${year}-${pad(m, 2)}-${pad(d, 2)}`;
}

const UNIT_PER_SECOND: Record<number, bigint> = {
  [TimeUnit.SECOND]: 1n,
  [TimeUnit.MILLISECOND]: 1000n,
  [TimeUnit.MICROSECOND]: 1_000_000n,
  [TimeUnit.NANOSECOND]: 1_000_000_000n,
};

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function formatTimestamp(value: bigint, unit: TimeUnit): string {
  const per = UNIT_PER_SECOND[unit]!;
  let s: number;
  let frac: number;
  if (value <= SAFE && value >= -SAFE) {
    // Double arithmetic is exact here and much cheaper than BigInt division per value.
    const v = Number(value);
    const p = Number(per);
    s = Math.floor(v / p);
    frac = v - s * p;
  } else {
    let seconds = value / per;
    let f = value % per;
    if (f < 0n) {
      f += per;
      seconds -= 1n;
    }
    s = Number(seconds);
    frac = Number(f);
  }
  const days = Math.floor(s / 86400);
  const rem = s - days * 86400;
  let text = `${formatDate(days)}T${pad(Math.floor(rem / 3600), 2)}:${pad(Math.floor((rem % 3600) / 60), 2)}:${pad(rem % 60, 2)}`;
  if (frac !== 0) {
    const digits = String(frac).padStart(String(per).length - 1, '0');
    const trimmed = digits.replace(/0+$/, '');
    text += `.${digits.slice(0, Math.ceil(trimmed.length / 3) * 3)}`;
  }
  return `${text}Z`;
}

export function formatDecimal(words: Uint32Array, offset: number, scale: number): string {
  let v = 0n;
  for (let k = 3; k >= 0; k--) v = (v << 32n) | BigInt(words[offset + k]!);
  v = BigInt.asIntN(128, v);
  const negative = v < 0n;
  let digits = (negative ? -v : v).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

/** Formats one column of a batch to text (null for null values). */
export type ColumnFormatter = (vector: Vector, out: (string | null)[]) => void;

export function formatterFor(field: Field): ColumnFormatter {
  const t: DataType = field.type;
  const generic: ColumnFormatter = (v, out) => {
    for (let i = 0; i < v.length; i++) {
      const x = v.get(i);
      out[i] = x === null || x === undefined ? null : typeof x === 'number' && Object.is(x, -0) ? '-0' : String(x);
    }
  };
  switch (t.typeId) {
    case Type.Null:
      return (v, out) => out.fill(null, 0, v.length);
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Bool:
    case Type.Int:
    case Type.Float:
      return generic;
    case Type.Dictionary: {
      const valueType = (t as unknown as { dictionary: DataType }).dictionary;
      if (valueType.typeId === Type.Utf8 || valueType.typeId === Type.LargeUtf8) return generic;
      break;
    }
    case Type.Date:
      return perData(t instanceof DateDay ? (d, i) => formatDate(d.values[i] as number) : (d, i) => formatDate(Math.floor(Number(dateMillis(d, i)) / 86_400_000)));
    case Type.Timestamp: {
      const unit = (t as Timestamp).unit;
      return perData((d, i) => formatTimestamp((d.values as BigInt64Array)[i]!, unit));
    }
    case Type.Decimal: {
      const dec = t as Decimal;
      if (dec.bitWidth !== 128) break;
      return perData((d, i) => formatDecimal(d.values as Uint32Array, i * 4, dec.scale));
    }
  }
  throw new ConfigError(`CSV cannot hold column '${field.name}' of type ${String(t)}`, {
    resolution: 'Select or cast the column to a string, number, boolean, decimal, date or timestamp before writing CSV (or write Parquet).',
    context: { column: field.name },
  });
}

function dateMillis(d: Data, i: number): bigint {
  const v = d.values as unknown as BigInt64Array | Int32Array;
  if (v instanceof BigInt64Array) return v[i]!;
  // DateMillisecond is stored as 64-bit values; older buffers expose them as Int32 pairs.
  const lo = v[i * 2]! >>> 0;
  const hi = v[i * 2 + 1]!;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function perData(format: (d: Data, i: number) => string): ColumnFormatter {
  return (v, out) => {
    let row = 0;
    for (const d of v.data) {
      for (let i = 0; i < d.length; i++, row++) out[row] = d.getValid(i) ? format(d, i) : null;
    }
  };
}

