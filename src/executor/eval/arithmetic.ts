import { type Data, type DataType, Type } from 'apache-arrow';
import { fixedData } from '../../arrow/build-data.js';
import { bigintValues, isBigIntData, numberValues } from '../../arrow/read-data.js';
import type { ArithmeticOp } from '../../plan/expr.js';
import { castData } from './cast.js';
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
