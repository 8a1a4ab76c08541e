import type { Col, Ctx, Rel } from '../context.js';
import { unsupported } from '../errors.js';
import { scalarAs } from '../scalar/expression.js';
import { convert } from '../scalar/conversions.js';
import { child, elements, type Node, requireChild, semanticColumns } from '../syntax.js';
import { namedExpression } from './project.js';

/** Tabular sources that are not tables: print, range, datatable. */

export function print(ctx: Ctx, op: Node): Rel {
  const outputs = semanticColumns(op) ?? [];
  const exprs = elements(child(op, 'Expressions'));
  if (outputs.length !== exprs.length) throw unsupported('Operator', 'print', 'an expression that yields several columns');
  const cols: Col[] = [];
  const parts = exprs.map((node, i) => {
    const out = outputs[i];
    const e = scalarAs(namedExpression(node).expr, { ctx }, out?.type ?? 'dynamic');
    const id = ctx.nextId();
    cols.push({ name: out?.name ?? `print_${i}`, type: e.type, id });
    return `${e.sql} AS ${id}`;
  });
  return { sql: `SELECT ${parts.join(', ')}`, cols };
}

/** `range x from a to b step s`, over longs, reals, datetimes or timespans (ticks). */
export function range(ctx: Ctx, op: Node): Rel {
  const out = semanticColumns(op)?.[0];
  if (!out) throw unsupported('Operator', 'range', 'result schema unknown');
  const type = out.type ?? 'long';
  const sc = { ctx };
  const from = scalarAs(requireChild(op, 'From'), sc, type);
  const to = scalarAs(requireChild(op, 'To'), sc, type);
  const stepType = type === 'datetime' ? 'timespan' : type;
  const step = scalarAs(requireChild(op, 'Step'), sc, stepType);
  const id = ctx.nextId();
  const series =
    type === 'real'
      ? `SELECT ${from.sql} + ${step.sql} * CAST(g.generate_series AS DOUBLE) AS ${id} FROM generate_series(0, CAST(floor((${to.sql} - ${from.sql}) / ${step.sql}) AS BIGINT)) AS g`
      : `SELECT CAST(g.generate_series AS ${type === 'int' ? 'INTEGER' : 'BIGINT'}) AS ${id} FROM generate_series(CAST(${from.sql} AS BIGINT), CAST(${to.sql} AS BIGINT), CAST(${step.sql} AS BIGINT)) AS g`;
  return { sql: series, cols: [{ name: out.name, type, id }] };
}

export function datatable(ctx: Ctx, op: Node): Rel {
  const outputs = semanticColumns(op);
  if (!outputs) throw unsupported('Operator', 'datatable', 'schema unknown');
  const values = elements(child(op, 'Values'));
  const width = outputs.length;
  if (width === 0 || values.length % width !== 0) throw unsupported('Operator', 'datatable', `${values.length} values do not fill rows of ${width} columns`);
  const cols: Col[] = outputs.map((o) => ({ name: o.name, type: o.type ?? 'dynamic', id: ctx.nextId() }));
  const rows: string[] = [];
  for (let r = 0; r < values.length / width; r++) {
    const cells = cols.map((c, i) => {
      const node = values[r * width + i];
      if (!node) throw unsupported('Operator', 'datatable', 'missing value');
      const e = scalarAs(node, { ctx }, c.type);
      return convert(e, c.type).sql;
    });
    rows.push(`SELECT ${cells.map((cell, i) => `${cell} AS ${cols[i]?.id}`).join(', ')}`);
  }
  if (rows.length === 0) {
    return { sql: `SELECT ${cols.map((c) => `${convert({ sql: 'NULL', type: c.type }, c.type).sql} AS ${c.id}`).join(', ')} WHERE false`, cols };
  }
  return { sql: rows.join(' UNION ALL '), cols };
}
