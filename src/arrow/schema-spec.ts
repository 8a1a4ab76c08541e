import { Field, Schema } from 'apache-arrow';
import { ConfigError } from '../errors/kjob-error.js';
import { parseTypeName } from './data-types.js';

/**
 * How users describe a schema: an Arrow Schema, a `{ column: 'type' }` record, or Spark's DDL text
 * (`"id bigint, name string not null, amount decimal(10,2)"`). Columns are nullable unless DDL says
 * `not null`.
 */
export type SchemaSpec = Schema | Readonly<Record<string, string>> | string;

export function toArrowSchema(spec: SchemaSpec): Schema {
  if (spec instanceof Schema) return spec;
  if (typeof spec === 'string') return parseDdl(spec);
  if (typeof spec !== 'object' || spec === null) throw new ConfigError('A schema must be an Arrow Schema, a { column: type } object or DDL text');
  return new Schema(Object.entries(spec).map(([name, type]) => new Field(name, parseTypeName(type), true)));
}

function parseDdl(ddl: string): Schema {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of ddl) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  const fields = parts.map((p) => {
    const m = /^\s*(`[^`]+`|[^\s`]+)\s+(.+?)(\s+not\s+null)?\s*$/i.exec(p);
    if (!m) throw new ConfigError(`Cannot parse schema column '${p.trim()}': expected "name type"`, { context: { schema: ddl } });
    const name = m[1]!.startsWith('`') ? m[1]!.slice(1, -1) : m[1]!;
    return new Field(name, parseTypeName(m[2]!.trim()), !m[3]);
  });
  if (!fields.length) throw new ConfigError('Empty schema');
  return new Schema(fields);
}
