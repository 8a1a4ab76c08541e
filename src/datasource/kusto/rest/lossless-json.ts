/**
 * A JSON parser that keeps every number as its exact text. This is the one place that explains why
 * kjob reads Kusto query responses itself instead of through azure-kusto-data's row objects:
 * JSON.parse (and therefore the SDK) turns a `long` such as 9007199254740993 into the nearest double,
 * the SDK cuts `datetime` to milliseconds (`new Date(text)`) and turns `timespan` into fractional
 * milliseconds (wire protocol §1.5). Node 20's JSON.parse offers no access to the source text, so the
 * V2 client parses the body with this parser and converts the exact texts per Kusto type
 * (kusto-values.ts); dynamic values are re-serialised from the lossless tree, so numbers inside them
 * keep their digits too.
 */

/** A JSON number kept as written. */
export class JsonNumber {
  constructor(readonly text: string) {}
  toNumber(): number {
    return Number(this.text);
  }
}

export type LosslessValue = null | boolean | string | JsonNumber | LosslessValue[] | { [key: string]: LosslessValue };

export class LosslessJsonError extends Error {
  override name = 'LosslessJsonError';
}

const WS = new Uint8Array(128);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

/** Parses JSON text; numbers become {@link JsonNumber}s. */
export function parseLosslessJson(text: string): LosslessValue {
  let i = 0;
  const n = text.length;
  const skip = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128 && WS[c]) i++;
      else break;
    }
  };
  const fail = (what: string): never => {
    throw new LosslessJsonError(`Invalid JSON at offset ${i}: ${what}`);
  };
  const str = (): string => {
    // i is at the opening quote.
    const start = ++i;
    const end = text.indexOf('"', start);
    if (end < 0) fail('unterminated string');
    // Look for a backslash only inside this string (a search to the end of the text is quadratic).
    let escaped = false;
    for (let j = start; j < end; j++) {
      if (text.charCodeAt(j) === 0x5c) {
        escaped = true;
        break;
      }
    }
    if (!escaped) {
      i = end + 1;
      return text.slice(start, end);
    }
    // With escapes: find the real closing quote, then let JSON.parse decode the literal exactly.
    let j = start;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 0x5c) j += 2;
      else if (c === 0x22) break;
      else j++;
    }
    if (j >= n) fail('unterminated string');
    i = j + 1;
    return JSON.parse(text.slice(start - 1, j + 1)) as string;
  };
  const value = (): LosslessValue => {
    skip();
    const c = text.charCodeAt(i);
    if (c === 0x22) return str();
    if (c === 0x7b) {
      i++;
      const obj: { [key: string]: LosslessValue } = {};
      skip();
      if (text.charCodeAt(i) === 0x7d) {
        i++;
        return obj;
      }
      for (;;) {
        skip();
        if (text.charCodeAt(i) !== 0x22) fail('expected a property name');
        const key = str();
        skip();
        if (text.charCodeAt(i) !== 0x3a) fail("expected ':'");
        i++;
        obj[key] = value();
        skip();
        const d = text.charCodeAt(i++);
        if (d === 0x7d) return obj;
        if (d !== 0x2c) fail("expected ',' or '}'");
      }
    }
    if (c === 0x5b) {
      i++;
      const arr: LosslessValue[] = [];
      skip();
      if (text.charCodeAt(i) === 0x5d) {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        skip();
        const d = text.charCodeAt(i++);
        if (d === 0x5d) return arr;
        if (d !== 0x2c) fail("expected ',' or ']'");
      }
    }
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    const start = i;
    while (i < n) {
      const d = text.charCodeAt(i);
      // digits, '-', '+', '.', 'e', 'E'
      if ((d >= 0x30 && d <= 0x39) || d === 0x2d || d === 0x2b || d === 0x2e || d === 0x65 || d === 0x45) i++;
      else break;
    }
    const num = text.slice(start, i);
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(num)) fail(num === '' ? 'unexpected character' : `bad number '${num}'`);
    return new JsonNumber(num);
  };
  const out = value();
  skip();
  if (i !== n) fail('trailing characters');
  return out;
}

/** JSON text of a lossless value (numbers written as parsed). */
export function stringifyLossless(v: LosslessValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JsonNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(stringifyLossless).join(',')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}:${stringifyLossless(x)}`)
    .join(',')}}`;
}
