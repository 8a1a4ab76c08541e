import { type Data, type DataType, makeVector, type Table } from 'apache-arrow';
import { familyOf } from '../arrow/data-types.js';
import { decimalText, decimalUnscaled } from '../arrow/decimal.js';
import { bigintValues, binaryValues, boolBytes, numberValues, stringValues, validityBytes } from '../arrow/read-data.js';
import { toMicros } from '../executor/eval/temporal.js';

/** One collected row: column name → value. */
export type Row = Record<string, unknown>;

/**
 * Arrow table → plain row objects, with these JS types: strings, numbers (int8–int32, floats),
 * bigint (int64, uint64, durations), boolean, Date (timestamps, to the millisecond; dates at UTC
 * midnight), string (decimals, exact), Uint8Array (binary), null. Nested values come back as plain
 * objects and arrays.
 */
export function tableToRows(table: Table): Row[] {
  const names = table.schema.fields.map((f) => f.name);
  const rows: Row[] = [];
  for (const batch of table.batches) {
    const columns = batch.data.children.map((c) => columnValues(c as Data));
    for (let i = 0; i < batch.numRows; i++) {
      const row: Row = {};
      for (let c = 0; c < names.length; c++) {
        // defineProperty keeps a column named "__proto__" an ordinary own property.
        Object.defineProperty(row, names[c]!, { value: columns[c]![i], enumerable: true, writable: true, configurable: true });
      }
      rows.push(row);
    }
  }
  return rows;
}

/** JS values of one chunk (see tableToRows for the mapping). */
export function columnValues(data: Data): unknown[] {
  const type = data.type as DataType;
  const n = data.length;
  const valid = validityBytes(data);
  const out = new Array<unknown>(n);
  const fill = (f: (i: number) => unknown) => {
    for (let i = 0; i < n; i++) out[i] = valid && !valid[i] ? null : f(i);
    return out;
  };
  switch (familyOf(type)) {
    case 'null':
      return out.fill(null);
    case 'string':
      return stringValues(data);
    case 'boolean': {
      const b = boolBytes(data);
      return fill((i) => b[i] === 1);
    }
    case 'int':
      if ((type as unknown as { bitWidth: number }).bitWidth === 64) {
        const v = bigintValues(data);
        const unsigned = !(type as unknown as { isSigned: boolean }).isSigned;
        return fill((i) => (unsigned ? BigInt.asUintN(64, v[i]!) : v[i]!));
      } else {
        const v = numberValues(data);
        return fill((i) => v[i]);
      }
    case 'float': {
      const v = numberValues(data);
      return fill((i) => v[i]);
    }
    case 'decimal': {
      const words = data.values as Uint32Array;
      const scale = (type as unknown as { scale: number }).scale;
      return fill((i) => decimalText(decimalUnscaled(words, i), scale));
    }
    case 'date': {
      const v = numberValues(data);
      return fill((i) => new Date(v[i]! * 86_400_000));
    }
    case 'timestamp': {
      const v = bigintValues(data);
      return fill((i) => new Date(Number(toMicros(v[i]!, type) / 1000n) - (toMicros(v[i]!, type) % 1000n < 0n ? 1 : 0)));
    }
    case 'binary': {
      const v = binaryValues(data);
      return v.map((b) => (b ? Uint8Array.from(b) : null));
    }
    case 'duration': {
      const v = bigintValues(data);
      return fill((i) => v[i]);
    }
    default: {
      const vec = makeVector(data);
      return fill((i) => plain(vec.get(i)));
    }
  }
}

function plain(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const j = (v as { toJSON?: () => unknown }).toJSON;
  if (typeof j === 'function') return plain(j.call(v));
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}
