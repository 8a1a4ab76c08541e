import type { Col } from '../context.js';
import { CLR_TYPE } from '../../storage-types.js';
import { unsupported } from '../errors.js';
import { functionName } from '../functions/index.js';
import { scalarAs } from '../scalar/expression.js';
import { str } from '../sql.js';
import { child, elements, kindName, requireChild } from '../syntax.js';
import { type OperatorImpl, outputColumns, rowScope } from './common.js';
import { namedExpression } from './project.js';

/** distinct, count, getschema, evaluate estimate_rows_count(), and the pass-through operators. */

export const distinct: OperatorImpl = ({ ctx, input, op, result }) => {
  const outputs = outputColumns(result, 'distinct');
  const alias = ctx.nextId('t');
  const scope = rowScope(ctx, alias, input);
  const exprs = elements(child(op, 'Expressions'));
  const star = exprs.length === 1 && exprs[0] && kindName(exprs[0]) === 'StarExpression';
  const cols: Col[] = [];
  const parts = outputs.map((out, i) => {
    const id = ctx.nextId();
    let sql: string;
    let type = out.type;
    if (star) {
      const c = input.cols[i];
      if (!c) throw unsupported('Operator', 'distinct', 'unexpected result schema');
      sql = `${alias}.${c.id}`;
      type = c.type;
    } else {
      const node = exprs[i];
      if (!node) throw unsupported('Operator', 'distinct', 'unexpected result schema');
      const e = scalarAs(namedExpression(node).expr, scope, out.type ?? 'dynamic');
      sql = e.sql;
      type = e.type;
    }
    cols.push({ name: out.name, type: type ?? 'dynamic', id });
    return `${sql} AS ${id}`;
  });
  return { sql: `SELECT DISTINCT ${parts.join(', ')} FROM (${input.sql}) AS ${alias}`, cols };
};

export const count: OperatorImpl = ({ ctx, input, result }) => {
  const name = outputColumns(result, 'count')[0]?.name ?? 'Count';
  const id = ctx.nextId();
  return { sql: `SELECT CAST(count(*) AS BIGINT) AS ${id} FROM (${input.sql}) AS ${ctx.nextId('t')}`, cols: [{ name, type: 'long', id }] };
};

export const getschema: OperatorImpl = ({ ctx, input }) => {
  const ids = ['ColumnName', 'ColumnOrdinal', 'DataType', 'ColumnType'].map(() => ctx.nextId());
  const cols: Col[] = [
    { name: 'ColumnName', type: 'string', id: ids[0] ?? 'c0' },
    { name: 'ColumnOrdinal', type: 'long', id: ids[1] ?? 'c1' },
    { name: 'DataType', type: 'string', id: ids[2] ?? 'c2' },
    { name: 'ColumnType', type: 'string', id: ids[3] ?? 'c3' },
  ];
  if (input.cols.length === 0) return { sql: `SELECT ${cols.map((c) => `CAST(NULL AS ${c.type === 'long' ? 'BIGINT' : 'VARCHAR'}) AS ${c.id}`).join(', ')} WHERE false`, cols };
  const rows = input.cols.map((c, i) => `(${str(c.name)}, CAST(${i} AS BIGINT), ${str(CLR_TYPE[c.type])}, ${str(c.type)}, ${i})`);
  return {
    sql: `SELECT ${cols.map((c, i) => `v.col${i} AS ${c.id}`).join(', ')} FROM (VALUES ${rows.join(', ')}) AS v(col0, col1, col2, col3, ord) ORDER BY v.ord`,
    cols,
  };
};

/**
 * Only `estimate_rows_count()`: one long column `EstimatedRowsCount`, the result schema Kusto.Language
 * declares for the plugin, holding the exact row count (a service estimate may differ from it).
 */
export const evaluate: OperatorImpl = ({ ctx, input, op }) => {
  const call = requireChild(op, 'FunctionCall');
  const plugin = functionName(call);
  if (plugin !== 'estimate_rows_count') throw unsupported('Plugin', plugin);
  const id = ctx.nextId();
  return { sql: `SELECT CAST(count(*) AS BIGINT) AS ${id} FROM (${input.sql}) AS ${ctx.nextId('t')}`, cols: [{ name: 'EstimatedRowsCount', type: 'long', id }] };
};

export const passThroughOperator: OperatorImpl = ({ input }) => input;

