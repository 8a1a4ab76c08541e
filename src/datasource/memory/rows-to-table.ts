import { type DataType, Field, Float64, Int32, Int64, makeData, RecordBatch, Schema, Struct, Table, Type, Utf8, Bool, Binary } from 'apache-arrow';
import { binaryData, boolData, fixedData, stringData } from '../../arrow/build-data.js';
import { defaultTimestampType, familyOf, typeName } from '../../arrow/data-types.js';
import { decimalWords, parseDecimal } from '../../arrow/decimal.js';
import { ConfigError } from '../../errors/kjob-error.js';
import { parseDateDays, parseTimestampMicros } from '../../plan/literal.js';
import { allNull } from '../../executor/eval/operand.js';
import { fromMicros } from '../../executor/eval/temporal.js';

/**
 * Row objects → one Arrow table. With a schema, each value must fit its column (clear error naming the
 * column and row otherwise); without one, types are inferred per column: booleans, strings, numbers
 * (int32 when every value is an integer in range, int64 past that, float64 with any fraction), bigint
 * (int64), Date (timestamp), Uint8Array (binary). Missing keys and undefined are null.
 */
export function rowsToTable(rows: readonly Record<string, unknown>[], schema?: Schema): Table {
  if (!Array.isArray(rows)) throw new ConfigError('createDataFrame expects an array of row objects or an Arrow Table');
  rows.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new ConfigError(`createDataFrame: row ${i} is not an object`);
  });
  const resolved = schema ?? inferSchema(rows);
  const children = resolved.fields.map((f) => columnData(f, rows));
  const data = makeData({ type: new Struct(resolved.fields), length: rows.length, nullCount: 0, children });
  return new Table([new RecordBatch(resolved, data)]);
}

function inferSchema(rows: readonly Record<string, unknown>[]): Schema {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), names.push(k));
  if (!names.length) throw new ConfigError('createDataFrame: cannot infer a schema from no rows (or rows without keys); pass a schema');
  return new Schema(names.map((n) => new Field(n, inferType(n, rows), true)));
}

function inferType(name: string, rows: readonly Record<string, unknown>[]): DataType {
  const kinds = new Set<string>();
  let fraction = false;
  let wide = false;
  for (const r of rows) {
    const v = r[name];
    if (v === null || v === undefined) continue;
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) fraction = true;
      else if (Math.abs(v) > 2 ** 31 - 1) wide = true;
      kinds.add('number');
    } else if (v instanceof Date) kinds.add('date');
    else if (v instanceof Uint8Array) kinds.add('binary');
    else kinds.add(typeof v);
  }
  if (kinds.size === 0) throw new ConfigError(`createDataFrame: column '${name}' holds only nulls, so its type cannot be inferred; pass a schema`, { context: { column: name } });
  if (kinds.size > 1) throw new ConfigError(`createDataFrame: column '${name}' mixes ${[...kinds].join(' and ')} values; pass a schema`, { context: { column: name } });
  const kind = [...kinds][0]!;
  switch (kind) {
    case 'number':
      return fraction ? new Float64() : wide ? new Int64() : new Int32();
    case 'bigint':
      return new Int64();
    case 'boolean':
      return new Bool();
    case 'string':
      return new Utf8();
    case 'date':
      return defaultTimestampType();
    case 'binary':
      return new Binary();
    default:
      throw new ConfigError(`createDataFrame: column '${name}' holds ${kind} values, which have no column type; pass a schema with type json to store them as JSON text`, { context: { column: name } });
  }
}

function columnData(field: Field, rows: readonly Record<string, unknown>[]): ReturnType<typeof stringData> {
  const n = rows.length;
  const type = field.type as DataType;
  const valid = new Uint8Array(n).fill(1);
  let nulls = 0;
  const values = rows.map((r, i) => {
    const v = r[field.name];
    if (v === null || v === undefined) {
      if (!field.nullable) throw new ConfigError(`createDataFrame: column '${field.name}' is not nullable but row ${i} has no value`, { context: { column: field.name, row: i } });
      valid[i] = 0;
      nulls++;
    }
    return v;
  });
  const bad = (i: number): never => {
    throw new ConfigError(`createDataFrame: row ${i} column '${field.name}' has ${describe(values[i])}, which does not fit type ${typeName(type)}`, { context: { column: field.name, row: i } });
  };
  const v = nulls ? valid : null;
  switch (familyOf(type)) {
    case 'null':
      return allNull(type, n);
    case 'string':
      return stringData(values.map((x, i) => (x == null ? null : typeof x === 'string' ? x : field.type.typeId === Type.Utf8 && typeof x === 'object' && !(x instanceof Date) ? JSON.stringify(x) : bad(i))));
    case 'boolean':
      return boolData(Uint8Array.from(values, (x, i) => (x == null ? 0 : typeof x === 'boolean' ? (x ? 1 : 0) : bad(i))), v);
    case 'int':
    case 'float': {
      const Ctor = (type as unknown as { ArrayType: new (n: number) => { [i: number]: number | bigint } & ArrayBufferView & { length: number } }).ArrayType;
      const out = new Ctor(n);
      const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
      values.forEach((x, i) => {
        if (x == null) return;
        if (typeof x === 'bigint') out[i] = big ? x : Number(x);
        else if (typeof x === 'number') {
          if (familyOf(type) === 'int' && !Number.isInteger(x)) bad(i);
          out[i] = big ? BigInt(x) : x;
          if (!big && familyOf(type) === 'int' && out[i] !== x) bad(i);
        } else bad(i);
      });
      return fixedData(type, out, v);
    }
    case 'decimal': {
      const scale = (type as unknown as { scale: number }).scale;
      const words = new Uint32Array(n * 4);
      values.forEach((x, i) => {
        if (x == null) return;
        const u = typeof x === 'number' || typeof x === 'string' || typeof x === 'bigint' ? parseDecimal(String(x), scale) : null;
        if (u === null) bad(i);
        words.set(decimalWords(u!), i * 4);
      });
      return fixedData(type, words, v);
    }
    case 'date': {
      const out = new Int32Array(n);
      values.forEach((x, i) => {
        if (x == null) return;
        const d = x instanceof Date ? Math.floor(x.getTime() / 86_400_000) : typeof x === 'string' ? parseDateDays(x) : null;
        if (d === null || Number.isNaN(d)) bad(i);
        out[i] = d!;
      });
      return fixedData(type.typeId === Type.Date ? type : new Int32(), out, v);
    }
    case 'timestamp': {
      const out = new BigInt64Array(n);
      values.forEach((x, i) => {
        if (x == null) return;
        const m = x instanceof Date && !Number.isNaN(x.getTime()) ? BigInt(x.getTime()) * 1000n : typeof x === 'string' ? parseTimestampMicros(x) : null;
        if (m === null) bad(i);
        out[i] = fromMicros(m!, type);
      });
      return fixedData(type, out, v);
    }
    case 'binary':
      return binaryData(values.map((x, i) => (x == null ? null : x instanceof Uint8Array ? x : typeof x === 'string' ? new Uint8Array(Buffer.from(x, 'utf8')) : bad(i))));
    default:
      throw new ConfigError(`createDataFrame: column '${field.name}' has type ${typeName(type)}, which createDataFrame cannot build`, { context: { column: field.name } });
  }
}

function describe(v: unknown): string {
  if (v instanceof Date) return 'a Date';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `a ${typeof v} (${String(v).slice(0, 40)})`;
}
