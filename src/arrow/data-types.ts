import {
  Binary,
  Bool,
  DataType,
  DateDay,
  DateMillisecond,
  DateUnit,
  Decimal,
  Duration,
  FixedSizeBinary,
  Float16,
  Float32,
  Float64,
  Int,
  Int16,
  Int32,
  Int64,
  Int8,
  Interval,
  IntervalUnit,
  LargeBinary,
  LargeUtf8,
  Null,
  Time,
  TimeUnit,
  Timestamp,
  Type,
  Utf8,
} from 'apache-arrow';
import { PlanError } from '../errors/kjob-error.js';

/**
 * The logical families kjob reasons about when it type-checks and evaluates expressions. Arrow has many
 * physical encodings of one family (Utf8, LargeUtf8 and dictionary-encoded strings are all 'string').
 */
export type TypeFamily =
  | 'null'
  | 'string'
  | 'boolean'
  | 'int'
  | 'float'
  | 'decimal'
  | 'date'
  | 'timestamp'
  | 'binary'
  | 'duration'
  | 'other';

/** The family of an Arrow type; dictionary-encoded columns count as their value type. */
export function familyOf(t: DataType): TypeFamily {
  switch (t.typeId) {
    case Type.Null:
      return 'null';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'string';
    case Type.Bool:
      return 'boolean';
    case Type.Int:
      return 'int';
    case Type.Float:
      return 'float';
    case Type.Decimal:
      return 'decimal';
    case Type.Date:
      return 'date';
    case Type.Timestamp:
      return 'timestamp';
    case Type.Binary:
    case Type.LargeBinary:
      return 'binary';
    case Type.Duration:
      return 'duration';
    case Type.Dictionary:
      return familyOf((t as unknown as { dictionary: DataType }).dictionary);
    default:
      return 'other';
  }
}

/**
 * Rank of a numeric type for Spark-style widening (int8 < int16 < int32 < int64 < float32 < float64).
 * Unsigned integers rank as the next wider signed type, so uint32 widens to int64.
 */
export function numericRank(t: DataType): number | undefined {
  if (t.typeId === Type.Int) {
    const { bitWidth, isSigned } = t as unknown as { bitWidth: number; isSigned: boolean };
    const signedWidth = isSigned ? bitWidth : Math.min(bitWidth * 2, 64);
    return { 8: 1, 16: 2, 32: 3, 64: 4 }[signedWidth as 8 | 16 | 32 | 64];
  }
  if (t.typeId === Type.Float) return (t as unknown as { precision: number }).precision === 2 ? 6 : 5;
  return undefined;
}

/** The Arrow type of a numeric rank (see numericRank). */
export function typeOfRank(rank: number): DataType {
  switch (rank) {
    case 1:
      return new Int8();
    case 2:
      return new Int16();
    case 3:
      return new Int32();
    case 4:
      return new Int64();
    case 5:
      return new Float32();
    default:
      return new Float64();
  }
}

export const TIMESTAMP_UNIT_NAMES: Readonly<Record<number, string>> = {
  [TimeUnit.SECOND]: 's',
  [TimeUnit.MILLISECOND]: 'ms',
  [TimeUnit.MICROSECOND]: 'us',
  [TimeUnit.NANOSECOND]: 'ns',
};
const UNIT_BY_NAME: Readonly<Record<string, TimeUnit>> = { s: TimeUnit.SECOND, ms: TimeUnit.MILLISECOND, us: TimeUnit.MICROSECOND, ns: TimeUnit.NANOSECOND };

/** Timestamps kjob creates (casts, literals, current_timestamp): microseconds, UTC, as in Spark. */
export function defaultTimestampType(): Timestamp {
  return new Timestamp(TimeUnit.MICROSECOND, 'UTC');
}

/**
 * Parses a type name as users write it in `cast(...)` / `schema(...)`, plus the parameterised forms
 * that SchemaJson uses to round-trip Arrow types exactly (`timestamp(ms)`, `timestamp(ns, UTC)`,
 * `date(ms)`, `uint32`, `large_string`). Common Spark spellings are accepted as aliases.
 */
export function parseTypeName(name: string): DataType {
  const n = name.trim().toLowerCase();
  const alias = TYPE_ALIASES[n];
  if (alias) return alias();
  const dec = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(n);
  if (dec) {
    const precision = Number(dec[1]);
    const scale = Number(dec[2]);
    if (precision < 1 || precision > 38 || scale > precision) throw new PlanError(`Invalid decimal type '${name}': precision must be 1..38 and scale ≤ precision`);
    return new Decimal(scale, precision, 128);
  }
  const ts = /^timestamp\(\s*(s|ms|us|ns)\s*(?:,\s*([^)]*))?\)$/.exec(name.trim());
  if (ts) return new Timestamp(UNIT_BY_NAME[ts[1]!.toLowerCase()]!, ts[2] ? ts[2].trim() : null);
  // Durations of other units than µs (Kusto timespans are ns) round-trip as `duration(ns)`.
  const du = /^duration\(\s*(s|ms|us|ns)\s*\)$/.exec(n);
  if (du) return new Duration(UNIT_BY_NAME[du[1]!]!);
  if (n === 'date(ms)') return new DateMillisecond();
  // Forms only SchemaJson writes (typeName below), so that executors rebuild these Arrow types exactly.
  const time = /^time\(\s*(s|ms|us|ns)\s*\)$/.exec(n);
  if (time) {
    const unit = UNIT_BY_NAME[time[1]!]!;
    return new Time(unit, unit === TimeUnit.SECOND || unit === TimeUnit.MILLISECOND ? 32 : 64);
  }
  const fsb = /^fixed_size_binary\(\s*(\d+)\s*\)$/.exec(n);
  if (fsb) return new FixedSizeBinary(Number(fsb[1]));
  const d256 = /^decimal256\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(n);
  if (d256) {
    const precision = Number(d256[1]);
    const scale = Number(d256[2]);
    if (precision < 1 || precision > 76 || scale > precision) throw new PlanError(`Invalid decimal type '${name}': precision must be 1..76 and scale ≤ precision`);
    return new Decimal(scale, precision, 256);
  }
  const interval = /^interval\((year_month|day_time|month_day_nano)\)$/.exec(n);
  if (interval) return new Interval(INTERVAL_UNIT_BY_NAME[interval[1]!]!);
  throw new PlanError(`Unknown data type '${name}'; known types: ${Object.keys(TYPE_ALIASES).filter((k) => !k.includes(' ')).join(', ')}, decimal(p,s), timestamp(unit[, tz])`, {
    context: { type: name },
  });
}

