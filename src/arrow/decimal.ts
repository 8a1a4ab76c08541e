/**
 * Arrow decimals are 128-bit two's-complement integers (four little-endian 32-bit words per value)
 * scaled by 10^scale. kjob passes them through untouched and converts them only for display, casts to
 * float/string and comparisons.
 */
export function decimalUnscaled(words: Uint32Array, row: number, wordsPerValue = 4): bigint {
  let v = 0n;
  for (let w = wordsPerValue - 1; w >= 0; w--) v = (v << 32n) | BigInt(words[row * wordsPerValue + w]!);
  return BigInt.asIntN(32 * wordsPerValue, v);
}

/** Exact text of an unscaled decimal value, e.g. (12345n, 2) → "123.45". */
export function decimalText(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}` : digits;
  return neg ? `-${text}` : text;
}

/** Four little-endian 32-bit words of a 128-bit two's-complement value. */
export function decimalWords(unscaled: bigint): Uint32Array {
  const out = new Uint32Array(4);
  let v = BigInt.asUintN(128, unscaled);
  for (let w = 0; w < 4; w++) {
    out[w] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
  return out;
}

/** Unscaled value of decimal text at `scale` (extra digits are rounded half up), or null if not a number. */
export function parseDecimal(text: string, scale: number): bigint | null {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m || (m[2] === '' && !m[3])) return null;
  const frac = m[3] ?? '';
  const kept = (frac + '0'.repeat(scale)).slice(0, scale);
  let v = BigInt((m[2] || '0') + kept);
  if (frac.length > scale && Number(frac[scale]) >= 5) v += 1n;
  return m[1] === '-' ? -v : v;
}
