import type { KustoType } from '../../contracts.js';
import { DUCKDB_TYPE } from '../../storage-types.js';
import type { SqlExpr } from '../context.js';

/**
 * Conversions between the storage forms of Kusto types, as SQL. Kusto conversion functions never
 * fail: an unconvertible value becomes null (and a string is never null, but empty).
 */

const SECOND = 10_000_000;
/** Ticks from 0001-01-01 to the Unix epoch: Kusto bins datetimes from year 1, not from 1970. */
export const EPOCH_OFFSET_TICKS = 621_355_968_000_000_000n;

export function datetimeToString(t: string): string {
  const frac = `((${t} % ${SECOND}) + ${SECOND}) % ${SECOND}`;
  return (
    `CASE WHEN ${t} IS NULL THEN '' ELSE strftime(make_timestamp((${t} - ${frac}) // 10), '%Y-%m-%dT%H:%M:%S') || '.' || ` +
    `lpad(CAST(${frac} AS VARCHAR), 7, '0') || 'Z' END`
  );
}

export function timespanToString(t: string): string {
  const a = `abs(${t})`;
  const two = (v: string): string => `lpad(CAST(${v} AS VARCHAR), 2, '0')`;
  return (
    `CASE WHEN ${t} IS NULL THEN '' ELSE (CASE WHEN ${t} < 0 THEN '-' ELSE '' END) || ` +
    `(CASE WHEN ${a} >= 864000000000 THEN CAST(${a} // 864000000000 AS VARCHAR) || '.' ELSE '' END) || ` +
    `${two(`(${a} // 36000000000) % 24`)} || ':' || ${two(`(${a} // 600000000) % 60`)} || ':' || ${two(`(${a} // ${SECOND}) % 60`)} || ` +
    `(CASE WHEN ${a} % ${SECOND} <> 0 THEN '.' || lpad(CAST(${a} % ${SECOND} AS VARCHAR), 7, '0') ELSE '' END) END`
  );
}

/** .NET-like double text: integral values without `.0`, exponents as `E+20`, NaN/Infinity spelled out. */
function realToString(x: string): string {
  return (
    `CASE WHEN ${x} IS NULL THEN '' WHEN isnan(${x}) THEN 'NaN' WHEN ${x} = 'Infinity'::DOUBLE THEN 'Infinity' ` +
    `WHEN ${x} = '-Infinity'::DOUBLE THEN '-Infinity' ` +
    `WHEN ${x} = trunc(${x}) AND abs(${x}) < 1e15 THEN CAST(CAST(${x} AS BIGINT) AS VARCHAR) ELSE upper(CAST(${x} AS VARCHAR)) END`
  );
}

function decimalToString(x: string): string {
  return `COALESCE(regexp_replace(regexp_replace(CAST(${x} AS VARCHAR), '0+$', ''), '\\.$', ''), '')`;
}

export function dynamicToString(x: string): string {
  return `CASE WHEN ${x} IS NULL OR json_type(${x}) = 'NULL' THEN '' WHEN json_type(${x}) = 'VARCHAR' THEN json_extract_string(${x}, '$') ELSE CAST(json(${x}) AS VARCHAR) END`;
}

export function toStringSql(e: SqlExpr): string {
  switch (e.type) {
    case 'string':
      return `COALESCE(${e.sql}, '')`;
    case 'datetime':
      return datetimeToString(e.sql);
    case 'timespan':
      return timespanToString(e.sql);
    case 'real':
      return realToString(e.sql);
    case 'decimal':
      return decimalToString(e.sql);
    case 'dynamic':
      return dynamicToString(e.sql);
    case 'bool':
      return `CASE WHEN ${e.sql} IS NULL THEN '' WHEN ${e.sql} THEN 'true' ELSE 'false' END`;
    default:
      return `COALESCE(CAST(${e.sql} AS VARCHAR), '')`;
  }
}

/** A Kusto value as a dynamic (JSON) value; datetimes and timespans become their string forms. */
export function toDynamicSql(e: SqlExpr): string {
  switch (e.type) {
    case 'dynamic':
      return e.sql;
    case 'datetime':
    case 'timespan':
    case 'guid':
      return `CASE WHEN ${e.sql} IS NULL THEN NULL ELSE to_json(${toStringSql(e)}) END`;
    case 'decimal':
      return `CAST(${decimalToString(e.sql)} AS JSON)`;
    case 'real':
      return `CASE WHEN isnan(${e.sql}) OR isinf(${e.sql}) THEN to_json(${realToString(e.sql)}) ELSE to_json(${e.sql}) END`;
    default:
      return `to_json(${e.sql})`;
  }
}

const INTEGER_TEXT = `'^\\s*[+-]?[0-9]+\\s*$'`;

function stringToIntegral(s: string, sqlType: 'BIGINT' | 'INTEGER'): string {
  return `CASE WHEN regexp_matches(${s}, ${INTEGER_TEXT}) THEN TRY_CAST(trim(${s}) AS ${sqlType}) ELSE TRY_CAST(trunc(TRY_CAST(trim(${s}) AS DOUBLE)) AS ${sqlType}) END`;
}

/**
 * ISO-8601-like text to ticks, keeping all 7 fractional digits. Text with a zone (`Z`, `+02:00`)
 * is read as that instant; text without one is UTC, whatever the DuckDB session's TimeZone.
 */
export function stringToDatetime(s: string): string {
  const frac = `COALESCE(TRY_CAST(rpad(NULLIF(regexp_extract(${s}, ':[0-9]{2}\\.([0-9]{1,7})', 1), ''), 7, '0') AS BIGINT), 0)`;
  const zoned = `regexp_matches(${s}, '[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?\\s*([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)\\s*$')`;
  const seconds = `CASE WHEN ${zoned} THEN epoch_us(date_trunc('second', TRY_CAST(upper(trim(${s})) AS TIMESTAMPTZ))) ELSE epoch_us(date_trunc('second', TRY_CAST(trim(${s}) AS TIMESTAMP))) END`;
  return `(${seconds} * 10 + ${frac})`;
}

/** `[-][d.]hh:mm[:ss[.fffffff]]` text to ticks. */
export function stringToTimespan(s: string): string {
  const re = `'^\\s*(-)?(?:([0-9]+)\\.)?([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:\\.([0-9]{1,7}))?)?\\s*$'`;
  const g = (i: number): string => `COALESCE(TRY_CAST(NULLIF(regexp_extract(${s}, ${re}, ${i}), '') AS BIGINT), 0)`;
  const frac = `COALESCE(TRY_CAST(rpad(NULLIF(regexp_extract(${s}, ${re}, 6), ''), 7, '0') AS BIGINT), 0)`;
  return (
    `CASE WHEN regexp_matches(${s}, ${re}) THEN (CASE WHEN regexp_extract(${s}, ${re}, 1) = '-' THEN -1 ELSE 1 END) * ` +
    `(${g(2)} * 864000000000 + ${g(3)} * 36000000000 + ${g(4)} * 600000000 + ${g(5)} * ${SECOND} + ${frac}) END`
  );
}

function stringTo(s: string, target: KustoType): string {
  switch (target) {
    case 'string':
      return s;
    case 'long':
      return stringToIntegral(s, 'BIGINT');
    case 'int':
      return stringToIntegral(s, 'INTEGER');
    case 'real':
      return `TRY_CAST(trim(${s}) AS DOUBLE)`;
    case 'decimal':
      return `TRY_CAST(trim(${s}) AS DECIMAL(38,18))`;
    case 'bool':
      return `CASE lower(trim(${s})) WHEN 'true' THEN true WHEN 'false' THEN false WHEN '1' THEN true WHEN '0' THEN false ELSE NULL END`;
    case 'guid':
      return `TRY_CAST(trim(${s}) AS UUID)`;
    case 'datetime':
      return stringToDatetime(s);
    case 'timespan':
      return stringToTimespan(s);
    case 'dynamic':
      return `CASE WHEN ${s} IS NULL THEN NULL WHEN json_valid(${s}) THEN CAST(${s} AS JSON) ELSE to_json(${s}) END`;
  }
}

function dynamicTo(x: string, target: KustoType): string {
  if (target === 'dynamic') return x;
  if (target === 'string') return dynamicToString(x);
  const text = `json_extract_string(${x}, '$')`;
  const scalar = `json_type(${x}) IN ('BIGINT', 'UBIGINT', 'DOUBLE', 'VARCHAR', 'BOOLEAN')`;
  return `CASE WHEN ${scalar} THEN ${stringTo(text, target)} ELSE NULL END`;
}

function numericTo(e: SqlExpr, target: KustoType): string {
  // Kusto reads a datetime as a number of .NET ticks since 0001-01-01, and a number as such ticks.
  let x = e.sql;
  if (e.type === 'datetime' && target !== 'timespan') x = `(${x} + ${EPOCH_OFFSET_TICKS})`;
  if (target === 'datetime' && e.type !== 'timespan') x = `(${x} - ${EPOCH_OFFSET_TICKS})`;
  switch (target) {
    case 'long':
    case 'int':
    case 'timespan':
    case 'datetime':
      // Kusto truncates toward zero when a real becomes an integer.
      return e.type === 'real' || e.type === 'decimal'
        ? `TRY_CAST(trunc(${x}) AS ${DUCKDB_TYPE[target]})`
        : `TRY_CAST(${x} AS ${DUCKDB_TYPE[target]})`;
    case 'bool':
      return `(${x} <> 0)`;
    default:
      return `TRY_CAST(${x} AS ${DUCKDB_TYPE[target]})`;
  }
}

/** Converts a value to another Kusto type with Kusto's `toX()` semantics; null when it does not convert. */
export function convert(e: SqlExpr, target: KustoType): SqlExpr {
  if (e.type === target) return target === 'string' ? { sql: `COALESCE(${e.sql}, '')`, type: target } : e;
  let sql: string;
  if (target === 'string') sql = toStringSql(e);
  else if (e.type === 'string') sql = stringTo(e.sql, target); // todynamic(string) parses JSON
  else if (target === 'dynamic') sql = toDynamicSql(e);
  else if (e.type === 'dynamic') sql = dynamicTo(e.sql, target);
  else if (e.type === 'bool') sql = target === 'datetime' || target === 'timespan' || target === 'guid' ? 'NULL' : `CAST(CAST(${e.sql} AS INTEGER) AS ${DUCKDB_TYPE[target]})`;
  else if (e.type === 'guid') sql = 'NULL';
  else sql = numericTo(e, target);
  return { sql: `CAST(${sql} AS ${DUCKDB_TYPE[target]})`, type: target };
}
