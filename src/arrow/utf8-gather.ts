import { type Data, makeData, Utf8 } from 'apache-arrow';
import { packValidity } from './build-data.js';
import { validityBytes } from './read-data.js';

/**
 * Byte-level access to Utf8 chunks, so that string results assembled from other strings (concat,
 * CASE branches) are built by copying UTF-8 bytes, never by decoding to JS strings and re-encoding.
 * A scalar source (length-1 chunk) is read at index 0 for every row (`step` 0).
 */
export interface Utf8Source {
  readonly bytes: Buffer;
  readonly offsets: Int32Array;
  readonly valid: Uint8Array | null;
  readonly step: number;
}

export function utf8Source(data: Data, scalar: boolean): Utf8Source {
  const v = data.values as Uint8Array;
  return {
    bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength),
    offsets: data.valueOffsets as Int32Array,
    valid: validityBytes(data),
    step: scalar ? 0 : 1,
  };
}

/** Row i is source `pick(i)`'s row (or null when pick returns -1 or the source row is null). */
export function gatherUtf8(rows: number, pick: (i: number) => number, sources: readonly Utf8Source[]): Data {
  const offsets = new Int32Array(rows + 1);
  const valid = new Uint8Array(rows);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const s = pick(i);
    const src = s >= 0 ? sources[s]! : undefined;
    const j = src ? i * src.step : 0;
    if (src && (!src.valid || src.valid[j])) {
      valid[i] = 1;
      total += src.offsets[j + 1]! - src.offsets[j]!;
    }
    offsets[i + 1] = total;
  }
  const out = Buffer.allocUnsafe(total);
  for (let i = 0; i < rows; i++) {
    if (!valid[i]) continue;
    const src = sources[pick(i)]!;
    const j = i * src.step;
    copyBytes(src.bytes, src.offsets[j]!, src.offsets[j + 1]!, out, offsets[i]!);
  }
  return utf8Data(offsets, out, valid, rows);
}

/** Row i is the concatenation of every source's row i; null if any is null (SQL concat). */
export function concatUtf8(rows: number, sources: readonly Utf8Source[]): Data {
  const offsets = new Int32Array(rows + 1);
  const valid = new Uint8Array(rows).fill(1);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let len = 0;
    for (const src of sources) {
      const j = i * src.step;
      if (src.valid && !src.valid[j]) {
        valid[i] = 0;
        len = 0;
        break;
      }
      len += src.offsets[j + 1]! - src.offsets[j]!;
    }
    total += len;
    offsets[i + 1] = total;
  }
  const out = Buffer.allocUnsafe(total);
  for (let i = 0; i < rows; i++) {
    if (!valid[i]) continue;
    let pos = offsets[i]!;
    for (const src of sources) {
      const j = i * src.step;
      pos += copyBytes(src.bytes, src.offsets[j]!, src.offsets[j + 1]!, out, pos);
    }
  }
  return utf8Data(offsets, out, valid, rows);
}

/** Copies bytes [start, end) of `from` to `to` at `at`; short runs by hand (Buffer.copy's call overhead dominates for them). */
function copyBytes(from: Buffer, start: number, end: number, to: Buffer, at: number): number {
  const len = end - start;
  if (len < 24) for (let k = 0; k < len; k++) to[at + k] = from[start + k]!;
  else from.copy(to, at, start, end);
  return len;
}

function utf8Data(offsets: Int32Array, bytes: Buffer, valid: Uint8Array, rows: number): Data {
  const { bitmap, nullCount } = packValidity(valid, rows);
  return makeData({ type: new Utf8(), length: rows, nullCount, valueOffsets: offsets, data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), nullBitmap: bitmap }) as Data;
}
