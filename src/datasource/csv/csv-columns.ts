import { Bool, DateDay, Decimal, Float32, Float64, Int16, Int32, Int64, Int8, Timestamp, TimeUnit, Type, Utf8, makeData, type Data, type DataType, type Field } from 'apache-arrow';
import { ConfigError } from '../../errors/kjob-error.js';
import { inInt64Range, parseBoolean, parseDate, parseDecimal, parseFloatBytes, parseInteger, parseTimestamp } from './value-parsers.js';

/**
 * Column-wise builders: one per output column, appending values parsed straight from bytes into
 * typed arrays sized for one batch, then handing the arrays to Arrow without copying.
 */
export interface ColumnBuilder {
  readonly length: number;
  appendNull(): void;
  /** Appends the value in bytes [s, e); false (nothing appended) when the text is not a value of the type. */
  append(buf: Uint8Array, s: number, e: number): boolean;
  /** Drops rows from `length` on (a row rejected by DROPMALFORMED after some of its columns were appended). */
  truncate(length: number): void;
  /** Returns the built column and starts a new, empty one. */
  finish(): Data;
}

class Validity {
  bytes: Uint8Array;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }
  ensure(n: number): void {
    if (n > this.bytes.length) {
      const b = new Uint8Array(Math.max(n, this.bytes.length * 2));
      b.set(this.bytes);
      this.bytes = b;
    }
  }
  /** An Arrow bitmap and null count for rows [0, length), or no bitmap when all are valid. */
  pack(length: number): { nullBitmap: Uint8Array | undefined; nullCount: number } {
    let nulls = 0;
    for (let i = 0; i < length; i++) if (this.bytes[i] === 0) nulls++;
    if (nulls === 0) return { nullBitmap: undefined, nullCount: 0 };
    const bitmap = new Uint8Array(((length + 63) >> 6) << 3);
    for (let i = 0; i < length; i++) if (this.bytes[i] !== 0) bitmap[i >> 3]! |= 1 << (i & 7);
    return { nullBitmap: bitmap, nullCount: nulls };
  }
}

type NumArray = Int8Array | Int16Array | Int32Array | Float32Array | Float64Array | BigInt64Array | Uint32Array;

/** Fixed-width columns: `width` array slots per row. */
abstract class FixedBuilder<A extends NumArray> implements ColumnBuilder {
  length = 0;
  protected values: A;
  protected readonly valid: Validity;
  constructor(
    protected readonly type: DataType,
    protected readonly capacity: number,
    protected readonly make: (n: number) => A,
    protected readonly width = 1,
  ) {
    this.values = make(capacity * width);
    this.valid = new Validity(capacity);
  }
  protected slot(): number {
    if ((this.length + 1) * this.width > this.values.length) {
      const grown = this.make(this.values.length * 2);
      (grown as unknown as { set(a: A): void }).set(this.values);
      this.values = grown;
    }
    this.valid.ensure(this.length + 1);
    return this.length;
  }
  appendNull(): void {
    // The value slot under a null is left as is: Arrow readers ignore it.
    const i = this.slot();
    this.valid.bytes[i] = 0;
    this.length++;
  }
  protected commit(i: number): true {
    this.valid.bytes[i] = 1;
    this.length = i + 1;
    return true;
  }
  abstract append(buf: Uint8Array, s: number, e: number): boolean;
  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }
  finish(): Data {
    const length = this.length;
    const { nullBitmap, nullCount } = this.valid.pack(length);
    const data = makeData({ type: this.type, length, nullCount, nullBitmap, data: this.values.subarray(0, length * this.width) } as never) as Data;
    this.values = this.make(this.capacity * this.width);
    this.valid.bytes = new Uint8Array(this.capacity);
    this.length = 0;
    return data;
  }
}

class IntBuilder extends FixedBuilder<Int8Array | Int16Array | Int32Array> {
  constructor(
    type: DataType,
    capacity: number,
    make: (n: number) => Int8Array | Int16Array | Int32Array,
    private readonly min: number,
    private readonly max: number,
  ) {
    super(type, capacity, make);
  }
  append(buf: Uint8Array, s: number, e: number): boolean {
    const v = parseInteger(buf, s, e);
    if (typeof v !== 'number' || v < this.min || v > this.max) return false;
    const i = this.slot();
    this.values[i] = v;
    return this.commit(i);
  }
}

