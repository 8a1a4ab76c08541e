import { type Data, type DataType, DateUnit, Type, Int64 } from 'apache-arrow';
import { boolData, binaryData, fixedData, stringData } from '../../arrow/build-data.js';
import { familyOf, sameType, valueTypeOf } from '../../arrow/data-types.js';
import { decimalText, decimalUnscaled } from '../../arrow/decimal.js';
import { bigintValues, binaryValues, boolBytes, isBigIntData, numberValues, stringValues, validityBytes } from '../../arrow/read-data.js';
import { parseDateDays, parseTimestampMicros } from '../../plan/literal.js';
import { PlanError } from '../../errors/kjob-error.js';
import { allNull, allocValues } from './operand.js';
import { floorDiv, fromMicros, toMicros } from './temporal.js';
import { formatDate, formatDouble, formatFloat32, formatTimestampMicros } from './format-values.js';

/**
 * Spark (non-ANSI) casts over whole chunks: text that does not parse becomes null; doubles truncate
 * toward zero and saturate when cast to integers (NaN → 0); integer narrowing wraps; timestamps cast
 * to numbers are epoch seconds; timestamps cast to text are `yyyy-MM-dd HH:mm:ss[.ffffff]` (UTC).
 */
export function castData(data: Data, to: DataType): Data {
  const from = data.type as DataType;
  if (sameType(from, to)) return data;
  const ff = familyOf(from);
  const tf = familyOf(to);
  const n = data.length;
  if (ff === 'null') return allNull(to, n);
  switch (tf) {
    case 'string':
      return stringData(toStrings(data));
    case 'int':
    case 'float':
      return toNumeric(data, to);
    case 'boolean':
      return toBoolean(data);
    case 'date':
      return toDate(data, to);
    case 'timestamp':
      return toTimestamp(data, to);
    case 'binary': {
      const s = stringValues(data);
      return binaryData(s.map((x) => (x === null ? null : new Uint8Array(Buffer.from(x, 'utf8')))));
    }
    case 'duration':
      if (ff === 'int') return toNumeric(data, new Int64(), to);
      break;
    default:
      break;
  }
  if (tf === ff && sameType(valueTypeOf(from), to)) return data;
  throw new PlanError(`Cannot cast ${String(from)} to ${String(to)}`);
}

/** Row texts of any flat chunk (null rows → null). */
export function toStrings(data: Data): (string | null)[] {
  const from = data.type as DataType;
  const n = data.length;
  const valid = validityBytes(data);
  const out = new Array<string | null>(n);
  const each = (f: (i: number) => string) => {
    for (let i = 0; i < n; i++) out[i] = valid && !valid[i] ? null : f(i);
    return out;
  };
  switch (familyOf(from)) {
    case 'null':
      return out.fill(null);
    case 'string':
      return stringValues(data);
    case 'boolean': {
      const b = boolBytes(data);
      return each((i) => (b[i] ? 'true' : 'false'));
    }
    case 'int': {
      if (isBigIntData(from)) {
        const v = bigintValues(data);
        const unsigned = !(from as unknown as { isSigned: boolean }).isSigned;
        return each((i) => (unsigned ? BigInt.asUintN(64, v[i]!) : v[i]!).toString());
      }
      const v = numberValues(data);
      return each((i) => String(v[i]));
    }
    case 'float': {
      const v = numberValues(data);
      const fmt = (from as unknown as { precision: number }).precision === 2 ? formatDouble : formatFloat32;
      return each((i) => fmt(v[i]!));
    }
    case 'decimal': {
      const words = data.values as Uint32Array;
      const scale = (from as unknown as { scale: number }).scale;
      const width = ((from as unknown as { bitWidth: number }).bitWidth ?? 128) / 32;
      return each((i) => decimalText(decimalUnscaled(words, i, width), scale));
    }
    case 'date': {
      const v = numberValues(data);
      return each((i) => formatDate(v[i]!));
    }
    case 'timestamp': {
      const v = bigintValues(data);
      return each((i) => formatTimestampMicros(toMicros(v[i]!, from)));
    }
    case 'binary': {
      const v = binaryValues(data);
      return each((i) => Buffer.from(v[i]!).toString('utf8'));
    }
    case 'duration': {
      const v = bigintValues(data);
      return each((i) => v[i]!.toString());
    }
    default:
      throw new PlanError(`Cannot cast ${String(from)} to string`);
  }
}

const INT_RANGE: Record<string, [number, number]> = {
  'true8': [-128, 127],
  'true16': [-32768, 32767],
  'true32': [-(2 ** 31), 2 ** 31 - 1],
  'false8': [0, 255],
  'false16': [0, 65535],
  'false32': [0, 2 ** 32 - 1],
};

