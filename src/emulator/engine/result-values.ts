import type { KustoColumn, ResultTable } from '../contracts.js';
import { DUCKDB_TYPE } from '../storage-types.js';
import { RawJson } from './raw-json.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';
import { parseDatetime, parseTimespan } from './ticks.js';

/** DuckDB row values → engine form (uuid/decimal as text, dynamic as RawJson). */
export function fromDuck(columns: readonly KustoColumn[], rows: readonly (readonly unknown[])[]): unknown[][] {
  const out: unknown[][] = new Array(rows.length);
  const kinds = columns.map((c) => c.type);
  for (let r = 0; r < rows.length; r++) {
    const src = rows[r]!;
    const row = new Array<unknown>(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      if (v === null || v === undefined) row[i] = null;
      else if (kinds[i] === 'dynamic') row[i] = typeof v === 'string' ? new RawJson(v) : new RawJson(JSON.stringify(String(v)));
      else if (typeof v === 'object') row[i] = String(v);
      else row[i] = v;
    }
    out[r] = row;
  }
  return out;
}

function literal(type: KustoColumn['type'], v: unknown): string {
  if (v === null || v === undefined) return `CAST(NULL AS ${DUCKDB_TYPE[type]})`;
  switch (type) {
    case 'bool':
      return v === true || v === 1 || v === 'true' ? 'true' : 'false';
    case 'int':
    case 'long':
      return `CAST(${BigInt(typeof v === 'number' ? Math.trunc(v) : (v as bigint | string))} AS ${DUCKDB_TYPE[type]})`;
    case 'real':
      return `CAST(${quoteLiteral(String(v))} AS DOUBLE)`;
    case 'datetime':
    case 'timespan': {
      const ticks = typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : v instanceof Date ? BigInt(v.getTime()) * 10000n : (type === 'datetime' ? parseDatetime(String(v)) : parseTimespan(String(v)));
      return ticks === undefined ? 'CAST(NULL AS BIGINT)' : `CAST(${ticks} AS BIGINT)`;
    }
    case 'dynamic':
      return `CAST(${quoteLiteral(v instanceof RawJson ? v.text : JSON.stringify(v))} AS JSON)`;
    default:
      return `CAST(${quoteLiteral(String(v))} AS ${DUCKDB_TYPE[type]})`;
  }
}

/** A command's result as a DuckDB relation (for `.show … | <kql>` and `$command_results`). */
export function resultAsRelation(t: ResultTable): string {
  const cols = t.columns;
  if (t.rows.length === 0) return `(SELECT ${cols.map((c) => `${literal(c.type, null)} AS ${quoteIdent(c.name)}`).join(', ')} WHERE false)`;
  const rows = t.rows.map((r) => `(${cols.map((c, i) => literal(c.type, r[i])).join(', ')})`).join(', ');
  return `(SELECT * FROM (VALUES ${rows}) AS v(${cols.map((c) => quoteIdent(c.name)).join(', ')}))`;
}
