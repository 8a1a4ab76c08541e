import { type Data, type DataType } from 'apache-arrow';
import { boolData } from '../../arrow/build-data.js';
import { familyOf } from '../../arrow/data-types.js';
import { bigintValues, boolBytes, isBigIntData, numberValues, validityBytes } from '../../arrow/read-data.js';
import type { ComparisonOp } from '../../plan/expr.js';
import { castData } from './cast.js';
import { int64AsDoubles } from '../../arrow/int64-as-double.js';
import { combinedValidity, step, type Operand } from './operand.js';

/**
 * Comparisons after converting both sides to their common type. Strings compare by UTF-8 bytes,
 * which orders by code point exactly like Spark's UTF8String. `<=>` never returns null.
 */
export function compare(op: ComparisonOp | '<=>', l: Operand, r: Operand, common: DataType, rows: number): Operand {
  const lc = { data: castData(l.data, common), scalar: l.scalar };
  const rc = { data: castData(r.data, common), scalar: r.scalar };
  const n = l.scalar && r.scalar ? 1 : rows;
  const cmp = comparator(lc.data, rc.data, common);
  const ls = step(lc);
  const rs = step(rc);
  const out = new Uint8Array(n);
  if (op === '<=>') {
    const lv = validityBytes(lc.data);
    const rv = validityBytes(rc.data);
    for (let i = 0; i < n; i++) {
      const ln = lv ? !lv[i * ls] : false;
      const rn = rv ? !rv[i * rs] : false;
      out[i] = ln || rn ? (ln && rn ? 1 : 0) : cmp(i * ls, i * rs) === 0 ? 1 : 0;
    }
    return { data: boolData(out, null), scalar: l.scalar && r.scalar };
  }
  const valid = combinedValidity([lc, rc], n);
  const fam = familyOf(common);
  if (fam === 'int' || fam === 'float' || fam === 'date' || fam === 'timestamp' || fam === 'duration') {
    // int64 values below 2^53 compare as doubles (no BigInt allocation per read).
    const big = isBigIntData(common);
    const dx = big ? int64AsDoubles(bigintValues(lc.data)) : undefined;
    const dy = dx ? int64AsDoubles(bigintValues(rc.data)) : undefined;
    const x = (big ? (dy ? dx : bigintValues(lc.data)) : numberValues(lc.data)) as ArrayLike<number>;
    const y = (big ? (dy ?? bigintValues(rc.data)) : numberValues(rc.data)) as ArrayLike<number>;
    fastCompare(op, x, y, ls, rs, n, out);
    // Plain JS comparisons are wrong only for NaN (Spark: NaN = NaN, NaN above everything): redo those rows.
    if (fam === 'float') for (let i = 0; i < n; i++) if (Number.isNaN(x[i * ls]!) || Number.isNaN(y[i * rs]!)) out[i] = TESTS[op](cmp(i * ls, i * rs)) ? 1 : 0;
    if (valid) for (let i = 0; i < n; i++) out[i]! &= valid[i]!;
    return { data: boolData(out, valid), scalar: l.scalar && r.scalar };
  }
  const test = TESTS[op];
  for (let i = 0; i < n; i++) if (!valid || valid[i]) out[i] = test(cmp(i * ls, i * rs)) ? 1 : 0;
  return { data: boolData(out, valid), scalar: l.scalar && r.scalar };
}

const TESTS: Record<ComparisonOp, (c: number) => boolean> = {
  '==': (c) => c === 0,
  '!=': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

/** A three-way comparator of row i of `a` with row j of `b` (both of type `t`). */
function comparator(a: Data, b: Data, t: DataType): (i: number, j: number) => number {
  switch (familyOf(t)) {
    case 'string':
    case 'binary': {
      const ao = a.valueOffsets as Int32Array;
      const bo = b.valueOffsets as Int32Array;
      const av = a.values as Uint8Array;
      const bv = b.values as Uint8Array;
      const ab = Buffer.from(av.buffer, av.byteOffset, av.byteLength);
      const bb = Buffer.from(bv.buffer, bv.byteOffset, bv.byteLength);
      return (i, j) => ab.compare(bb, bo[j]!, bo[j + 1]!, ao[i]!, ao[i + 1]!);
    }
    case 'boolean': {
      const x = boolBytes(a);
      const y = boolBytes(b);
      return (i, j) => x[i]! - y[j]!;
    }
    default:
      if (isBigIntData(t)) {
        const x = bigintValues(a);
        const y = bigintValues(b);
        return (i, j) => (x[i]! < y[j]! ? -1 : x[i]! > y[j]! ? 1 : 0);
      } else {
        const x = numberValues(a);
        const y = numberValues(b);
        // Spark orders NaN above every other double and treats NaN = NaN as true.
        return (i, j) => {
          const p = x[i]!;
          const q = y[j]!;
          if (p < q) return -1;
          if (p > q) return 1;
          if (p === q) return 0;
          const pn = Number.isNaN(p);
          const qn = Number.isNaN(q);
          return pn && qn ? 0 : pn ? 1 : -1;
        };
      }
  }
}

/** Tight loops per operator over numbers or bigints (the hot path of filters). */
function fastCompare(op: ComparisonOp, x: ArrayLike<number>, y: ArrayLike<number>, ls: number, rs: number, n: number, out: Uint8Array): void {
  switch (op) {
    case '==': for (let i = 0; i < n; i++) out[i] = x[i * ls] === y[i * rs] ? 1 : 0; break;
    case '!=': for (let i = 0; i < n; i++) out[i] = x[i * ls] !== y[i * rs] ? 1 : 0; break;
    case '<': for (let i = 0; i < n; i++) out[i] = x[i * ls]! < y[i * rs]! ? 1 : 0; break;
    case '<=': for (let i = 0; i < n; i++) out[i] = x[i * ls]! <= y[i * rs]! ? 1 : 0; break;
    case '>': for (let i = 0; i < n; i++) out[i] = x[i * ls]! > y[i * rs]! ? 1 : 0; break;
    case '>=': for (let i = 0; i < n; i++) out[i] = x[i * ls]! >= y[i * rs]! ? 1 : 0; break;
  }
}