/** Casts to an int or float type (`storeAs` lets a duration reuse the int64 path). */
function toNumeric(data: Data, to: DataType, storeAs: DataType = to): Data {
  const from = data.type as DataType;
  const ff = familyOf(from);
  const n = data.length;
  const srcValid = validityBytes(data);
  let valid: Uint8Array | null = srcValid ? Uint8Array.from(srcValid) : null;
  const markNull = (i: number) => {
    valid ??= new Uint8Array(n).fill(1);
    valid[i] = 0;
  };
  const isFloat = to.typeId === Type.Float;
  const big = !isFloat && isBigIntData(to);
  const out = allocValues(to, n);
  const range = isFloat || big ? undefined : INT_RANGE[`${(to as unknown as { isSigned: boolean }).isSigned}${(to as unknown as { bitWidth: number }).bitWidth}`];

  // Store one finite or non-finite double with Spark's float→integer rules.
  const putDouble = (i: number, x: number) => {
    if (isFloat) out[i] = x;
    else if (big) out[i] = Number.isNaN(x) ? 0n : x >= 9.223372036854776e18 ? 2n ** 63n - 1n : x <= -9.223372036854776e18 ? -(2n ** 63n) : BigInt(Math.trunc(x));
    else out[i] = Number.isNaN(x) ? 0 : Math.min(Math.max(Math.trunc(x), range![0]), range![1]);
  };
  switch (ff) {
    case 'int':
    case 'float':
    case 'date':
      if (isBigIntData(from)) {
        const v = bigintValues(data);
        for (let i = 0; i < n; i++) out[i] = isFloat ? Number(v[i]!) : big ? v[i]! : Number(BigInt.asIntN(range![0] < 0 ? bitWidthOf(to) : 64, v[i]!));
      } else {
        const v = numberValues(data);
        if (familyOf(from) === 'int' || ff === 'date') {
          if (big) for (let i = 0; i < n; i++) out[i] = BigInt(v[i]!);
          else (out as unknown as { set(a: ArrayLike<number>): void }).set(v as ArrayLike<number>);
        } else for (let i = 0; i < n; i++) putDouble(i, v[i]!);
      }
      break;
    case 'boolean': {
      const b = boolBytes(data);
      for (let i = 0; i < n; i++) out[i] = big ? BigInt(b[i]!) : b[i]!;
      break;
    }
    case 'string': {
      const s = stringValues(data);
      for (let i = 0; i < n; i++) {
        const text = s[i];
        if (text == null) continue;
        const t = text.trim();
        if (!isFloat && /^[+-]?\d+$/.test(t)) {
          const b = BigInt(t);
          const fits = big ? b >= -(2n ** 63n) && b < 2n ** 63n : b >= BigInt(range![0]) && b <= BigInt(range![1]);
          if (!fits) markNull(i);
          else out[i] = big ? b : Number(b);
          continue;
        }
        const x = t === '' ? NaN : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : /^[+-]?(NaN|Infinity|inf)$/i.test(t) && isFloat ? parseSpecial(t) : NaN;
        if (Number.isNaN(x) && !/nan/i.test(t)) markNull(i);
        else if (!isFloat && !Number.isFinite(x)) markNull(i);
        else putDouble(i, x);
      }
      break;
    }
    case 'decimal': {
      const words = data.values as Uint32Array;
      const scale = (from as unknown as { scale: number }).scale;
      const div = 10n ** BigInt(scale);
      for (let i = 0; i < n; i++) {
        const u = decimalUnscaled(words, i);
        if (isFloat) out[i] = Number(u) / Number(div);
        else if (big) out[i] = BigInt.asIntN(64, u / div);
        else out[i] = Number(BigInt.asIntN(bitWidthOf(to), u / div));
      }
      break;
    }
    case 'timestamp': {
      const v = bigintValues(data);
      for (let i = 0; i < n; i++) {
        const micros = toMicros(v[i]!, from);
        if (isFloat) out[i] = Number(micros) / 1e6;
        else if (big) out[i] = floorDiv(micros, 1_000_000n);
        else out[i] = Number(BigInt.asIntN(bitWidthOf(to), floorDiv(micros, 1_000_000n)));
      }
      break;
    }
    case 'duration': {
      const v = bigintValues(data);
      for (let i = 0; i < n; i++) out[i] = isFloat ? Number(v[i]!) : big ? v[i]! : Number(BigInt.asIntN(bitWidthOf(to), v[i]!));
      break;
    }
    default:
      throw new PlanError(`Cannot cast ${String(from)} to ${String(to)}`);
  }
  return fixedData(storeAs, out, valid);
}

function bitWidthOf(t: DataType): number {
  return (t as unknown as { bitWidth: number }).bitWidth;
}

function parseSpecial(t: string): number {
  const neg = t.startsWith('-');
  if (/nan/i.test(t)) return NaN;
  return neg ? -Infinity : Infinity;
}

