import type { KustoColumn, KustoType } from '../contracts.js';
import { RawJson } from '../engine/raw-json.js';
import { formatDatetime, formatTimespan } from '../engine/ticks.js';

/**
 * Encodes engine-form values as the JSON text the service sends, per Kusto type. Hand-written
 * rather than JSON.stringify because a long above 2^53 must leave as its exact digits (the service
 * sends them as a JSON number) and dynamic values are embedded in V2 but stringified in V1.
 */
export type WireVersion = 'v1' | 'v2';

function decimalText(v: unknown): string {
  let s = String(v);
  if (s.includes('.') && !/e/i.test(s)) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

function dynamicText(v: unknown): string {
  if (v instanceof RawJson) return v.text;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) ?? 'null';
}

function realText(v: number): string {
  if (Number.isNaN(v)) return '"NaN"';
  if (v === Infinity) return '"Infinity"';
  if (v === -Infinity) return '"-Infinity"';
  return Object.is(v, -0) ? '-0.0' : String(v);
}

export function encodeValue(type: KustoType, v: unknown, version: WireVersion): string {
  if (v === null || v === undefined) return 'null';
  switch (type) {
    case 'long':
    case 'int':
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'number') return Number.isFinite(v) ? String(Math.trunc(v)) : 'null';
      if (typeof v === 'boolean') return v ? '1' : '0';
      return /^-?\d+$/.test(String(v)) ? String(v) : 'null';
    case 'real':
      return realText(typeof v === 'number' ? v : Number(v));
    case 'bool':
      return v === true || v === 1 || v === 1n || v === 'true' ? 'true' : 'false';
    case 'decimal':
      return JSON.stringify(decimalText(v));
    case 'datetime':
      if (typeof v === 'bigint') return JSON.stringify(formatDatetime(v));
      if (v instanceof Date) return JSON.stringify(formatDatetime(BigInt(v.getTime()) * 10_000n));
      return JSON.stringify(String(v));
    case 'timespan':
      if (typeof v === 'bigint') return JSON.stringify(formatTimespan(v));
      if (typeof v === 'number') return JSON.stringify(formatTimespan(BigInt(Math.trunc(v))));
      return JSON.stringify(String(v));
    case 'dynamic': {
      const text = dynamicText(v);
      return version === 'v2' ? text : JSON.stringify(text);
    }
    case 'guid':
    case 'string':
      return JSON.stringify(typeof v === 'string' ? v : String(v));
  }
}

export function encodeRow(columns: readonly KustoColumn[], row: readonly unknown[], version: WireVersion): string {
  let out = '[';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) out += ',';
    out += encodeValue(columns[i]!.type, row[i], version);
  }
  return out + ']';
}
