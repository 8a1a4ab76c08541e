import { type Data, type DataType, Type } from 'apache-arrow';
import { fixedData } from '../../arrow/build-data.js';
import { bigintValues, isBigIntData, numberValues } from '../../arrow/read-data.js';
import type { ArithmeticOp } from '../../plan/expr.js';
import { castData } from './cast.js';
import { allSafeIntegers, doublesToInt64, int64AsDoubles } from '../../arrow/int64-as-double.js';
import { allocValues, combinedValidity, step, type Operand } from './operand.js';

/**
 * `+ - * / %` over two operands already typed by the analyzer's rules (`resultType`). Integer
 * overflow wraps as in Spark's non-ANSI mode; division or modulo by zero yields null.
 */
export function arithmetic(op: ArithmeticOp, l: Operand, r: Operand, resultType: DataType, rows: number): Operand {
  const lc = { data: castData(l.data, resultType), scalar: l.scalar };
  const rc = { data: castData(r.data, resultType), scalar: r.scalar };
  const n = l.scalar && r.scalar ? 1 : rows;
  let valid = combinedValidity([lc, rc], n);
  const ls = step(lc);
  const rs = step(rc);
  const out = allocValues(resultType, n);
  const markNull = (i: number) => {
    valid ??= new Uint8Array(n).fill(1);
    valid[i] = 0;
  };
  if (isBigIntData(resultType)) {
    const fast = int64ViaDoubles(op, lc, rc, n, valid);
    if (fast) {
      const o = out as unknown as BigInt64Array;
      doublesToInt64(fast.values, o);
      return { data: fixedData(resultType, o, fast.valid) as Data, scalar: l.scalar && r.scalar };
    }
    const a = bigintValues(lc.data);
    const b = bigintValues(rc.data);
    const o = out as unknown as BigInt64Array;
    switch (op) {
      case '+': for (let i = 0; i < n; i++) o[i] = BigInt.asIntN(64, a[i * ls]! + b[i * rs]!); break;
      case '-': for (let i = 0; i < n; i++) o[i] = BigInt.asIntN(64, a[i * ls]! - b[i * rs]!); break;
      case '*': for (let i = 0; i < n; i++) o[i] = BigInt.asIntN(64, a[i * ls]! * b[i * rs]!); break;
      case '/':
      case '%':
        for (let i = 0; i < n; i++) {
          const d = b[i * rs]!;
          if (d === 0n) markNull(i);
          else o[i] = BigInt.asIntN(64, op === '/' ? a[i * ls]! / d : a[i * ls]! % d);
        }
        break;
    }
  } else {
    const a = numberValues(lc.data) as Float64Array;
    const b = numberValues(rc.data) as Float64Array;
    const o = out as unknown as Float64Array;
    const isInt = resultType.typeId === Type.Int;
    switch (op) {
      case '+': for (let i = 0; i < n; i++) o[i] = a[i * ls]! + b[i * rs]!; break;
      case '-': for (let i = 0; i < n; i++) o[i] = a[i * ls]! - b[i * rs]!; break;
      case '*':
        // Math.imul keeps int32 products exact (a plain * loses bits above 2^53 before wrapping).
        if (isInt) for (let i = 0; i < n; i++) o[i] = Math.imul(a[i * ls]!, b[i * rs]!);
        else for (let i = 0; i < n; i++) o[i] = a[i * ls]! * b[i * rs]!;
        break;
      case '/':
        for (let i = 0; i < n; i++) {
          const d = b[i * rs]!;
          if (d === 0) markNull(i);
          else o[i] = a[i * ls]! / d;
        }
        break;
      case '%':
        for (let i = 0; i < n; i++) {
          const d = b[i * rs]!;
          if (d === 0) markNull(i);
          else o[i] = a[i * ls]! % d;
        }
        break;
    }
  }
  return { data: fixedData(resultType, out, valid) as Data, scalar: l.scalar && r.scalar };
}

/**
 * int64 arithmetic in doubles when every operand and every result is below 2^53 in magnitude (then
 * exact); undefined otherwise, and the caller falls back to BigInt with 64-bit wrap-around.
 */
function int64ViaDoubles(op: ArithmeticOp, l: Operand, r: Operand, n: number, valid: Uint8Array | null): { values: Float64Array; valid: Uint8Array | null } | undefined {
  const a = int64AsDoubles(bigintValues(l.data));
  const b = a && int64AsDoubles(bigintValues(r.data));
  if (!a || !b) return undefined;
  const ls = step(l);
  const rs = step(r);
  const o = new Float64Array(n);
  let v = valid;
  switch (op) {
    case '+': for (let i = 0; i < n; i++) o[i] = a[i * ls]! + b[i * rs]!; break;
    case '-': for (let i = 0; i < n; i++) o[i] = a[i * ls]! - b[i * rs]!; break;
    case '*': for (let i = 0; i < n; i++) o[i] = a[i * ls]! * b[i * rs]!; break;
    case '/':
    case '%':
      for (let i = 0; i < n; i++) {
        const d = b[i * rs]!;
        if (d === 0) {
          v ??= new Uint8Array(n).fill(1);
          v[i] = 0;
        } else o[i] = op === '/' ? Math.trunc(a[i * ls]! / d) : a[i * ls]! % d;
      }
      break;
  }
  // A product beyond 2^53 is no longer exact: let BigInt handle the batch.
  return allSafeIntegers(o, v) ? { values: o, valid: v } : undefined;
}
