import { type DataType, Int32, Int64, Type, Utf8 } from 'apache-arrow';
import { concatUtf8, utf8Source } from '../../arrow/utf8-gather.js';
import { boolData, fixedData, stringData } from '../../arrow/build-data.js';
import { defaultTimestampType, familyOf } from '../../arrow/data-types.js';
import { bigintValues, binaryValues, isBigIntData, numberValues, validityBytes } from '../../arrow/read-data.js';
import type { Expr, FunctionName } from '../../plan/expr.js';
import { castData, toStrings } from './cast.js';
import { civilFromDays, daysFromCivil } from '../../util/civil-date.js';
import { coalesce } from './logic.js';
import { allocValues, combinedValidity, step, type Operand } from './operand.js';
import { floorDiv, fromMicros, toMicros } from './temporal.js';

/** What a function kernel receives: evaluated arguments, the call, its analyzed result type. */
export interface CallContext {
  readonly args: Operand[];
  readonly call: Extract<Expr, { kind: 'call' }>;
  readonly type: DataType;
  readonly rows: number;
  /** The action's start time (epoch µs), the value of current_timestamp(). */
  readonly nowMicros: bigint;
}

type Kernel = (c: CallContext) => Operand;

const allScalar = (args: Operand[]) => args.length > 0 && args.every((a) => a.scalar);
const outRows = (c: CallContext) => (allScalar(c.args) ? 1 : c.rows);

/** Applies `f` to the text of each row of the first argument (null stays null). */
function mapString(f: (s: string) => string): Kernel {
  return (c) => {
    const a = c.args[0]!;
    return { data: stringData(toStrings(a.data).map((s) => (s === null ? null : f(s)))), scalar: a.scalar };
  };
}

const SURROGATE = /[\uD800-\uDFFF]/;
/** Characters as Spark counts them: Unicode code points, not UTF-16 units. */
const chars = (s: string): string[] | string => (SURROGATE.test(s) ? Array.from(s) : s);

function substringOf(s: string, pos: number, len: number): string {
  const cs = chars(s);
  const count = cs.length;
  const start = pos > 0 ? pos - 1 : pos < 0 ? count + pos : 0;
  const end = start + len;
  const from = Math.max(start, 0);
  if (len <= 0 || end <= from) return '';
  return typeof cs === 'string' ? cs.slice(from, end) : cs.slice(from, end).join('');
}

function stringPredicate(test: (s: string, p: string) => boolean): Kernel {
  return (c) => {
    const [a, b] = c.args as [Operand, Operand];
    const n = outRows(c);
    const sa = toStrings(a.data);
    const sb = toStrings(b.data);
    const as = step(a);
    const bs = step(b);
    const out = new Uint8Array(n);
    const valid = combinedValidity([a, b], n);
    for (let i = 0; i < n; i++) if (!valid || valid[i]) out[i] = test(sa[i * as]!, sb[i * bs]!) ? 1 : 0;
    return { data: boolData(out, valid), scalar: n === 1 && allScalar(c.args) };
  };
}

/** Reads a date/timestamp/text argument as (days, µs within the day) per row. */
function temporalParts(o: Operand): { days: Float64Array; micros: Float64Array; valid: Uint8Array | null } {
  let data = o.data;
  if (familyOf(data.type) === 'string') data = castData(data, defaultTimestampType());
  const n = data.length;
  const days = new Float64Array(n);
  const micros = new Float64Array(n);
  if (familyOf(data.type) === 'date') days.set(numberValues(data) as ArrayLike<number>);
  else {
    const raw = bigintValues(data);
    for (let i = 0; i < n; i++) {
      const m = toMicros(raw[i]!, data.type);
      const d = floorDiv(m, 86_400_000_000n);
      days[i] = Number(d);
      micros[i] = Number(m - d * 86_400_000_000n);
    }
  }
  return { days, micros, valid: validityBytes(data) };
}

