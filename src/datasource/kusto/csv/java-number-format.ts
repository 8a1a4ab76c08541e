/**
 * Java's `Double.toString` / `Float.toString` (JDK 19+ specification, which Spark 4 runs on), because
 * the Spark connector writes numbers that way and kjob's CSV must match it byte for byte:
 *
 * - NaN, Infinity, -Infinity, 0.0, -0.0 are literal;
 * - the digits are the shortest decimal that rounds back to the value; when that is a single digit,
 *   the closest two-digit decimal is taken instead (so 4.9E-324, not 5E-324);
 * - 10^-3 <= |v| < 10^7 prints plain (`0.1`, `1.0`, `1234567.0`); anything else prints as
 *   `d.dddE±n` with at least one fractional digit (`1.0E10`, `1.0E-5`).
 */

/** Significant digits (no dot, no trailing zeros) and the decimal exponent of the first digit. */
interface Decimal {
  digits: string;
  /** value = 0.d1d2… × 10^(exponent+1), i.e. d1 is at 10^exponent. */
  exponent: number;
}

function parseExponential(text: string): Decimal {
  // text like "4.9e-324" or "1e+21" or "1.2345e+2"
  const [mantissa, exp] = text.split('e') as [string, string];
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, exponent: Number(exp) };
}

function shortestDouble(abs: number): Decimal {
  const shortest = parseExponential(abs.toExponential());
  if (shortest.digits.length > 1) return shortest;
  // One digit: Java renders the closest 2-digit decimal (exact rounding of the binary value).
  return parseExponential(abs.toExponential(1));
}

function shortestFloat(abs: number): Decimal {
  const f = Math.fround(abs);
  for (let p = 1; p <= 9; p++) {
    const text = f.toExponential(p - 1);
    if (Math.fround(Number(text)) === f) {
      if (p === 1) return parseExponential(f.toExponential(1));
      return parseExponential(text);
    }
  }
  return parseExponential(f.toExponential(8));
}

function render(negative: boolean, d: Decimal): string {
  const sign = negative ? '-' : '';
  const { digits, exponent } = d;
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const frac = digits.slice(exponent + 1);
    return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
  }
  const frac = digits.slice(1);
  return `${sign}${digits[0]}.${frac === '' ? '0' : frac}E${exponent}`;
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  return undefined;
}

/** `Double.toString(v)`. */
export function javaDoubleToString(v: number): string {
  return special(v) ?? render(v < 0, shortestDouble(Math.abs(v)));
}

/** `Float.toString(v)` for a value held in a Float32 column. */
export function javaFloatToString(v: number): string {
  return special(v) ?? render(v < 0, shortestFloat(Math.abs(v)));
}
