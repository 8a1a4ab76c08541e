import { type Data, type DataType, DateUnit, Type } from 'apache-arrow';

/**
 * Column-at-a-time readers over one Arrow `Data` chunk. Validity comes back as one byte per row (1 =
 * valid) or `null` when the chunk has no nulls, so hot loops can skip the null test altogether.
 *
 * Arrow JS slices fixed-width value buffers to the chunk's window but keeps bitmaps (validity and
 * booleans) whole, addressed with `data.offset`: every reader here honours that.
 */
export function validityBytes(data: Data): Uint8Array | null {
  if (data.typeId === Type.Null) return new Uint8Array(data.length);
  if (!data.nullBitmap || data.nullCount === 0) return null;
  return unpackBits(data.nullBitmap, data.offset, data.length);
}

export function unpackBits(bitmap: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const bit = offset + i;
    out[i] = (bitmap[bit >> 3]! >> (bit & 7)) & 1;
  }
  return out;
}

/** Boolean values as bytes (0/1); meaningless where the row is null. */
export function boolBytes(data: Data): Uint8Array {
  return unpackBits(data.values as Uint8Array, data.offset, data.length);
}

/**
 * Numbers of an int8..int32, uint8..uint32, float or DateDay chunk, as the typed array Arrow holds
 * (no copy). Date(ms) is converted to days so that all dates share one representation.
 */
export function numberValues(data: Data): ArrayLike<number> & { readonly length: number } {
  if (data.typeId === Type.Date && (data.type as unknown as { unit: DateUnit }).unit === DateUnit.MILLISECOND) {
    const ms = data.values as unknown as ArrayLike<number | bigint>;
    const out = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = Math.floor(Number(ms[i]) / 86_400_000);
    return out;
  }
  if (data.typeId === Type.Float && (data.type as unknown as { precision: number }).precision === 0) {
    // float16 is stored as raw uint16 halves.
    const raw = data.values as Uint16Array;
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = halfToNumber(raw[i]!);
    return out;
  }
  return (data.values as ArrayLike<number>) as Float64Array;
}

/** 64-bit integer values (int64, uint64, timestamps, durations) without copying. */
export function bigintValues(data: Data): BigInt64Array {
  const v = data.values as unknown as BigInt64Array | BigUint64Array;
  return v instanceof BigInt64Array ? v : new BigInt64Array(v.buffer, v.byteOffset, v.length);
}

/** True when the chunk holds 64-bit integers (read with bigintValues). */
export function isBigIntData(type: DataType): boolean {
  if (type.typeId === Type.Int) return (type as unknown as { bitWidth: number }).bitWidth === 64;
  return type.typeId === Type.Timestamp || type.typeId === Type.Duration;
}

/**
 * Strings of a Utf8, LargeUtf8 or dictionary-encoded string chunk; null rows come back as null.
 * Dictionaries are decoded once per chunk, not once per row.
 */
export function stringValues(data: Data): (string | null)[] {
  const valid = validityBytes(data);
  const out = new Array<string | null>(data.length);
  if (data.typeId === Type.Dictionary) {
    const dictData = data.dictionary?.data[0];
    const dict = dictData ? stringValues(dictData) : [];
    const idx = data.values as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < data.length; i++) out[i] = valid && !valid[i] ? null : dict[Number(idx[i])] ?? null;
    return out;
  }
  const offsets = data.valueOffsets as unknown as ArrayLike<number | bigint>;
  const bytes = data.values as Uint8Array;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < data.length; i++) {
    if (valid && !valid[i]) out[i] = null;
    else out[i] = buf.toString('utf8', Number(offsets[i]), Number(offsets[i + 1]));
  }
  return out;
}

/** Raw bytes of each row of a Binary chunk. */
export function binaryValues(data: Data): (Uint8Array | null)[] {
  const valid = validityBytes(data);
  const offsets = data.valueOffsets as unknown as ArrayLike<number | bigint>;
  const bytes = data.values as Uint8Array;
  const out = new Array<Uint8Array | null>(data.length);
  for (let i = 0; i < data.length; i++) out[i] = valid && !valid[i] ? null : bytes.subarray(Number(offsets[i]), Number(offsets[i + 1]));
  return out;
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
