import { convert, toDynamicSql } from '../scalar/conversions.js';
import type { FunctionImpl } from './call.js';

/** Functions over dynamic (JSON) values. */

const TYPE_NAMES = `CASE json_type(x) WHEN 'ARRAY' THEN 'array' WHEN 'OBJECT' THEN 'dictionary' WHEN 'VARCHAR' THEN 'string' WHEN 'BIGINT' THEN 'long' WHEN 'UBIGINT' THEN 'long' WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool' ELSE 'null' END`;

export const DYNAMIC_FUNCTIONS: Readonly<Record<string, FunctionImpl>> = {
  array_length: (c) => {
    const x = convert(c.arg(0), 'dynamic').sql;
    return `CASE WHEN json_type(${x}) = 'ARRAY' THEN CAST(json_array_length(${x}) AS BIGINT) END`;
  },
  gettype: (c) => {
    const a = c.arg(0);
    if (a.type !== 'dynamic') return `'${a.type}'`;
    return `CASE WHEN ${a.sql} IS NULL THEN 'null' ELSE ${TYPE_NAMES.replace(/\bx\b/g, a.sql)} END`;
  },
  pack_array: (c) => `CAST(json_array(${c.nodes.map((_, i) => toDynamicSql(c.arg(i))).join(', ')}) AS JSON)`,
  bag_pack: (c) => packBag(c),
  pack: (c) => packBag(c),
  array_concat: (c) => `CAST(to_json(list_concat(${c.nodes.map((_, i) => elementsOf(convert(c.arg(i), 'dynamic').sql)).join(', ')})) AS JSON)`,
  array_slice: (c) => {
    // Kusto: inclusive zero-based bounds, negative ones count from the end; DuckDB: 1-based, inclusive.
    const from = convert(c.arg(1), 'long').sql;
    const to = convert(c.arg(2), 'long').sql;
    const list = elementsOf(convert(c.arg(0), 'dynamic').sql);
    return `CAST(to_json(list_slice(${list}, CASE WHEN ${from} >= 0 THEN ${from} + 1 ELSE ${from} END, CASE WHEN ${to} >= 0 THEN ${to} + 1 ELSE ${to} END)) AS JSON)`;
  },
  strcat_array: (c) => {
    const list = elementsOf(convert(c.arg(0), 'dynamic').sql);
    return `COALESCE(array_to_string(list_transform(${list}, lambda kq_e: ${convert({ sql: 'kq_e', type: 'dynamic' }, 'string').sql}), ${convert(c.arg(1), 'string').sql}), '')`;
  },
  new_guid: () => 'uuid()',
  bag_keys: (c) => {
    const x = convert(c.arg(0), 'dynamic').sql;
    return `CASE WHEN json_type(${x}) = 'OBJECT' THEN CAST(to_json(json_keys(${x})) AS JSON) END`;
  },
};

/** The elements of a JSON array as a DuckDB list (empty for anything that is not an array). */
function elementsOf(x: string): string {
  return `CASE WHEN json_type(${x}) = 'ARRAY' THEN CAST(json_extract(${x}, '$[*]') AS JSON[]) ELSE []::JSON[] END`;
}

function packBag(c: Parameters<FunctionImpl>[0]): string {
  const parts: string[] = [];
  for (let i = 0; i + 1 < c.argCount; i += 2) parts.push(`${convert(c.arg(i), 'string').sql}, ${toDynamicSql(c.arg(i + 1))}`);
  return `CAST(json_object(${parts.join(', ')}) AS JSON)`;
}
