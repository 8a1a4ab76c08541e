/**
 * Kusto column types → Arrow types for reads (reference §3.2 reverse map, keys lower-cased, v1 CLR
 * names accepted). Choices, and why:
 * - datetime → Timestamp(ns, "UTC"): keeps Kusto's 100-ns precision (the connector's µs lost it,
 *   #266). Arrow ns covers 1677-09-21…2262-04-11; readers must refuse values outside that range.
 * - timespan → Duration(ns): a real duration (the connector gave strings or ticks, #108); ±292 years.
 * - decimal → Decimal(38,18), as the connector and the emulator's storage.
 * - guid → Utf8, dynamic → Utf8 holding JSON text (or a struct/list/map type when requested); the
 *   field metadata `kusto.type` keeps the Kusto type so a writer can recreate the column faithfully.
 */
import { Bool, Decimal, Duration, Field, Float64, Int32, Int64, Schema, TimeUnit, Timestamp, Utf8, type DataType } from 'apache-arrow';
import type { KustoScalarType } from './arrow-to-kusto.js';

export const KUSTO_TYPE_METADATA_KEY = 'kusto.type';

const ALIASES: Readonly<Record<string, KustoScalarType>> = {
  string: 'string',
  'system.string': 'string',
  long: 'long',
  int64: 'long',
  'system.int64': 'long',
  datetime: 'datetime',
  date: 'datetime',
  'system.datetime': 'datetime',
  timespan: 'timespan',
  time: 'timespan',
  'system.timespan': 'timespan',
  bool: 'bool',
  boolean: 'bool',
  sbyte: 'bool',
  'system.sbyte': 'bool',
  'system.boolean': 'bool',
  real: 'real',
  double: 'real',
  'system.double': 'real',
  decimal: 'decimal',
  sqldecimal: 'decimal',
  'system.data.sqltypes.sqldecimal': 'decimal',
  'system.decimal': 'decimal',
  guid: 'guid',
  uuid: 'guid',
  uniqueid: 'guid',
  'system.guid': 'guid',
  int: 'int',
  int32: 'int',
  'system.int32': 'int',
  dynamic: 'dynamic',
  object: 'dynamic',
  'system.object': 'dynamic',
};

/** The Kusto type named by a v2 type name or v1 CLR name; unknown names read as string. */
export function normalizeKustoType(name: string): KustoScalarType {
  return ALIASES[name.trim().toLowerCase()] ?? 'string';
}

export function arrowTypeOfKusto(kustoType: string): DataType {
  switch (normalizeKustoType(kustoType)) {
    case 'string':
    case 'guid':
    case 'dynamic':
      return new Utf8();
    case 'long':
      return new Int64();
    case 'int':
      return new Int32();
    case 'real':
      return new Float64();
    case 'bool':
      return new Bool();
    case 'datetime':
      return new Timestamp(TimeUnit.NANOSECOND, 'UTC');
    case 'timespan':
      return new Duration(TimeUnit.NANOSECOND);
    case 'decimal':
      return new Decimal(18, 38, 128);
  }
}

/**
 * The Arrow field of a Kusto column. `dynamicTypes` asks for a structured Arrow type (struct, list,
 * map) for named dynamic columns instead of JSON text; the reader then decodes the JSON into it.
 */
export function arrowFieldOfKustoColumn(name: string, kustoType: string, dynamicTypes: ReadonlyMap<string, DataType> = new Map()): Field {
  const kusto = normalizeKustoType(kustoType);
  const type = kusto === 'dynamic' ? (dynamicTypes.get(name) ?? arrowTypeOfKusto(kusto)) : arrowTypeOfKusto(kusto);
  return new Field(name, type, true, new Map([[KUSTO_TYPE_METADATA_KEY, kusto]]));
}

export function arrowSchemaOfKustoColumns(columns: readonly { readonly name: string; readonly type: string }[], dynamicTypes: ReadonlyMap<string, DataType> = new Map()): Schema {
  return new Schema(columns.map((c) => arrowFieldOfKustoColumn(c.name, c.type, dynamicTypes)));
}