function datePart(f: (days: number, micros: number) => number): Kernel {
  return (c) => {
    const a = c.args[0]!;
    const { days, micros, valid } = temporalParts(a);
    const out = new Int32Array(days.length);
    for (let i = 0; i < out.length; i++) if (!valid || valid[i]) out[i] = f(days[i]!, micros[i]!);
    return { data: fixedData(new Int32(), out, valid), scalar: a.scalar };
  };
}

const MICROS: Readonly<Record<string, number>> = { day: 86_400_000_000, dd: 86_400_000_000, hour: 3_600_000_000, minute: 60_000_000, second: 1_000_000, millisecond: 1000, microsecond: 1 };

function truncDays(unit: string, days: number): number {
  const { year, month } = civilFromDays(days);
  switch (unit) {
    case 'year':
    case 'yyyy':
    case 'yy':
      return daysFromCivil(year, 1, 1);
    case 'quarter':
      return daysFromCivil(year, month - ((month - 1) % 3), 1);
    case 'month':
    case 'mon':
    case 'mm':
      return daysFromCivil(year, month, 1);
    default: // week: back to Monday (1970-01-01 was a Thursday)
      return days - ((days + 3) % 7 + 7) % 7;
  }
}

function dateTrunc(c: CallContext): Operand {
  const unit = String((c.call.args[0] as { value: unknown }).value).toLowerCase();
  const a = c.args[1]!;
  const { days, micros, valid } = temporalParts(a);
  const n = days.length;
  const out = new BigInt64Array(n);
  const unitMicros = MICROS[unit];
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    let m: bigint;
    if (unitMicros !== undefined) {
      const within = unitMicros >= 86_400_000_000 ? 0 : Math.floor(micros[i]! / unitMicros) * unitMicros;
      m = BigInt(days[i]!) * 86_400_000_000n + BigInt(within);
    } else m = BigInt(truncDays(unit, days[i]!)) * 86_400_000_000n;
    out[i] = fromMicros(m, c.type);
  }
  return { data: fixedData(c.type, out, valid), scalar: a.scalar };
}

function roundHalfUp(x: number, scale: number): number {
  if (!Number.isFinite(x)) return x;
  // Shifting through the decimal text rounds the value as printed (2.675 → 2.68), as Spark's
  // BigDecimal(double) does, instead of the binary value (2.67499…).
  const shifted = Number(`${Math.abs(x)}e${scale}`);
  const r = Number(`${Math.round(shifted)}e${-scale}`);
  return x < 0 ? -r : r;
}