class Int64Builder extends FixedBuilder<BigInt64Array> {
  private words: Int32Array<ArrayBufferLike> = new Int32Array(0);
  append(buf: Uint8Array, s: number, e: number): boolean {
    const v = parseInteger(buf, s, e);
    if (v === undefined || !inInt64Range(v)) return false;
    const i = this.slot();
    if (typeof v === 'bigint') this.values[i] = v;
    else {
      // Two 32-bit halves instead of a BigInt per value: exact for the <= 15-digit numbers parsed as doubles.
      if (this.words.buffer !== this.values.buffer) this.words = new Int32Array(this.values.buffer, this.values.byteOffset, this.values.length * 2);
      const hi = Math.floor(v / 4294967296);
      this.words[i * 2] = (v - hi * 4294967296) | 0;
      this.words[i * 2 + 1] = hi;
    }
    return this.commit(i);
  }
}

class FloatBuilder extends FixedBuilder<Float32Array | Float64Array> {
  append(buf: Uint8Array, s: number, e: number): boolean {
    const r = parseFloatBytes(buf, s, e);
    if (!r.ok) return false;
    const i = this.slot();
    this.values[i] = r.value;
    return this.commit(i);
  }
}

class DateBuilder extends FixedBuilder<Int32Array> {
  append(buf: Uint8Array, s: number, e: number): boolean {
    const v = parseDate(buf, s, e);
    if (v === undefined) return false;
    const i = this.slot();
    this.values[i] = v;
    return this.commit(i);
  }
}

class TimestampBuilder extends FixedBuilder<BigInt64Array> {
  constructor(
    type: Timestamp,
    capacity: number,
    private readonly divisor: bigint,
    private readonly multiplier: bigint,
  ) {
    super(type, capacity, (n) => new BigInt64Array(n));
  }
  append(buf: Uint8Array, s: number, e: number): boolean {
    const micros = parseTimestamp(buf, s, e);
    if (micros === undefined) return false;
    const i = this.slot();
    this.values[i] = (micros * this.multiplier) / this.divisor;
    return this.commit(i);
  }
}

class DecimalBuilder extends FixedBuilder<Uint32Array> {
  constructor(
    private readonly decimal: Decimal,
    capacity: number,
  ) {
    super(decimal, capacity, (n) => new Uint32Array(n), 4);
  }
  append(buf: Uint8Array, s: number, e: number): boolean {
    const v = parseDecimal(buf, s, e, this.decimal.precision, this.decimal.scale);
    if (v === undefined) return false;
    const i = this.slot();
    let x = BigInt.asUintN(128, v);
    for (let k = 0; k < 4; k++) {
      this.values[i * 4 + k] = Number(x & 0xffffffffn);
      x >>= 32n;
    }
    return this.commit(i);
  }
}

class BoolBuilder implements ColumnBuilder {
  length = 0;
  private values: Uint8Array;
  private readonly valid: Validity;
  constructor(private readonly capacity: number) {
    this.values = new Uint8Array(capacity);
    this.valid = new Validity(capacity);
  }
  private slot(): number {
    if (this.length >= this.values.length) {
      const v = new Uint8Array(this.values.length * 2);
      v.set(this.values);
      this.values = v;
    }
    this.valid.ensure(this.length + 1);
    return this.length;
  }
  appendNull(): void {
    const i = this.slot();
    this.values[i] = 0;
    this.valid.bytes[i] = 0;
    this.length++;
  }
  append(buf: Uint8Array, s: number, e: number): boolean {
    const v = parseBoolean(buf, s, e);
    if (v === undefined) return false;
    const i = this.slot();
    this.values[i] = v ? 1 : 0;
    this.valid.bytes[i] = 1;
    this.length++;
    return true;
  }
  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }
  finish(): Data {
    const length = this.length;
    const bits = new Uint8Array(((length + 63) >> 6) << 3);
    for (let i = 0; i < length; i++) if (this.values[i]) bits[i >> 3]! |= 1 << (i & 7);
    const { nullBitmap, nullCount } = this.valid.pack(length);
    this.values = new Uint8Array(this.capacity);
    this.valid.bytes = new Uint8Array(this.capacity);
    this.length = 0;
    return makeData({ type: new Bool(), length, nullCount, nullBitmap, data: bits });
  }
}

