import type { KustoType } from '../../contracts.js';
import { KUSTO_TYPE_ALIASES } from '../../storage-types.js';
import type { Col, SqlExpr } from '../context.js';
import { storageCast } from '../context.js';
import { unsupported } from '../errors.js';
import { convert } from '../scalar/conversions.js';
import { scalar } from '../scalar/expression.js';
import { child, elements, type Node, requireChild, sourceText } from '../syntax.js';
import { onlyParameters, type OperatorImpl, outputColumns, rowScope } from './common.js';
import { namedExpression } from './project.js';

/**
 * mv-expand: one output row per element of a dynamic array (or per property of a bag: `{key: value}`
 * with kind=bag, the default, or `[key, value]` with kind=array). An empty array or a null yields no
 * row; any other scalar yields one row. Several expansions are zipped, the shorter padded with null.
 */

export function elementsList(x: string, bagAsArray: boolean): string {
  const key = `'$."' || replace(replace(kq_k, '\\', '\\\\'), '"', '\\"') || '"'`;
  const bagItem = bagAsArray ? `json_array(kq_k, json_extract(${x}, ${key}))` : `json_object(kq_k, json_extract(${x}, ${key}))`;
  return (
    `CASE WHEN ${x} IS NULL THEN []::JSON[] WHEN json_type(${x}) = 'ARRAY' THEN CAST(json_extract(${x}, '$[*]') AS JSON[]) ` +
    `WHEN json_type(${x}) = 'OBJECT' THEN CAST(list_transform(json_keys(${x}), lambda kq_k: ${bagItem}) AS JSON[]) ` +
    `WHEN json_type(${x}) = 'NULL' THEN []::JSON[] ELSE [${x}] END`
  );
}

export function typeOfClause(text: string, clause: Node | null): KustoType | undefined {
  if (!clause) return undefined;
  const m = /typeof\s*\(\s*([a-z0-9_]+)\s*\)/i.exec(sourceText(text, clause));
  const t = m?.[1] ? KUSTO_TYPE_ALIASES[m[1].toLowerCase()] : undefined;
  if (!t) throw unsupported('Operator', 'mv-expand', `to ${sourceText(text, clause)}`);
  return t;
}

export const mvExpand: OperatorImpl = ({ ctx, input, op, result }) => {
  const params = onlyParameters(ctx, op, 'mv-expand', ['with_itemindex', 'kind', 'bagexpansion']);
  if (child(op, 'RowLimitClause')) throw unsupported('Operator', 'mv-expand', 'limit');
  const bagMode = (params.get('kind') ?? params.get('bagexpansion') ?? 'bag').toLowerCase();
  const outputs = outputColumns(result, 'mv-expand');
  const alias = ctx.nextId('t');
  const scope = rowScope(ctx, alias, input);
  const expanded = new Map<string, { list: string; type: KustoType }>();
  const lists: string[] = [];
  for (const item of elements(child(op, 'Expressions'))) {
    const { name, expr } = namedExpression(requireChild(item, 'Expression'));
    const value: SqlExpr = convert(scalar(expr, scope), 'dynamic');
    const target = typeOfClause(ctx.text, child(item, 'ToTypeOf'));
    const colName = name ?? ctx.text.slice(expr.TextStart, expr.End).trim().replace(/^\[['"](.*)['"]\]$/, '$1');
    const list = elementsList(value.sql, bagMode === 'array');
    lists.push(list);
    expanded.set(colName, { list, type: target ?? 'dynamic' });
  }
  const indexName = params.get('with_itemindex');
  // Inner select unnests the raw JSON elements once; the outer one converts them to their types.
  const inner = ctx.nextId('m');
  const unnests = [...expanded.values()].map((e, i) => `unnest(${e.list}) AS x${i}`);
  if (indexName !== undefined) unnests.push(`unnest(range(greatest(${lists.map((l) => `len(${l})`).join(', ')}))) AS ix`);
  const innerSql = `SELECT ${alias}.*, ${unnests.join(', ')} FROM (${input.sql}) AS ${alias}`;
  const names = [...expanded.keys()];
  const cols: Col[] = [];
  const parts = outputs.map((out) => {
    const id = ctx.nextId();
    const e = expanded.get(out.name);
    if (e) {
      const element: SqlExpr = { sql: `${inner}.x${names.indexOf(out.name)}`, type: 'dynamic' };
      const type = out.type ?? e.type;
      cols.push({ name: out.name, type, id });
      return `${storageCast(convert(element, type).sql, type)} AS ${id}`;
    }
    if (indexName !== undefined && out.name === indexName) {
      cols.push({ name: out.name, type: 'long', id });
      return `CAST(${inner}.ix AS BIGINT) AS ${id}`;
    }
    const src = input.cols.find((c) => c.name === out.name);
    if (!src) throw unsupported('Operator', 'mv-expand', `column '${out.name}' of the result has no source`);
    cols.push({ name: out.name, type: src.type, id });
    return `${inner}.${src.id} AS ${id}`;
  });
  return { sql: `SELECT ${parts.join(', ')} FROM (${innerSql}) AS ${inner}`, cols };
};
