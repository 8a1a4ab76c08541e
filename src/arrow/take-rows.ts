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
        bytes.set(src.subarray(offs[r]!, offs[r + 1]!), outOffsets[i]!);
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
      const src = data.values as unknown as { length: number; subarray(a: number, b: number): unknown; constructor: new (n: number) => Int32Array };
      const out = new (src.constructor as new (n: number) => { [i: number]: unknown; set(a: unknown, o: number): void; length: number })(n * stride);
      const s = src as unknown as { [i: number]: unknown };
      if (stride === 1) for (let i = 0; i < n; i++) out[i] = s[indices[i]!];
      else for (let i = 0; i < n; i++) out.set(src.subarray(indices[i]! * stride, indices[i]! * stride + stride), i * stride);
      return makeData({ type, length: n, nullCount, data: out, nullBitmap: bitmap, dictionary: data.dictionary } as never) as Data;
    }
    default: {
      const vec = makeVector(data);
      const rows = Array.from(indices, (i) => vec.get(i));
      return vectorFromArray(rows as never, type).data[0] as Data;
    }
  }
}
