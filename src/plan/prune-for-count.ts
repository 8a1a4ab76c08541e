import { col } from './functions.js';
import type { Expr } from './expr.js';
import type { PlanNode } from './plan-node.js';
import { referencedColumns } from './stage-planner.js';

/**
 * count() needs rows, not columns: for a chain of filters directly over a source scan, put a
 * projection of just the columns the filters read (or the first column when there are none) on top,
 * so the source is offered those `requiredColumns` and can skip decoding the others.
 * Any other plan shape is returned unchanged.
 */
export function pruneForCount(root: PlanNode): PlanNode {
  const conditions: Expr[] = [];
  let cur: PlanNode = root;
  while (cur.kind === 'Filter') {
    conditions.push(cur.condition);
    cur = cur.input;
  }
  if (cur.kind !== 'Scan') return root;
  const first = cur.schema.fields[0]?.name;
  const needed = referencedColumns(conditions);
  const columns = needed.length ? needed : first !== undefined ? [first] : [];
  if (columns.length === 0 || columns.length >= cur.schema.fields.length) return root;
  return { kind: 'Project', input: root, exprs: columns.map((c) => col(c).expr) };
}
