/**
 * Struct, list and map values as JSON text, the way the connector's `EscapedWriter` writes them into a
 * CSV field for a Kusto `dynamic` column (reference §3.5):
 * - object keys in schema order; null struct fields and null map values are omitted; null list
 *   elements are `null`; an empty struct type is `{}`;
 * - strings, dates, timestamps, binary (base64) and decimals are JSON strings; integers, floats
 *   (Java text) and booleans are raw;
 * - only `"` `\` `\n` `\r` `\b` `\t` `\f` are escaped, every other character is written raw.
 *
 * Two deliberate fixes, because the connector's output there is not JSON and Kusto would silently
 * store null: NaN/±Infinity are written as JSON strings ("NaN"), and non-string map keys are written
 * as JSON strings of their text.
 */
import { Type, makeVector, type Data, type Field } from 'apache-arrow';
import { base64At, boolAt, decimalUnscaled, dictionaryEntry, formatDateAt, formatDecimal, formatDurationAt, formatNumberAt, formatTimeOfDayAt, formatTimestampAt, isValid, rangeAt, utf8At, type OffsetResolver } from './arrow-values.js';

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\b': '\\b', '\t': '\\t', '\f': '\\f' };
const NEEDS_ESCAPE = /["\\\n\r\b\t\f]/g;

export function jsonString(s: string): string {
  return `"${s.replace(NEEDS_ESCAPE, (c) => ESCAPES[c]!)}"`;
}

/** Appends the JSON of value `i` of `data` (which must be valid) to `out`. */
export function writeJsonValue(data: Data, i: number, offsetOf: OffsetResolver, out: string[]): void {
  switch (data.typeId) {
    case Type.Struct: {
      const fields = (data.type as unknown as { children: Field[] }).children;
      out.push('{');
      let first = true;
      fields.forEach((f, k) => {
        const child = data.children[k]!;
        if (!isValid(child, i)) return;
        out.push(first ? jsonString(f.name) : `,${jsonString(f.name)}`, ':');
        first = false;
        writeJsonValue(child, i, offsetOf, out);
      });
      out.push('}');
      return;
    }
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList: {
      const child = data.children[0]!;
      let s: number;
      let e: number;
      if (data.typeId === Type.FixedSizeList) {
        const size = (data.type as unknown as { listSize: number }).listSize;
        s = i * size;
        e = s + size;
      } else [s, e] = rangeAt(data, i);
      out.push('[');
      for (let j = s; j < e; j++) {
        if (j > s) out.push(',');
        if (isValid(child, j)) writeJsonValue(child, j, offsetOf, out);
        else out.push('null');
      }
      out.push(']');
      return;
    }
    case Type.Map: {
      const entries = data.children[0]!;
      const keys = entries.children[0]!;
      const values = entries.children[1]!;
      const [s, e] = rangeAt(data, i);
      out.push('{');
      let first = true;
      for (let j = s; j < e; j++) {
        if (!isValid(values, j)) continue;
        const key: string[] = [];
        writeJsonValue(keys, j, offsetOf, key);
        const k = key.join('');
        out.push(first ? '' : ',', k.startsWith('"') ? k : jsonString(k), ':');
        first = false;
        writeJsonValue(values, j, offsetOf, out);
      }
      out.push('}');
      return;
    }
    default:
      out.push(scalarJson(data, i, offsetOf));
  }
}

function scalarJson(data: Data, i: number, offsetOf: OffsetResolver): string {
  switch (data.typeId) {
    case Type.Utf8:
    case Type.LargeUtf8:
      return jsonString(utf8At(data, i));
    case Type.Bool:
      return boolAt(data, i) ? 'true' : 'false';
    case Type.Int:
      return formatNumberAt(data, i);
    case Type.Float: {
      const text = formatNumberAt(data, i);
      return /^-?[0-9]/.test(text) ? text : jsonString(text);
    }
    case Type.Decimal:
      return jsonString(formatDecimal(decimalUnscaled(data, i), (data.type as unknown as { scale: number }).scale));
    case Type.Date:
      return jsonString(formatDateAt(data, i));
    case Type.Timestamp:
      return jsonString(formatTimestampAt(data, i, offsetOf));
    case Type.Duration:
      return jsonString(formatDurationAt(data, i));
    case Type.Time:
      return jsonString(formatTimeOfDayAt(data, i));
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
      return jsonString(base64At(data, i));
    case Type.Dictionary: {
      const { chunk, index } = dictionaryEntry(data, i);
      if (!isValid(chunk, index)) return 'null';
      const out: string[] = [];
      writeJsonValue(chunk, index, offsetOf, out);
      return out.join('');
    }
    default: {
      const v = makeVector(data).get(i);
      if (v instanceof Uint8Array) return jsonString(Buffer.from(v).toString('base64'));
      return jsonString(String(v));
    }
  }
}
