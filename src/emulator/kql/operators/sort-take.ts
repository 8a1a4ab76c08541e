import { unsupported } from '../errors.js';
import { convert } from '../scalar/conversions.js';
import { scalar } from '../scalar/expression.js';
import { child, elements, kindName, type Node, requireChild, sourceText } from '../syntax.js';
import type { Ctx, ScalarScope } from '../context.js';
import { onlyParameters, type OperatorImpl, rowScope } from './common.js';

/**
 * sort/order by, top, take/limit. Kusto sorts descending by default; nulls come last when
 * descending and first when ascending, unless `nulls first|last` says otherwise. Later operators
 * keep the order (DuckDB preserves the order of an ordered subquery through projections, filters
 * and limits).
 */

function orderItem(ctx: Ctx, node: Node, scope: ScalarScope): string {
  const isOrdered = kindName(node) === 'OrderedExpression';
  const exprNode = isOrdered ? requireChild(node, 'Expression') : node;
  const ordering = isOrdered ? child(node, 'Ordering') : null;
  const clause = ordering ? sourceText(ctx.text, ordering).toLowerCase() : '';
  const ascending = /\basc\b/.test(clause);
  const nullsFirst = /nulls\s+first/.test(clause) ? true : /nulls\s+last/.test(clause) ? false : ascending;
  let e = scalar(exprNode, scope);
  if (e.type === 'dynamic') e = convert(e, 'string');
  return `${e.sql} ${ascending ? 'ASC' : 'DESC'} NULLS ${nullsFirst ? 'FIRST' : 'LAST'}`;
}

function count(node: Node, scope: ScalarScope, opName: string): string {
  // Row counts are evaluated without a row scope: only literals, lets and constant expressions work.
  const n = convert(scalar(node, { ctx: scope.ctx }), 'long');
  if (/^CAST\(-\d+/.test(n.sql)) throw unsupported('Operator', opName, 'a negative row count');
  return n.sql;
}

export const sort: OperatorImpl = ({ ctx, input, op }) => {
  onlyParameters(ctx, op, 'sort', []);
  const alias = ctx.nextId('t');
  const scope = rowScope(ctx, alias, input);
  const items = elements(child(op, 'Expressions')).map((n) => orderItem(ctx, n, scope));
  return { sql: `SELECT * FROM (${input.sql}) AS ${alias} ORDER BY ${items.join(', ')}`, cols: input.cols };
};

export const top: OperatorImpl = ({ ctx, input, op }) => {
  onlyParameters(ctx, op, 'top', []);
  const alias = ctx.nextId('t');
  const scope = rowScope(ctx, alias, input);
  const limit = count(requireChild(op, 'Expression'), { ctx }, 'top');
  const by = orderItem(ctx, requireChild(op, 'ByExpression'), scope);
  return { sql: `SELECT * FROM (${input.sql}) AS ${alias} ORDER BY ${by} LIMIT ${limit}`, cols: input.cols };
};

export const take: OperatorImpl = ({ ctx, input, op }) => {
  onlyParameters(ctx, op, 'take', []);
  const alias = ctx.nextId('t');
  const limit = count(requireChild(op, 'Expression'), { ctx }, 'take');
  return { sql: `SELECT * FROM (${input.sql}) AS ${alias} LIMIT ${limit}`, cols: input.cols };
};
