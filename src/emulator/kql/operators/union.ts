import type { KustoType } from '../../contracts.js';
import type { Col, Ctx, Rel } from '../context.js';
import { nullOf, storageCast } from '../context.js';
import { unsupported } from '../errors.js';
import { str } from '../sql.js';
import { child, elements, type Node, semanticColumns } from '../syntax.js';
import { translateTabular } from '../tabular.js';
import { onlyParameters, type OperatorImpl } from './common.js';

/**
 * union (outer by default): columns are matched by name; a column missing from an input is null
 * there. When inputs disagree on a column's type the analyser names them `x_long`, `x_string`.
 * `withsource=Name` adds the source table name as the first column.
 */

function sourceFor(out: { name: string; type: KustoType | undefined }, rel: Rel): Col | undefined {
  const exact = rel.cols.find((c) => c.name === out.name && (out.type === undefined || c.type === out.type));
  if (exact) return exact;
  return rel.cols.find((c) => `${c.name}_${c.type}` === out.name);
}

export function unionOf(ctx: Ctx, op: Node, inputs: Rel[], result: Node): Rel {
  const params = onlyParameters(ctx, op, 'union', ['withsource', 'kind', 'isfuzzy', 'hint.concurrency', 'hint.spread']);
  if ((params.get('kind') ?? 'outer').toLowerCase() !== 'outer') throw unsupported('Operator', 'union', `kind=${params.get('kind')}`);
  const outputs = semanticColumns(result);
  if (!outputs) throw unsupported('Operator', 'union', 'result schema unknown');
  const withSource = params.get('withsource');
  const ids = outputs.map(() => ctx.nextId());
  const cols: Col[] = outputs.map((o, i) => ({ name: o.name, type: o.type ?? 'dynamic', id: ids[i] ?? `u${i}` }));
  const selects = inputs.map((rel) => {
    const alias = ctx.nextId('t');
    const parts = outputs.map((out, i) => {
      const id = ids[i] ?? `u${i}`;
      const type = out.type ?? 'dynamic';
      if (withSource !== undefined && i === 0 && out.name === withSource) return `${str(rel.tableName ?? '')} AS ${id}`;
      const src = sourceFor(out, rel);
      // Each branch casts to the result type so that UNION ALL cannot widen a column's storage type.
      return `${src ? storageCast(`${alias}.${src.id}`, type) : nullOf(type)} AS ${id}`;
    });
    return `SELECT ${parts.join(', ')} FROM (${rel.sql}) AS ${alias}`;
  });
  return { sql: selects.map((s) => `(${s})`).join(' UNION ALL '), cols };
}

function unionInputs(ctx: Ctx, op: Node): Rel[] {
  return elements(child(op, 'Expressions')).flatMap((e) => expandWildcard(ctx, e));
}

function expandWildcard(ctx: Ctx, node: Node): Rel[] {
  const text = ctx.text.slice(node.TextStart, node.End).trim();
  if (!text.includes('*')) return [translateTabular(node, ctx)];
  const re = new RegExp(`^${text.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const names = ctx.catalog.tableNames().filter((n) => re.test(n));
  return names.map((n) => {
    const t = ctx.catalog.table(n);
    if (!t) throw unsupported('Operator', 'union', `table ${n}`);
    return tableRel(ctx, n, t.sqlName, t.columns);
  });
}

/** `T | union U, V` */
export const union: OperatorImpl = ({ ctx, input, op, result }) => unionOf(ctx, op, [input, ...unionInputs(ctx, op)], result);

/** `union T, U` as the first operator. */
export function unionSource(ctx: Ctx, op: Node): Rel {
  return unionOf(ctx, op, unionInputs(ctx, op), op);
}

export function tableRel(ctx: Ctx, name: string, sqlName: string, columns: readonly { name: string; type: KustoType }[]): Rel {
  const cols: Col[] = [];
  const parts = columns.map((c) => {
    const id = ctx.nextId();
    cols.push({ name: c.name, type: c.type, id });
    const ref = `"${c.name.replace(/"/g, '""')}"`;
    // Kusto strings are never null: a stored NULL reads as ''.
    return `${c.type === 'string' ? `COALESCE(${ref}, '')` : ref} AS ${id}`;
  });
  return { sql: `SELECT ${parts.join(', ') || 'NULL AS _none'} FROM ${sqlName}`, cols, tableName: name };
}
