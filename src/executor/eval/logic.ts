import { type DataType, Type } from 'apache-arrow';
import { boolData, fixedData } from '../../arrow/build-data.js';
import { gatherUtf8, utf8Source } from '../../arrow/utf8-gather.js';
import { familyOf } from '../../arrow/data-types.js';
import { boolBytes, validityBytes } from '../../arrow/read-data.js';
import { castData } from './cast.js';
import { allNull, allocValues, step, type Operand } from './operand.js';

/**
 * SQL three-valued logic: `false AND null` is false, `true OR null` is true, every other combination
 * with a null is null. Null-typed operands (lit(null)) count as null booleans.
 */
export function andOr(op: 'and' | 'or', l: Operand, r: Operand, rows: number): Operand {
  const n = l.scalar && r.scalar ? 1 : rows;
  const [lv, lValid] = boolParts(l);
  const [rv, rValid] = boolParts(r);
  const ls = step(l);
  const rs = step(r);
  const out = new Uint8Array(n);
  let valid: Uint8Array | null = null;
  const dominant = op === 'and' ? 0 : 1;
  for (let i = 0; i < n; i++) {
    const lnull = lValid ? !lValid[i * ls] : false;
    const rnull = rValid ? !rValid[i * rs] : false;
    const a = lv[i * ls]!;
    const b = rv[i * rs]!;
    if ((!lnull && a === dominant) || (!rnull && b === dominant)) out[i] = dominant;
    else if (lnull || rnull) {
      valid ??= new Uint8Array(n).fill(1);
      valid[i] = 0;
    } else out[i] = op === 'and' ? a & b : a | b;
  }
  return { data: boolData(out, valid), scalar: l.scalar && r.scalar };
}

export function not(o: Operand): Operand {
  const [v, valid] = boolParts(o);
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] ? 0 : 1;
  return { data: boolData(out, valid), scalar: o.scalar };
}

export function isNull(o: Operand, negated: boolean): Operand {
  const valid = validityBytes(o.data);
  const out = new Uint8Array(o.data.length);
  if (valid) for (let i = 0; i < out.length; i++) out[i] = (valid[i] ? 0 : 1) ^ (negated ? 1 : 0);
  else if (negated) out.fill(1);
  return { data: boolData(out, null), scalar: o.scalar };
}

/** Values and validity of a boolean (or null-typed) operand. */
function boolParts(o: Operand): [Uint8Array, Uint8Array | null] {
  if (o.data.typeId === Type.Null) return [new Uint8Array(o.data.length), new Uint8Array(o.data.length)];
  return [boolBytes(o.data), validityBytes(o.data)];
}

/**
 * CASE WHEN: per row, the value of the first branch whose condition is true (null conditions count
 * as false), else the otherwise value, else null. Values are cast to the result type first.
 */
export function caseWhen(conditions: Operand[], values: Operand[], otherwise: Operand | undefined, type: DataType, rows: number): Operand {
  const choice = new Int32Array(rows).fill(-1);
  for (let b = conditions.length - 1; b >= 0; b--) {
    const c = conditions[b]!;
    const [v, valid] = boolParts(c);
    const s = step(c);
    for (let i = 0; i < rows; i++) if (v[i * s] && (!valid || valid[i * s])) choice[i] = b;
  }
  return pick(choice, values, otherwise, type, rows);
}

/** coalesce: per row, the first non-null argument. */
export function coalesce(args: Operand[], type: DataType, rows: number): Operand {
  const choice = new Int32Array(rows).fill(-1);
  for (let a = args.length - 1; a >= 0; a--) {
    const o = args[a]!;
    const valid = validityBytes(o.data);
    const s = step(o);
    for (let i = 0; i < rows; i++) if (!valid || valid[i * s]) choice[i] = a;
  }
  return pick(choice, args, undefined, type, rows);
}

/**
 * Assembles a column from per-row choices (-1 = otherwise, else null): row i is row i of the chosen
 * candidate (row 0 of a scalar one), every candidate first cast to the result type. Nothing is
 * broadcast and strings are gathered as UTF-8 bytes.
 */
function pick(choice: Int32Array, candidates: Operand[], otherwise: Operand | undefined, type: DataType, rows: number): Operand {
  const sources: Operand[] = candidates.map((o) => ({ data: castData(o.data, type), scalar: o.scalar }));
  sources.push(otherwise ? { data: castData(otherwise.data, type), scalar: otherwise.scalar } : { data: allNull(type, 1), scalar: true });
  const fallback = sources.length - 1;
  for (let i = 0; i < rows; i++) if (choice[i] === -1) choice[i] = fallback;
  const steps = sources.map(step);
  switch (familyOf(type)) {
    case 'null':
      return { data: allNull(type, rows), scalar: false };
    case 'string':
      return { data: gatherUtf8(rows, (i) => choice[i]!, sources.map((o) => utf8Source(o.data, o.scalar))), scalar: false };
    default: {
      const validity = sources.map((o) => validityBytes(o.data));
      const valid = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) {
        const s = choice[i]!;
        const v = validity[s];
        valid[i] = v ? v[i * steps[s]!]! : 1;
      }
      if (familyOf(type) === 'boolean') {
        const vals = sources.map((o) => boolBytes(o.data));
        const out = new Uint8Array(rows);
        for (let i = 0; i < rows; i++) out[i] = vals[choice[i]!]![i * steps[choice[i]!]!]!;
        return { data: boolData(out, valid), scalar: false };
      }
      const stride = type.typeId === Type.Decimal ? 4 : 1;
      const out = allocValues(type, rows * stride) as unknown as { [i: number]: unknown; set(a: ArrayLike<unknown>, o: number): void } & ArrayBufferView & { length: number };
      const vals = sources.map((o) => o.data.values as unknown as { [i: number]: unknown; subarray(a: number, b: number): ArrayLike<unknown> });
      for (let i = 0; i < rows; i++) {
        const s = choice[i]!;
        const j = i * steps[s]!;
        if (stride === 1) out[i] = vals[s]![j];
        else out.set(vals[s]!.subarray(j * stride, j * stride + stride), i * stride);
      }
      return { data: fixedData(type, out, valid), scalar: false };
    }
  }
}