/** The kernel of every DSL function (the analyzer's FUNCTION_SIGNATURES mirror this table). */
export const FUNCTION_KERNELS: { readonly [K in FunctionName]: Kernel } = {
  concat: (c) => {
    const n = outRows(c);
    const sources = c.args.map((a) => utf8Source(castData(a.data, new Utf8()), a.scalar));
    return { data: concatUtf8(n, sources), scalar: n === 1 && allScalar(c.args) };
  },
  lower: mapString((s) => s.toLowerCase()),
  upper: mapString((s) => s.toUpperCase()),
  trim: mapString((s) => s.replace(/^ +| +$/g, '')),
  substring: (c) => {
    const n = outRows(c);
    const [s, p, l] = c.args as [Operand, Operand, Operand];
    const texts = toStrings(s.data);
    const pos = numberValues(castData(p.data, new Int32()));
    const len = numberValues(castData(l.data, new Int32()));
    const valid = combinedValidity(c.args, n);
    const out = new Array<string | null>(n);
    for (let i = 0; i < n; i++) out[i] = valid && !valid[i] ? null : substringOf(texts[i * step(s)]!, pos[i * step(p)]!, len[i * step(l)]!);
    return { data: stringData(out), scalar: n === 1 && allScalar(c.args) };
  },
  length: (c) => {
    const a = c.args[0]!;
    const out = new Int32Array(a.data.length);
    if (familyOf(a.data.type) === 'binary') binaryValues(a.data).forEach((b, i) => (out[i] = b ? b.length : 0));
    else toStrings(a.data).forEach((s, i) => (out[i] = s == null ? 0 : chars(s).length));
    return { data: fixedData(new Int32(), out, validityBytes(a.data)), scalar: a.scalar };
  },
  coalesce: (c) => {
    if (allScalar(c.args)) return { ...coalesce(c.args, c.type, 1), scalar: true };
    return coalesce(c.args, c.type, c.rows);
  },
  year: datePart((d) => civilFromDays(d).year),
  month: datePart((d) => civilFromDays(d).month),
  dayofmonth: datePart((d) => civilFromDays(d).day),
  hour: datePart((_, m) => Math.floor(m / 3_600_000_000)),
  minute: datePart((_, m) => Math.floor(m / 60_000_000) % 60),
  second: datePart((_, m) => Math.floor(m / 1_000_000) % 60),
  date_trunc: dateTrunc,
  current_timestamp: (c) => ({ data: fixedData(c.type, BigInt64Array.of(fromMicros(c.nowMicros, c.type)), null), scalar: true }),
  abs: (c) => {
    const a = c.args[0]!;
    const d = castData(a.data, c.type);
    const out = allocValues(c.type, d.length);
    if (isBigIntData(c.type)) {
      const v = bigintValues(d);
      for (let i = 0; i < v.length; i++) out[i] = BigInt.asIntN(64, v[i]! < 0n ? -v[i]! : v[i]!);
    } else {
      const v = numberValues(d);
      for (let i = 0; i < v.length; i++) out[i] = Math.abs(v[i]!);
    }
    return { data: fixedData(c.type, out, validityBytes(d)), scalar: a.scalar };
  },
  round: (c) => {
    const a = c.args[0]!;
    const scaleExpr = c.call.args[1];
    const scale = scaleExpr && scaleExpr.kind === 'lit' ? Number(scaleExpr.value) : 0;
    const d = castData(a.data, c.type);
    if (c.type.typeId === Type.Int && scale >= 0) return { data: d, scalar: a.scalar };
    const out = allocValues(c.type, d.length);
    if (isBigIntData(c.type)) {
      const v = bigintValues(d);
      const m = 10n ** BigInt(-scale);
      for (let i = 0; i < v.length; i++) {
        const q = v[i]! / m;
        const r = v[i]! % m;
        out[i] = (q + (r * 2n >= m ? 1n : r * 2n <= -m ? -1n : 0n)) * m;
      }
    } else {
      const v = numberValues(d);
      for (let i = 0; i < v.length; i++) out[i] = roundHalfUp(v[i]!, scale);
    }
    return { data: fixedData(c.type, out, validityBytes(d)), scalar: a.scalar };
  },
  floor: (c) => {
    const a = c.args[0]!;
    if (familyOf(a.data.type) === 'int') return { data: castData(a.data, new Int64()), scalar: a.scalar };
    const v = numberValues(a.data);
    const out = new BigInt64Array(v.length);
    const src = validityBytes(a.data);
    const valid = src ? Uint8Array.from(src) : new Uint8Array(v.length).fill(1);
    for (let i = 0; i < v.length; i++) {
      const x = Math.floor(v[i]!);
      // NaN and ±Infinity have no int64 value: null rather than a made-up number.
      if (Number.isFinite(x)) out[i] = BigInt(Math.min(Math.max(x, -9.223372036854776e18), 9.223372036854775e18));
      else valid[i] = 0;
    }
    return { data: fixedData(new Int64(), out, valid), scalar: a.scalar };
  },
  startswith: stringPredicate((s, p) => s.startsWith(p)),
  endswith: stringPredicate((s, p) => s.endsWith(p)),
  contains: stringPredicate((s, p) => s.includes(p)),
};