const INTERVAL_UNIT_BY_NAME: Readonly<Record<string, IntervalUnit>> = { year_month: IntervalUnit.YEAR_MONTH, day_time: IntervalUnit.DAY_TIME, month_day_nano: IntervalUnit.MONTH_DAY_NANO };

const TYPE_ALIASES: Readonly<Record<string, () => DataType>> = {
  string: () => new Utf8(),
  str: () => new Utf8(),
  large_string: () => new LargeUtf8(),
  boolean: () => new Bool(),
  bool: () => new Bool(),
  int8: () => new Int8(),
  tinyint: () => new Int8(),
  byte: () => new Int8(),
  int16: () => new Int16(),
  smallint: () => new Int16(),
  short: () => new Int16(),
  int32: () => new Int32(),
  int: () => new Int32(),
  integer: () => new Int32(),
  int64: () => new Int64(),
  bigint: () => new Int64(),
  long: () => new Int64(),
  uint8: () => new Int(false, 8),
  uint16: () => new Int(false, 16),
  uint32: () => new Int(false, 32),
  uint64: () => new Int(false, 64),
  float32: () => new Float32(),
  float: () => new Float32(),
  real: () => new Float32(),
  float64: () => new Float64(),
  float16: () => new Float16(),
  double: () => new Float64(),
  date: () => new DateDay(),
  timestamp: () => defaultTimestampType(),
  binary: () => new Binary(),
  large_binary: () => new LargeBinary(),
  duration: () => new Duration(TimeUnit.MICROSECOND),
  json: () => new Utf8(),
  null: () => new Null(),
  void: () => new Null(),
};

/** The canonical kjob name of an Arrow type (inverse of parseTypeName for the types it supports). */
export function typeName(t: DataType): string {
  switch (t.typeId) {
    case Type.Null:
      return 'null';
    case Type.Utf8:
      return 'string';
    case Type.LargeUtf8:
      return 'large_string';
    case Type.Bool:
      return 'boolean';
    case Type.Int: {
      const { bitWidth, isSigned } = t as unknown as { bitWidth: number; isSigned: boolean };
      return `${isSigned ? 'int' : 'uint'}${bitWidth}`;
    }
    case Type.Float:
      return (t as unknown as { precision: number }).precision === 2 ? 'float64' : (t as unknown as { precision: number }).precision === 1 ? 'float32' : 'float16';
    case Type.Decimal: {
      const d = t as Decimal;
      return `${d.bitWidth === 256 ? 'decimal256' : 'decimal'}(${d.precision},${d.scale})`;
    }
    case Type.Date:
      return (t as unknown as { unit: DateUnit }).unit === DateUnit.DAY ? 'date' : 'date(ms)';
    case Type.Timestamp: {
      const ts = t as Timestamp;
      if (ts.unit === TimeUnit.MICROSECOND && ts.timezone === 'UTC') return 'timestamp';
      return `timestamp(${TIMESTAMP_UNIT_NAMES[ts.unit]}${ts.timezone ? `, ${ts.timezone}` : ''})`;
    }
    case Type.Binary:
      return 'binary';
    case Type.LargeBinary:
      return 'large_binary';
    case Type.FixedSizeBinary:
      return `fixed_size_binary(${(t as FixedSizeBinary).byteWidth})`;
    case Type.Time:
      return `time(${TIMESTAMP_UNIT_NAMES[(t as Time).unit]})`;
    case Type.Interval: {
      const unit = (t as Interval).unit;
      return `interval(${Object.keys(INTERVAL_UNIT_BY_NAME).find((k) => INTERVAL_UNIT_BY_NAME[k] === unit)})`;
    }
    case Type.Duration: {
      const unit = (t as Duration).unit;
      return unit === TimeUnit.MICROSECOND ? 'duration' : `duration(${TIMESTAMP_UNIT_NAMES[unit]})`;
    }
    default:
      return String(t).toLowerCase();
  }
}

/** True when two Arrow types are the same for kjob's purposes (same canonical name). */
export function sameType(a: DataType, b: DataType): boolean {
  return a.typeId === b.typeId && String(a) === String(b) && typeName(a) === typeName(b);
}

/** The value type of a dictionary-encoded type, or the type itself. */
export function valueTypeOf(t: DataType): DataType {
  return t.typeId === Type.Dictionary ? (t as unknown as { dictionary: DataType }).dictionary : t;
}


