import { Bool, type Data, type DataType, makeData, Null, Utf8, Binary, Type } from 'apache-arrow';

/**
 * Builders of Arrow `Data` straight from typed arrays: evaluation produces whole columns at once, so
 * there is no per-row builder call on the hot path.
 */

/** Packs one-byte-per-row validity into an Arrow bitmap; `null` in, `null` out (no nulls). */
export function packValidity(valid: Uint8Array | null, length: number): { bitmap: Uint8Array | undefined; nullCount: number } {
  if (!valid) return { bitmap: undefined, nullCount: 0 };
  const bitmap = new Uint8Array(((length + 63) & ~63) >> 3);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    if (valid[i]) bitmap[i >> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return nulls ? { bitmap, nullCount: nulls } : { bitmap: undefined, nullCount: 0 };
}

/** Fixed-width data (ints, floats, dates, timestamps) from its values array and validity bytes. */
export function fixedData(type: DataType, values: ArrayBufferView & { length: number }, valid: Uint8Array | null): Data {
  // Decimals hold several 32-bit words per value.
  const length = type.typeId === Type.Decimal ? values.length / (((type as unknown as { bitWidth?: number }).bitWidth ?? 128) / 32) : values.length;
  const { bitmap, nullCount } = packValidity(valid, length);
  return makeData({ type, length, nullCount, data: values, nullBitmap: bitmap } as never) as Data;
}

export function boolData(values: Uint8Array, valid: Uint8Array | null): Data {
  const length = values.length;
  const bits = new Uint8Array(((length + 63) & ~63) >> 3);
  for (let i = 0; i < length; i++) if (values[i]) bits[i >> 3]! |= 1 << (i & 7);
  const { bitmap, nullCount } = packValidity(valid, length);
  return makeData({ type: new Bool(), length, nullCount, data: bits, nullBitmap: bitmap }) as Data;
}

/** Utf8 data from JS strings (null = null row), encoded in one pass into one buffer. */
export function stringData(values: readonly (string | null)[]): Data {
  const length = values.length;
  const offsets = new Int32Array(length + 1);
  let byteLength = 0;
  let valid: Uint8Array | null = null;
  for (let i = 0; i < length; i++) {
    const s = values[i];
    if (s == null) {
      valid ??= new Uint8Array(length).fill(1);
      valid[i] = 0;
    } else byteLength += Buffer.byteLength(s, 'utf8');
    offsets[i + 1] = byteLength;
  }
  const bytes = Buffer.allocUnsafe(byteLength);
  let pos = 0;
  for (let i = 0; i < length; i++) {
    const s = values[i];
    if (s != null && s.length) pos += bytes.write(s, pos, 'utf8');
  }
  const { bitmap, nullCount } = packValidity(valid, length);
  return makeData({ type: new Utf8(), length, nullCount, valueOffsets: offsets, data: new Uint8Array(bytes.buffer, bytes.byteOffset, byteLength), nullBitmap: bitmap }) as Data;
}

export function binaryData(values: readonly (Uint8Array | null)[]): Data {
  const length = values.length;
  const offsets = new Int32Array(length + 1);
  let total = 0;
  let valid: Uint8Array | null = null;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v == null) {
      valid ??= new Uint8Array(length).fill(1);
      valid[i] = 0;
    } else total += v.length;
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v) bytes.set(v, offsets[i]!);
  }
  const { bitmap, nullCount } = packValidity(valid, length);
  return makeData({ type: new Binary(), length, nullCount, valueOffsets: offsets, data: bytes, nullBitmap: bitmap }) as Data;
}

export function nullData(length: number): Data {
  return makeData({ type: new Null(), length }) as Data;
}
