import { type Data, makeData, makeVector, Type, vectorFromArray } from 'apache-arrow';
import { packValidity } from './build-data.js';
import { validityBytes } from './read-data.js';

/**
 * Gathers the rows at `indices` (ascending or not) of one Arrow chunk into a new chunk of the same
 * type: the core of `filter`. Works on the raw buffers for every flat type; nested types (list, struct,
 * map) fall back to a per-row copy, which is correct but slower.
 */
export function takeRows(data: Data, indices: Int32Array): Data {
  const n = indices.length;
  const srcValid = validityBytes(data);
  let valid: Uint8Array | null = null;
  if (srcValid) {
    valid = new Uint8Array(n);
    for (let i = 0; i < n; i++) valid[i] = srcValid[indices[i]!]!;
  }
  const { bitmap, nullCount } = packValidity(valid, n);
  const type = data.type;
  switch (data.typeId) {
    case Type.Null:
      return makeData({ type, length: n } as never) as Data;
    case Type.Bool: {
      const src = data.values as Uint8Array;
      const bits = new Uint8Array(((n + 63) & ~63) >> 3);
      for (let i = 0; i < n; i++) {
        const b = data.offset + indices[i]!;
        if ((src[b >> 3]! >> (b & 7)) & 1) bits[i >> 3]! |= 1 << (i & 7);
      }
      return makeData({ type, length: n, nullCount, data: bits, nullBitmap: bitmap } as never) as Data;
    }
    case Type.Utf8:
    case Type.Binary: {
      const offs = data.valueOffsets as Int32Array;
      const src = data.values as Uint8Array;
      const outOffsets = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const r = indices[i]!;
        total += offs[r + 1]! - offs[r]!;
        outOffsets[i + 1] = total;
      }
      const bytes = new Uint8Array(total);
      for (let i = 0; i < n; i++) {
        const r = indices[i]!;
        const start = offs[r]!;
        const len = offs[r + 1]! - start;
        const at = outOffsets[i]!;
        // Short values by hand: subarray+set allocates a view per row.
        if (len < 24) for (let k = 0; k < len; k++) bytes[at + k] = src[start + k]!;
        else bytes.set(src.subarray(start, start + len), at);
      }
      return makeData({ type, length: n, nullCount, valueOffsets: outOffsets, data: bytes, nullBitmap: bitmap } as never) as Data;
    }
    case Type.Int:
    case Type.Float:
    case Type.Date:
    case Type.Timestamp:
    case Type.Time:
    case Type.Duration:
    case Type.Decimal:
    case Type.FixedSizeBinary:
    case Type.Interval:
    case Type.Dictionary: {
      const stride = (data as unknown as { stride: number }).stride || 1;
      const src = data.values as unknown as ArrayBufferView & { length: number; BYTES_PER_ELEMENT: number; constructor: new (n: number) => ArrayBufferView };
      const width = src.BYTES_PER_ELEMENT * stride;
      const out = new src.constructor(n * stride) as ArrayBufferView & { length: number };
      if (width % 4 === 0) {
        // Gather 32-bit words: no BigInt objects for 64-bit values, no NaN canonicalisation.
        const w = width / 4;
        const s32 = new Int32Array(src.buffer, src.byteOffset, (src.length * src.BYTES_PER_ELEMENT) / 4);
        const o32 = new Int32Array(out.buffer, out.byteOffset, (n * width) / 4);
        if (w === 1) for (let i = 0; i < n; i++) o32[i] = s32[indices[i]!]!;
        else if (w === 2)
          for (let i = 0; i < n; i++) {
            const r = indices[i]! * 2;
            o32[i * 2] = s32[r]!;
            o32[i * 2 + 1] = s32[r + 1]!;
          }
        else for (let i = 0; i < n; i++) for (let k = 0; k < w; k++) o32[i * w + k] = s32[indices[i]! * w + k]!;
      } else {
        const s = src as unknown as { [i: number]: number };
        const o = out as unknown as { [i: number]: number };
        if (stride === 1) for (let i = 0; i < n; i++) o[i] = s[indices[i]!]!;
        else for (let i = 0; i < n; i++) for (let k = 0; k < stride; k++) o[i * stride + k] = s[indices[i]! * stride + k]!;
      }
      return makeData({ type, length: n, nullCount, data: out, nullBitmap: bitmap, dictionary: data.dictionary } as never) as Data;
    }
    default: {
      const vec = makeVector(data);
      const rows = Array.from(indices, (i) => vec.get(i));
      return vectorFromArray(rows as never, type).data[0] as Data;
    }
  }
}