class StringBuilder implements ColumnBuilder {
  length = 0;
  private offsets: Int32Array;
  private bytes: Uint8Array;
  private used = 0;
  private readonly valid: Validity;
  constructor(private readonly capacity: number) {
    this.offsets = new Int32Array(capacity + 1);
    this.bytes = new Uint8Array(Math.max(1024, capacity * 16));
    this.valid = new Validity(capacity);
  }
  private slot(extra: number): number {
    if (this.length + 2 > this.offsets.length) {
      const o = new Int32Array(this.offsets.length * 2);
      o.set(this.offsets);
      this.offsets = o;
    }
    if (this.used + extra > this.bytes.length) {
      const needed = this.used + extra;
      if (needed > 0x7fffffff) throw new Error('a CSV batch holds more than 2 GiB of text in one column; lower the batchSize option');
      const b = new Uint8Array(Math.min(0x7fffffff, Math.max(needed, this.bytes.length * 2)));
      b.set(this.bytes.subarray(0, this.used));
      this.bytes = b;
    }
    this.valid.ensure(this.length + 1);
    return this.length;
  }
  appendNull(): void {
    const i = this.slot(0);
    this.valid.bytes[i] = 0;
    this.offsets[i + 1] = this.used;
    this.length++;
  }
  append(buf: Uint8Array, s: number, e: number): boolean {
    const n = e - s;
    const i = this.slot(n);
    const bytes = this.bytes;
    if (n < 48) {
      // Short values dominate; a plain loop beats creating a subarray view per value.
      let at = this.used;
      for (let k = s; k < e; k++) bytes[at++] = buf[k]!;
    } else bytes.set(buf.subarray(s, e), this.used);
    this.used += n;
    this.valid.bytes[i] = 1;
    this.offsets[i + 1] = this.used;
    this.length++;
    return true;
  }
  truncate(length: number): void {
    if (length < this.length) {
      this.length = length;
      this.used = this.offsets[length]!;
    }
  }
  finish(): Data {
    const length = this.length;
    const { nullBitmap, nullCount } = this.valid.pack(length);
    const data = makeData({ type: new Utf8(), length, nullCount, nullBitmap, valueOffsets: this.offsets.subarray(0, length + 1), data: this.bytes.subarray(0, this.used) });
    this.offsets = new Int32Array(this.capacity + 1);
    this.bytes = new Uint8Array(Math.max(1024, Math.min(this.used, 64 << 20)));
    this.used = 0;
    this.valid.bytes = new Uint8Array(this.capacity);
    this.length = 0;
    return data;
  }
}

const TS_SCALE: Record<number, [bigint, bigint]> = {
  [TimeUnit.SECOND]: [1_000_000n, 1n],
  [TimeUnit.MILLISECOND]: [1000n, 1n],
  [TimeUnit.MICROSECOND]: [1n, 1n],
  [TimeUnit.NANOSECOND]: [1n, 1000n],
};

/** The builder for a column type, or a ConfigError naming the column when CSV cannot hold the type. */
export function builderFor(field: Field, capacity: number): ColumnBuilder {
  const t = field.type;
  switch (t.typeId) {
    case Type.Utf8:
      return new StringBuilder(capacity);
    case Type.Bool:
      return new BoolBuilder(capacity);
    case Type.Int: {
      const bits: number = (t as Int32).bitWidth;
      if (!(t as Int32).isSigned) break;
      if (bits === 8) return new IntBuilder(new Int8(), capacity, (n) => new Int8Array(n), -128, 127);
      if (bits === 16) return new IntBuilder(new Int16(), capacity, (n) => new Int16Array(n), -32768, 32767);
      if (bits === 32) return new IntBuilder(new Int32(), capacity, (n) => new Int32Array(n), -2147483648, 2147483647);
      return new Int64Builder(new Int64(), capacity, (n) => new BigInt64Array(n));
    }
    case Type.Float:
      return (t as Float32).precision === 1 ? new FloatBuilder(new Float32(), capacity, (n) => new Float32Array(n)) : new FloatBuilder(new Float64(), capacity, (n) => new Float64Array(n));
    case Type.Date:
      if (t instanceof DateDay) return new DateBuilder(t, capacity, (n) => new Int32Array(n));
      break;
    case Type.Timestamp: {
      const [div, mul] = TS_SCALE[(t as Timestamp).unit]!;
      return new TimestampBuilder(t as Timestamp, capacity, div, mul);
    }
    case Type.Decimal:
      if ((t as Decimal).bitWidth === 128) return new DecimalBuilder(t as Decimal, capacity);
      break;
  }
  throw new ConfigError(`CSV cannot read column '${field.name}' as ${String(t)}`, {
    resolution: 'Use string, boolean, int8/16/32/64, float/double, decimal(p,s), date or timestamp for CSV columns, and cast afterwards.',
    context: { column: field.name },
  });
}
