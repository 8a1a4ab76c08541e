/**
 * Arrow (and kjob DSL) types → Kusto column types for `.create table` (reference §3.2, extended to
 * Arrow's richer set). Exhaustive over Arrow's type ids; each choice keeps every value:
 * timestamps (any unit) and dates → datetime; decimal → decimal; int8/16/32 and uint8/16 → int;
 * uint32 and int64 → long; uint64 → decimal (a long would overflow above 2^63−1); floats → real;
 * binary → string (the CSV carries base64); list/struct/map → dynamic; duration → timespan;
 * time of day → timespan (since midnight: Kusto has no time-of-day type, and a timespan keeps the
 * value exact and comparable); dictionaries → their value type; null → string.
 * Intervals have no Kusto type that keeps them (a month has no fixed length in a timespan, and a
 * string would not be queryable as a period), so they are refused naming the column.
 */
import { Type, type DataType, type Field, type Schema } from 'apache-arrow';
import type { DataTypeName } from '../../../plan/expr.js';
import type { KustoColumnSpec } from '../kql/table-commands.js';
import { tableSchemaText } from '../kql/table-commands.js';
import { InvalidParameterException } from '../errors/parameter-errors.js';

export type KustoScalarType = 'bool' | 'datetime' | 'dynamic' | 'guid' | 'int' | 'long' | 'real' | 'string' | 'timespan' | 'decimal';

/** The Kusto column type of an Arrow type; `column` names the column in the error for a type Kusto cannot hold. */
export function kustoTypeOfArrow(type: DataType, column?: string): KustoScalarType {
  switch (type.typeId) {
    case Type.Bool:
      return 'bool';
    case Type.Int: {
      const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
      if (bitWidth === 64) return isSigned ? 'long' : 'decimal';
      if (bitWidth === 32 && !isSigned) return 'long';
      return 'int';
    }
    case Type.Float:
      return 'real';
    case Type.Decimal:
      return 'decimal';
    case Type.Date:
    case Type.Timestamp:
      return 'datetime';
    case Type.Duration:
    case Type.Time:
      return 'timespan';
    case Type.Interval:
      throw new InvalidParameterException(
        `Column '${column ?? '?'}' has Arrow type ${String(type)}, which has no Kusto column type: an interval of months or days has no fixed length`,
        { context: { column, arrowType: String(type) }, resolution: 'Convert the column before writing (e.g. to a duration for a fixed length, or cast it to string).' },
      );
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Utf8View:
    case Type.Binary:
    case Type.LargeBinary:
    case Type.BinaryView:
    case Type.FixedSizeBinary:
      return 'string';
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList:
    case Type.Struct:
    case Type.Map:
    case Type.Union:
    case Type.DenseUnion:
    case Type.SparseUnion:
      return 'dynamic';
    case Type.Dictionary:
      return kustoTypeOfArrow((type as unknown as { dictionary: DataType }).dictionary, column);
    default:
      return 'string';
  }
}

/** Kusto type of a kjob DSL type name (for schemas declared in plans). */
export function kustoTypeOfDataTypeName(name: DataTypeName): KustoScalarType {
  if (name.startsWith('decimal(')) return 'decimal';
  const table: Record<Exclude<DataTypeName, `decimal(${number},${number})`>, KustoScalarType> = {
    string: 'string',
    boolean: 'bool',
    int8: 'int',
    int16: 'int',
    int32: 'int',
    int64: 'long',
    float32: 'real',
    float64: 'real',
    date: 'datetime',
    timestamp: 'datetime',
    binary: 'string',
    duration: 'timespan',
    json: 'dynamic',
  };
  return table[name as keyof typeof table];
}

const KUSTO_TYPES = new Set<string>(['bool', 'datetime', 'dynamic', 'guid', 'int', 'long', 'real', 'string', 'timespan', 'decimal']);

/**
 * Kusto columns of an Arrow schema. A field read from Kusto keeps its type in the `kusto.type`
 * metadata (guid and dynamic travel as Utf8), so a read-then-write recreates those columns as they were.
 */
export function kustoColumnsOfArrowSchema(schema: Schema): KustoColumnSpec[] {
  return schema.fields.map((f: Field) => {
    const declared = f.metadata.get('kusto.type');
    return { name: f.name, type: declared !== undefined && KUSTO_TYPES.has(declared) ? declared : kustoTypeOfArrow(f.type, f.name) };
  });
}

/** `['c1']:type1,['c2']:type2` for `.create table`. */
export function createTableSchemaTextOfArrow(schema: Schema): string {
  return tableSchemaText(kustoColumnsOfArrowSchema(schema));
}

/**
 * The schema text of an existing table from the rows of `.show table … schema as json | … mv-expand
 * ColumnsJson` (each row's `ColumnsJson` is `{Name, Type, CslType}`), as the connector builds the
 * staging table's schema (reference §3.1 step 7).
 */
export function schemaTextFromShowSchemaRows(rows: readonly unknown[]): string {
  return tableSchemaText(kustoColumnsFromShowSchemaRows(rows));
}

export function kustoColumnsFromShowSchemaRows(rows: readonly unknown[]): KustoColumnSpec[] {
  return rows.map((row, i) => {
    const value = typeof row === 'string' ? (JSON.parse(row) as unknown) : row;
    const o = value as { Name?: unknown; CslType?: unknown } | null;
    if (!o || typeof o.Name !== 'string' || typeof o.CslType !== 'string') throw new TypeError(`schema row ${i} lacks Name/CslType: ${JSON.stringify(value)}`);
    return { name: o.Name, type: o.CslType };
  });
}
