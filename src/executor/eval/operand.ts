import { type Data, type DataType, makeData, Type } from 'apache-arrow';
import { fixedData } from '../../arrow/build-data.js';
import { validityBytes } from '../../arrow/read-data.js';
import { takeRows } from '../../arrow/take-rows.js';

/**
 * What evaluation passes around: a column chunk, or a scalar (a literal) held as a chunk of length 1
 * that kernels read at index 0 for every row, so literals are never broadcast until they become an
 * output column.
 */
export interface Operand {
  readonly data: Data;
  readonly scalar: boolean;
}

/** 0 for scalars, 1 for columns: kernels read `values[i * step]`. */
export const step = (o: Operand): number => (o.scalar ? 0 : 1);

/** Validity bytes, or null when there are no nulls (a scalar's validity has length 1). */
export function validity(o: Operand): Uint8Array | null {
  return validityBytes(o.data);
}

/** Combined validity of operands for `rows` rows: valid where every operand is valid. */
export function combinedValidity(operands: readonly Operand[], rows: number): Uint8Array | null {
  let out: Uint8Array | null = null;
  for (const o of operands) {
    const v = validity(o);
    if (!v) continue;
    if (o.scalar) {
      if (v[0]) continue;
      return new Uint8Array(rows);
    }
    if (!out) out = Uint8Array.from(v);
    else for (let i = 0; i < rows; i++) out[i]! &= v[i]!;
  }
  return out;
}

/** A new typed array of the type's physical array type. */
export function allocValues(type: DataType, n: number): ArrayBufferView & { length: number; [i: number]: number | bigint } {
  const Ctor = (type as unknown as { ArrayType: new (n: number) => ArrayBufferView & { length: number; [i: number]: number | bigint } }).ArrayType;
  return new Ctor(n);
}

/** A chunk of `n` nulls of any flat type. */
export function allNull(type: DataType, n: number): Data {
  const bitmap = new Uint8Array(((n + 63) & ~63) >> 3);
  switch (type.typeId) {
    case Type.Null:
      return makeData({ type, length: n } as never) as Data;
    case Type.Utf8:
    case Type.Binary:
      return makeData({ type, length: n, nullCount: n, nullBitmap: bitmap, valueOffsets: new Int32Array(n + 1), data: new Uint8Array(0) } as never) as Data;
    case Type.Bool:
      return makeData({ type, length: n, nullCount: n, nullBitmap: bitmap, data: new Uint8Array(bitmap.length) } as never) as Data;
    default: {
      const stride = type.typeId === Type.Decimal ? 4 : 1;
      const values = allocValues(type, n * stride);
      return makeData({ type, length: n, nullCount: n, nullBitmap: bitmap, data: values } as never) as Data;
    }
  }
}

/** Expands a scalar operand into a column of `n` rows (only when it becomes an output column). */
export function materialize(o: Operand, n: number): Data {
  if (!o.scalar) return o.data;
  if (o.data.length === n) return o.data;
  const v = validity(o);
  if (v && !v[0]) return allNull(o.data.type, n);
  if (isFixedWidth(o.data.type) && o.data.typeId !== Type.Bool && o.data.typeId !== Type.Decimal) {
    const src = o.data.values as unknown as { [i: number]: number | bigint };
    const out = allocValues(o.data.type, n) as unknown as { fill(v: unknown): void } & ArrayBufferView & { length: number };
    out.fill(src[0]);
    return fixedData(o.data.type, out, null);
  }
  return takeRows(o.data, new Int32Array(n));
}

function isFixedWidth(t: DataType): boolean {
  return [Type.Int, Type.Float, Type.Date, Type.Timestamp, Type.Duration, Type.Bool, Type.Decimal].includes(t.typeId);
}
