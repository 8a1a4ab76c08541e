import type { KustoType } from './contracts.js';

/**
 * How each Kusto type is stored in DuckDB. Shared by the KQL translator (src/emulator/kql) and the
 * store/ingestion/encoders (src/emulator/engine), so both sides agree on one physical form.
 *
 * - datetime and timespan are BIGINT 100-ns ticks (datetime: since 1970-01-01T00:00:00Z, may be
 *   negative). DuckDB's TIMESTAMP is microseconds and TIMESTAMP_NS stops at 2262, while Kusto keeps
 *   100 ns over years 0001–9999: ticks keep both the precision and the range. The Kusto type of a
 *   column therefore lives in the emulator's own catalog, not in DuckDB's.
 * - decimal is DECIMAL(38,18) (Kusto's 128-bit decimal does not fit DuckDB exactly; 20 integer and
 *   18 fractional digits cover what the job runner sends and reads back as Decimal(38,18)).
 * - dynamic is DuckDB JSON (text holding one JSON value; SQL NULL for Kusto null).
 */
export const DUCKDB_TYPE: { readonly [K in KustoType]: string } = {
  bool: 'BOOLEAN',
  int: 'INTEGER',
  long: 'BIGINT',
  real: 'DOUBLE',
  decimal: 'DECIMAL(38,18)',
  string: 'VARCHAR',
  guid: 'UUID',
  datetime: 'BIGINT',
  timespan: 'BIGINT',
  dynamic: 'JSON',
};

/** 100-ns ticks per unit. */
export const TICKS = {
  microsecond: 10n,
  millisecond: 10_000n,
  second: 10_000_000n,
  minute: 600_000_000n,
  hour: 36_000_000_000n,
  day: 864_000_000_000n,
} as const;

/** Kusto type names and their aliases (as accepted in `.create table` and `datatable`). */
export const KUSTO_TYPE_ALIASES: Readonly<Record<string, KustoType>> = {
  bool: 'bool',
  boolean: 'bool',
  datetime: 'datetime',
  date: 'datetime',
  dynamic: 'dynamic',
  guid: 'guid',
  uuid: 'guid',
  uniqueid: 'guid',
  int: 'int',
  int32: 'int',
  long: 'long',
  int64: 'long',
  real: 'real',
  double: 'real',
  string: 'string',
  timespan: 'timespan',
  time: 'timespan',
  decimal: 'decimal',
};

/** The .NET type name Kusto reports as `DataType` in V1 tables and in `.show table schema as json`. */
export const CLR_TYPE: { readonly [K in KustoType]: string } = {
  bool: 'System.SByte',
  datetime: 'System.DateTime',
  dynamic: 'System.Object',
  guid: 'System.Guid',
  int: 'System.Int32',
  long: 'System.Int64',
  real: 'System.Double',
  string: 'System.String',
  timespan: 'System.TimeSpan',
  decimal: 'System.Data.SqlTypes.SqlDecimal',
};
