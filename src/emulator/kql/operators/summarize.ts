import type { Col, SqlExpr } from '../context.js';
import { storageCast } from '../context.js';
import { unsupported } from '../errors.js';
import { functionArguments, functionName } from '../functions/index.js';
import { MULTI_COLUMN_AGGREGATES } from '../functions/aggregates.js';
import { scalar } from '../scalar/expression.js';
import { convert } from '../scalar/conversions.js';
import { child, elements, kindName, type Node, simpleName } from '../syntax.js';
import { onlyParameters, type OperatorImpl, outputColumns, rowScope } from './common.js';
import { namedExpression } from './project.js';

/**
 * summarize: by-keys first, then one column per aggregate (arg_max/arg_min: the arg and the
 * requested columns, taken from one row through a struct so they stay consistent). Output names
 * and types are the analyser's (`count_`, `sum_x`, `x1` ...).
 */

interface AggregatePlan {
  /** Aggregate SQL computed in the GROUP BY select. */
  readonly sql: string;
  /** Struct fields to read from it, one per output column; undefined for a single-column aggregate. */
  readonly fields?: readonly SqlExpr[] | undefined;
}

export const summarize: OperatorImpl = ({ ctx, input, op, result }) => {
  onlyParameters(ctx, op, 'summarize', ['hint.strategy', 'hint.shufflekey', 'hint.num_partitions']);
  const outputs = outputColumns(result, 'summarize');
  const alias = ctx.nextId('t');
  const row = rowScope(ctx, alias, input);
  const byClause = child(op, 'ByClause');
  const byNodes = elements(byClause ? child(byClause, 'Expressions') : null).map(namedExpression);
  const keys = byNodes.map((b) => scalar(b.expr, row));
  const keyColumnNames = new Set(byNodes.filter((b) => b.name === null && kindName(b.expr) === 'NameReference').map((b) => simpleName(b.expr)));

  const aggNodes = elements(child(op, 'Aggregates')).map(namedExpression);
  const starCount = aggNodes.filter((a) => isMultiColumn(a.expr) && functionArguments(a.expr).some((n) => kindName(n) === 'StarExpression')).length;
  if (starCount > 1) throw unsupported('Aggregate', 'arg_max/arg_min', 'more than one (*) in one summarize');
  const fixedColumns = aggNodes.reduce((n, a) => n + (isMultiColumn(a.expr) ? functionArguments(a.expr).filter((x) => kindName(x) !== 'StarExpression').length : 1), 0);

  const plans: AggregatePlan[] = aggNodes.map(({ expr }) => {
    if (!isMultiColumn(expr)) return { sql: scalar(expr, { ...row, aggregating: true }).sql };
    const name = functionName(expr);
    const args = functionArguments(expr);
    const first = args[0];
    if (!first) throw unsupported('Aggregate', name, 'missing argument');
    const by = scalar(first, row);
    const picked: SqlExpr[] = [by];
    for (const a of args.slice(1)) {
      if (kindName(a) === 'StarExpression') {
        const byName = kindName(first) === 'NameReference' ? simpleName(first) : null;
        const available = outputs.length - keys.length - fixedColumns;
        const star = input.cols.filter((c) => !keyColumnNames.has(c.name) && c.name !== byName);
        if (star.length !== available) throw unsupported('Aggregate', name, '(*) with this combination of keys');
        for (const c of star) picked.push({ sql: `${alias}.${c.id}`, type: c.type });
      } else {
        picked.push(scalar(namedExpression(a).expr, row));
      }
    }
    const struct = `struct_pack(${picked.map((p, i) => `f${i} := ${p.sql}`).join(', ')})`;
    const fn = name === 'arg_max' ? 'arg_max' : 'arg_min';
    // Rows whose arg is null never win, as in Kusto.
    return { sql: `${fn}(${struct}, ${by.sql}) FILTER (WHERE ${by.sql} IS NOT NULL)`, fields: picked };
  });

  const inner: string[] = [];
  keys.forEach((k, i) => inner.push(`${k.sql} AS g${i}`));
  plans.forEach((p, i) => inner.push(`${p.sql} AS a${i}`));
  const groupBy = keys.length ? ` GROUP BY ${keys.map((_, i) => i + 1).join(', ')}` : '';
  const innerSql = `SELECT ${inner.join(', ') || 'count(*) AS _n'} FROM (${input.sql}) AS ${alias}${groupBy}`;

  const reads: SqlExpr[] = [];
  keys.forEach((k, i) => reads.push({ sql: `g${i}`, type: k.type }));
  plans.forEach((p, i) => {
    if (p.fields) p.fields.forEach((f, j) => reads.push({ sql: `struct_extract(a${i}, 'f${j}')`, type: f.type }));
    else reads.push({ sql: `a${i}`, type: outputs[reads.length]?.type ?? 'dynamic' });
  });
  if (reads.length !== outputs.length) throw unsupported('Operator', 'summarize', `expected ${outputs.length} result columns, built ${reads.length}`);
  const cols: Col[] = [];
  const parts = reads.map((r, i) => {
    const out = outputs[i];
    const type = out?.type ?? r.type;
    const id = ctx.nextId();
    cols.push({ name: out?.name ?? `Column${i + 1}`, type, id });
    const value = r.type === type ? r.sql : convert(r, type).sql;
    return `${storageCast(value, type)} AS ${id}`;
  });
  const q = ctx.nextId('s');
  return { sql: `SELECT ${parts.join(', ')} FROM (${innerSql}) AS ${q}`, cols };
};

function isMultiColumn(expr: Node): boolean {
  return kindName(expr) === 'FunctionCallExpression' && MULTI_COLUMN_AGGREGATES.has(functionName(expr));
}
