import { Binary, Bool, DateDay, Decimal, Field, Float32, Float64, Int16, Int32, Int64, Int8, Schema, TimeUnit, Timestamp, Utf8, type DataType } from 'apache-arrow';
import { ConfigError } from '../../errors/kjob-error.js';

/**
 * Parses a Spark DDL schema string (`"a INT, b STRING NOT NULL, `odd name` DECIMAL(10,2)"`) into an
 * Arrow schema. Pure. Type names follow Spark SQL (case-insensitive), with kjob's logical names
 * (`int32`, `float64` …) accepted too. Timestamps are microseconds UTC, dates are days.
 */

const SIMPLE_TYPES: Record<string, () => DataType> = {
  string: () => new Utf8(),
  varchar: () => new Utf8(),
  char: () => new Utf8(),
  text: () => new Utf8(),
  boolean: () => new Bool(),
  bool: () => new Bool(),
  tinyint: () => new Int8(),
  byte: () => new Int8(),
  int8: () => new Int8(),
  smallint: () => new Int16(),
  short: () => new Int16(),
  int16: () => new Int16(),
  int: () => new Int32(),
  integer: () => new Int32(),
  int32: () => new Int32(),
  bigint: () => new Int64(),
  long: () => new Int64(),
  int64: () => new Int64(),
  float: () => new Float32(),
  real: () => new Float32(),
  float32: () => new Float32(),
  double: () => new Float64(),
  float64: () => new Float64(),
  date: () => new DateDay(),
  timestamp: () => new Timestamp(TimeUnit.MICROSECOND, 'UTC'),
  timestamp_ltz: () => new Timestamp(TimeUnit.MICROSECOND, 'UTC'),
  binary: () => new Binary(),
};

export function parseDdlSchema(ddl: string): Schema {
  const fields: Field[] = [];
  const seen = new Set<string>();
  for (const part of splitTopLevel(ddl)) {
    const text = part.trim();
    if (text === '') throw ddlError(ddl, 'empty column definition');
    const { name, rest } = takeName(text, ddl);
    const m = /^(?:\s*:)?\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*(NOT\s+NULL)?\s*(?:COMMENT\s+'(?:[^'\\]|\\.)*')?\s*$/i.exec(rest);
    if (!m) throw ddlError(ddl, `cannot parse the type of column '${name}': '${rest.trim()}'`);
    const typeName = m[1]!.toLowerCase();
    let type: DataType;
    if (typeName === 'decimal' || typeName === 'numeric' || typeName === 'dec') {
      const precision = m[2] === undefined ? 10 : Number(m[2]);
      const scale = m[3] === undefined ? 0 : Number(m[3]);
      if (precision < 1 || precision > 38 || scale > precision) throw ddlError(ddl, `invalid DECIMAL(${precision},${scale}) for column '${name}' (precision 1..38, scale <= precision)`);
      type = new Decimal(scale, precision, 128);
    } else {
      const make = SIMPLE_TYPES[typeName];
      if (!make) throw ddlError(ddl, `unknown type '${m[1]}' for column '${name}'`, `Known types: ${Object.keys(SIMPLE_TYPES).join(', ')}, decimal(p,s).`);
      if (m[2] !== undefined && !['varchar', 'char'].includes(typeName)) throw ddlError(ddl, `type '${m[1]}' of column '${name}' takes no parameters`);
      type = make();
    }
    if (seen.has(name)) throw ddlError(ddl, `column '${name}' is defined twice`);
    seen.add(name);
    fields.push(new Field(name, type, m[4] === undefined));
  }
  return new Schema(fields);
}

function splitTopLevel(ddl: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < ddl.length; i++) {
    const c = ddl[i]!;
    if (quote) {
      if (c === quote) {
        if (ddl[i + 1] === quote) i++;
        else quote = undefined;
      }
      continue;
    }
    if (c === '`' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(ddl.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(ddl.slice(start));
  return parts;
}

function takeName(text: string, ddl: string): { name: string; rest: string } {
  if (text.startsWith('`')) {
    let name = '';
    for (let i = 1; i < text.length; i++) {
      if (text[i] === '`') {
        if (text[i + 1] === '`') {
          name += '`';
          i++;
          continue;
        }
        return { name, rest: text.slice(i + 1) };
      }
      name += text[i];
    }
    throw ddlError(ddl, `unterminated quoted column name in '${text}'`);
  }
  const m = /^([^\s:]+)(.*)$/s.exec(text);
  if (!m) throw ddlError(ddl, `missing column name in '${text}'`);
  return { name: m[1]!, rest: m[2]! };
}

function ddlError(ddl: string, reason: string, resolution?: string): ConfigError {
  return new ConfigError(`Invalid schema "${ddl.length > 200 ? `${ddl.slice(0, 200)}…` : ddl}": ${reason}`, {
    resolution: resolution ?? 'Write the schema as "name TYPE, name TYPE", e.g. "id INT, name STRING, amount DECIMAL(10,2), at TIMESTAMP".',
    context: { option: 'schema' },
  });
}
