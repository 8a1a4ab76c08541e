import { endianness } from 'node:os';

/**
 * Most int64 columns (ids, counts, delays, epoch values) hold numbers far below 2^53. For those, kjob
 * computes in doubles instead of BigInt, which allocates on every read: the int64 words are read and
 * written through an Int32Array view (little-endian hosts), never as BigInt values.
 */
const TWO32 = 4294967296;
/** High words in [-2^21, 2^21) mean |value| < 2^53: exact as a double. */
const SAFE_HIGH = 2097152;
const LITTLE_ENDIAN = endianness() === 'LE';

/** The values as doubles, or undefined when one of them is beyond ±2^53 (or the host is big-endian). */
export function int64AsDoubles(values: BigInt64Array): Float64Array | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  const n = values.length;
  const w = new Int32Array(values.buffer, values.byteOffset, n * 2);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hi = w[2 * i + 1]!;
    if (hi >= SAFE_HIGH || hi < -SAFE_HIGH) return undefined;
    out[i] = hi * TWO32 + (w[2 * i]! >>> 0);
  }
  return out;
}

/** Writes integral doubles (each within ±2^53) as int64 values. */
export function doublesToInt64(values: Float64Array, into: BigInt64Array): void {
  const w = new Int32Array(into.buffer, into.byteOffset, into.length * 2);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const hi = Math.floor(v / TWO32);
    w[2 * i] = (v - hi * TWO32) | 0;
    w[2 * i + 1] = hi;
  }
}

/** True when every value is an integer with |v| < 2^53 (so doublesToInt64 is exact). */
export function allSafeIntegers(values: Float64Array, valid: Uint8Array | null): boolean {
  for (let i = 0; i < values.length; i++) {
    if (valid && !valid[i]) continue;
    const v = values[i]!;
    if (!(v <= 9007199254740991 && v >= -9007199254740991)) return false;
  }
  return true;
}
