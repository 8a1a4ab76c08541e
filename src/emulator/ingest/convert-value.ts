import type { KustoType } from '../contracts.js';
import { RawJson } from '../engine/raw-json.js';
import { parseDatetime, parseTimespan } from '../engine/ticks.js';

/**
 * Converts one ingested value into its storage form (storage-types.ts): boolean, number (int, real),
 * bigint (long, datetime and timespan ticks), string (string, guid, decimal, dynamic JSON text).
 * Returns INVALID when the value cannot become the column's type; the caller applies the
 * validation policy (BestEffort: the field becomes null and the row is counted; Fail: the
 * ingestion fails).
 */
export const INVALID: unique symbol = Symbol('invalid');
export type Converted = boolean | number | bigint | string | null | typeof INVALID;

const INT_RE = /^[+-]?\d+$/;
const REAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_RE = /^[+-]?(\d*)(?:\.(\d*))?$/;
const GUID_RE = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** A text field (CSV family). Empty text is null for every type but string. */
export function convertText(type: KustoType, text: string): Converted {
  if (type === 'string') return text;
  const s = text.trim();
  if (s === '') return null;
  switch (type) {
    case 'bool': {
      const l = s.toLowerCase();
      if (l === 'true' || l === '1') return true;
      if (l === 'false' || l === '0') return false;
      return INVALID;
    }
    case 'int': {
      if (!INT_RE.test(s)) return INVALID;
      const n = Number(s);
      return n >= -2147483648 && n <= 2147483647 ? n : INVALID;
    }
    case 'long': {
      if (!INT_RE.test(s)) return INVALID;
      const n = BigInt(s);
      return n >= LONG_MIN && n <= LONG_MAX ? n : INVALID;
    }
    case 'real': {
      if (REAL_RE.test(s)) return Number(s);
      const l = s.toLowerCase();
      if (l === 'nan') return NaN;
      if (l === 'infinity' || l === '+infinity' || l === 'inf') return Infinity;
      if (l === '-infinity' || l === '-inf') return -Infinity;
      return INVALID;
    }
    case 'decimal': {
      const m = DECIMAL_RE.exec(s);
      if (m && (m[1] || m[2]) && (m[1] ?? '').replace(/^0+/, '').length <= 20) return s.startsWith('.') ? `0${s}` : s;
      if (REAL_RE.test(s)) {
        const n = Number(s);
        if (Number.isFinite(n) && Math.abs(n) < 1e20) return n.toFixed(18);
      }
      return INVALID;
    }
    case 'guid': {
      const m = GUID_RE.exec(s);
      return m ? m[1]!.toLowerCase() : INVALID;
    }
    case 'datetime':
      return parseDatetime(s) ?? INVALID;
    case 'timespan':
      return parseTimespan(s) ?? INVALID;
    case 'dynamic':
      return dynamicFromText(text);
  }
}

function dynamicFromText(text: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch {
    // Text that is not JSON becomes a dynamic string, as the service does.
    return JSON.stringify(text);
  }
}

/** A structured value (JSON, Parquet): strings go through convertText; numbers and objects directly. */
export function convertStructured(type: KustoType, v: unknown): Converted {
  if (v === null || v === undefined) return null;
  if (v instanceof RawJson) return type === 'dynamic' || type === 'string' ? v.text : INVALID;
  if (type === 'dynamic') return typeof v === 'string' ? JSON.stringify(v) : stringifyJson(v);
  if (typeof v === 'string') return convertText(type, v);
  if (typeof v === 'object' && !(typeof v === 'bigint')) {
    const s = v as { toString(): string };
    if (type === 'string') return stringifyJson(v);
    // DuckDB decimal/uuid values and the like print in their canonical text.
    if (!Array.isArray(v) && s.toString !== Object.prototype.toString) return convertText(type, s.toString());
    return INVALID;
  }
  switch (type) {
    case 'string':
      return String(v);
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number' || typeof v === 'bigint') return Number(v) !== 0;
      return INVALID;
    case 'int': {
      const n = typeof v === 'boolean' ? Number(v) : Number(v);
      return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 ? n : Number.isFinite(n) ? Math.trunc(n) | 0 : INVALID;
    }
    case 'long': {
      if (typeof v === 'bigint') return v;
      if (typeof v === 'boolean') return v ? 1n : 0n;
      const n = v as number;
      return Number.isFinite(n) ? BigInt(Math.trunc(n)) : INVALID;
    }
    case 'real':
      return typeof v === 'boolean' ? Number(v) : Number(v);
    case 'decimal':
      return typeof v === 'boolean' ? (v ? '1' : '0') : convertText('decimal', String(v));
    case 'datetime':
    case 'timespan':
      // A number here is ticks (Kusto's exported Parquet and the DateTimeFrom* transforms give ticks).
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
      return INVALID;
    case 'guid':
      return INVALID;
  }
}

function stringifyJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? (x >= -(2n ** 53n) && x <= 2n ** 53n ? Number(x) : x.toString()) : x));
}
