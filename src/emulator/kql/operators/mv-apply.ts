import type { KustoType } from '../../contracts.js';
import type { Col, Rel } from '../context.js';
import { storageCast } from '../context.js';
import { unsupported } from '../errors.js';
import { expressionResultName } from '../parser.js';
import { convert } from '../scalar/conversions.js';
import { scalar } from '../scalar/expression.js';
import { child, elements, requireChild } from '../syntax.js';
import { translateTabular } from '../tabular.js';
import { onlyParameters, type OperatorImpl, outputColumns, rowScope } from './common.js';
import { elementsList, typeOfClause } from './mv-expand.js';
import { namedExpression } from './project.js';

/**
 * mv-apply: for each input row, expands the arrays into a small table (the row's columns plus one
 * row per element), runs the subquery on it, and returns the row's columns with the subquery's
 * results. Translated as a DuckDB LATERAL subquery, so aggregations, take and top work per row.
 */
export const mvApply: OperatorImpl = ({ ctx, input, op, result }) => {
  const params = onlyParameters(ctx, op, 'mv-apply', ['with_itemindex', 'kind', 'bagexpansion']);
  if (child(op, 'RowLimitClause')) throw unsupported('Operator', 'mv-apply', 'limit');
  if (child(op, 'ContextIdClause')) throw unsupported('Operator', 'mv-apply', 'id=');
  const bagAsArray = (params.get('kind') ?? params.get('bagexpansion') ?? 'bag').toLowerCase() === 'array';
  const outer = ctx.nextId('o');
  const scope = rowScope(ctx, outer, input);

  const expansions: { name: string; list: string; type: KustoType }[] = [];
  for (const item of elements(child(op, 'Expressions'))) {
    const { name, expr } = namedExpression(requireChild(item, 'Expression'));
    const colName = name ?? expressionResultName(expr);
    if (!colName) throw unsupported('Operator', 'mv-apply', 'an unnamed expression; write name = expression');
    const value = convert(scalar(expr, scope), 'dynamic');
    expansions.push({ name: colName, list: elementsList(value.sql, bagAsArray), type: typeOfClause(ctx.text, child(item, 'ToTypeOf')) ?? 'dynamic' });
  }
  const indexName = params.get('with_itemindex');

  // The per-row table: the outer columns, then the expanded elements (replacing same-named columns).
  const m = ctx.nextId('m');
  const unnests = expansions.map((e, i) => `unnest(${e.list}) AS x${i}`);
  if (indexName !== undefined) unnests.push(`unnest(range(greatest(${expansions.map((e) => `len(${e.list})`).join(', ')}))) AS ix`);
  const cols: Col[] = [];
  const parts: string[] = [];
  const add = (name: string, type: KustoType, sql: string): void => {
    const id = ctx.nextId();
    cols.push({ name, type, id });
    parts.push(`${sql} AS ${id}`);
  };
  const replaced = new Set([...expansions.map((e) => e.name), ...(indexName ? [indexName] : [])]);
  for (const c of input.cols) if (!replaced.has(c.name)) add(c.name, c.type, `${outer}.${c.id}`);
  expansions.forEach((e, i) => add(e.name, e.type, storageCast(convert({ sql: `${m}.x${i}`, type: 'dynamic' }, e.type).sql, e.type)));
  if (indexName !== undefined) add(indexName, 'long', `CAST(${m}.ix AS BIGINT)`);
  const perRow: Rel = { sql: `SELECT ${parts.join(', ')} FROM (SELECT ${unnests.join(', ')}) AS ${m}`, cols };

  const saved = ctx.implicitInput;
  ctx.implicitInput = perRow;
  let applied: Rel;
  try {
    applied = translateTabular(requireChild(requireChild(op, 'Subquery'), 'Expression'), ctx);
  } finally {
    ctx.implicitInput = saved;
  }

  const s = ctx.nextId('s');
  const outCols: Col[] = [];
  const select = outputColumns(result, 'mv-apply').map((out) => {
    const fromSub = applied.cols.find((c) => c.name === out.name);
    const fromOuter = input.cols.find((c) => c.name === out.name);
    const src = fromSub ? { ref: `${s}.${fromSub.id}`, type: fromSub.type } : fromOuter ? { ref: `${outer}.${fromOuter.id}`, type: fromOuter.type } : undefined;
    if (!src) throw unsupported('Operator', 'mv-apply', `column '${out.name}' of the result has no source`);
    const id = ctx.nextId();
    outCols.push({ name: out.name, type: src.type, id });
    return `${src.ref} AS ${id}`;
  });
  return { sql: `SELECT ${select.join(', ')} FROM (${input.sql}) AS ${outer}, LATERAL (${applied.sql}) AS ${s}`, cols: outCols };
};
