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
  bag_keys: (c) => {
    const x = convert(c.arg(0), 'dynamic').sql;
    return `CASE WHEN json_type(${x}) = 'OBJECT' THEN CAST(to_json(json_keys(${x})) AS JSON) END`;
  },
};

function packBag(c: Parameters<FunctionImpl>[0]): string {
  const parts: string[] = [];
  for (let i = 0; i + 1 < c.argCount; i += 2) parts.push(`${convert(c.arg(i), 'string').sql}, ${toDynamicSql(c.arg(i + 1))}`);
  return `CAST(json_object(${parts.join(', ')}) AS JSON)`;
}