const TRUE_TEXT = new Set(['t', 'true', 'y', 'yes', '1']);
const FALSE_TEXT = new Set(['f', 'false', 'n', 'no', '0']);

function toBoolean(data: Data): Data {
  const from = data.type as DataType;
  const n = data.length;
  const out = new Uint8Array(n);
  let valid = validityBytes(data) ? Uint8Array.from(validityBytes(data)!) : null;
  switch (familyOf(from)) {
    case 'string': {
      const s = stringValues(data);
      for (let i = 0; i < n; i++) {
        const t = s[i]?.trim().toLowerCase();
        if (t == null) continue;
        if (TRUE_TEXT.has(t)) out[i] = 1;
        else if (!FALSE_TEXT.has(t)) {
          valid ??= new Uint8Array(n).fill(1);
          valid[i] = 0;
        }
      }
      break;
    }
    case 'int':
    case 'float':
      if (isBigIntData(from)) {
        const v = bigintValues(data);
        for (let i = 0; i < n; i++) out[i] = v[i] !== 0n ? 1 : 0;
      } else {
        const v = numberValues(data);
        for (let i = 0; i < n; i++) out[i] = v[i] !== 0 ? 1 : 0;
      }
      break;
    case 'decimal': {
      const words = data.values as Uint32Array;
      for (let i = 0; i < n; i++) out[i] = decimalUnscaled(words, i) !== 0n ? 1 : 0;
      break;
    }
    default:
      throw new PlanError(`Cannot cast ${String(from)} to boolean`);
  }
  return boolData(out, valid);
}

function toDate(data: Data, to: DataType): Data {
  const from = data.type as DataType;
  const n = data.length;
  const out = new Int32Array(n);
  let valid = validityBytes(data) ? Uint8Array.from(validityBytes(data)!) : null;
  switch (familyOf(from)) {
    case 'string': {
      const s = stringValues(data);
      for (let i = 0; i < n; i++) {
        if (s[i] == null) continue;
        const d = parseDateDays(s[i]!);
        if (d === null) {
          valid ??= new Uint8Array(n).fill(1);
          valid[i] = 0;
        } else out[i] = d;
      }
      break;
    }
    case 'timestamp': {
      const v = bigintValues(data);
      for (let i = 0; i < n; i++) out[i] = Number(floorDiv(toMicros(v[i]!, from), 86_400_000_000n));
      break;
    }
    case 'date':
      out.set(numberValues(data) as ArrayLike<number>);
      break;
    default:
      throw new PlanError(`Cannot cast ${String(from)} to date`);
  }
  if ((to as unknown as { unit: DateUnit }).unit === DateUnit.MILLISECOND) {
    const ms = allocValues(to, n);
    const big = typeof ms[0] === 'bigint';
    for (let i = 0; i < n; i++) ms[i] = big ? BigInt(out[i]!) * 86_400_000n : out[i]! * 86_400_000;
    return fixedData(to, ms, valid);
  }
  return fixedData(to, out, valid);
}

function toTimestamp(data: Data, to: DataType): Data {
  const from = data.type as DataType;
  const n = data.length;
  const out = new BigInt64Array(n);
  let valid = validityBytes(data) ? Uint8Array.from(validityBytes(data)!) : null;
  const put = (i: number, micros: bigint) => {
    out[i] = fromMicros(micros, to);
  };
  switch (familyOf(from)) {
    case 'string': {
      const s = stringValues(data);
      for (let i = 0; i < n; i++) {
        if (s[i] == null) continue;
        const m = parseTimestampMicros(s[i]!);
        if (m === null) {
          valid ??= new Uint8Array(n).fill(1);
          valid[i] = 0;
        } else put(i, m);
      }
      break;
    }
    case 'date': {
      const v = numberValues(data);
      for (let i = 0; i < n; i++) put(i, BigInt(v[i]!) * 86_400_000_000n);
      break;
    }
    case 'timestamp': {
      const v = bigintValues(data);
      for (let i = 0; i < n; i++) put(i, toMicros(v[i]!, from));
      break;
    }
    case 'int':
    case 'float':
      if (isBigIntData(from)) {
        const v = bigintValues(data);
        for (let i = 0; i < n; i++) put(i, v[i]! * 1_000_000n);
      } else {
        const v = numberValues(data);
        for (let i = 0; i < n; i++) {
          const x = v[i]!;
          if (!Number.isFinite(x)) {
            valid ??= new Uint8Array(n).fill(1);
            valid[i] = 0;
          } else put(i, BigInt(Math.round(x * 1e6)));
        }
      }
      break;
    default:
      throw new PlanError(`Cannot cast ${String(from)} to timestamp`);
  }
  return fixedData(to, out, valid);
}
