import type { Col, Ctx, Rel, RowScope, SqlExpr } from '../context.js';
import { semanticError, unsupported } from '../errors.js';
import { convert } from '../scalar/conversions.js';
import { scalar } from '../scalar/expression.js';
import { child, elements, kindName, type Node, requireChild, simpleName } from '../syntax.js';
import { translateTabular } from '../tabular.js';
import { onlyParameters, type OperatorImpl, outputColumns } from './common.js';

/**
 * join: inner, leftouter, rightouter, fullouter, leftsemi, leftanti, rightsemi, rightanti, and the
 * default innerunique (the left side is first deduplicated on the join keys). Right-side names
 * that clash are renamed by the analyser (`a1`).
 */

const KINDS = new Set(['innerunique', 'inner', 'leftouter', 'rightouter', 'fullouter', 'leftsemi', 'leftanti', 'leftantisemi', 'rightsemi', 'rightanti', 'rightantisemi', 'anti', 'semi']);

interface KeyPair {
  readonly left: SqlExpr;
  readonly right: SqlExpr;
}

function keyPairs(ctx: Ctx, conditions: Node[], left: RowScope, right: RowScope): KeyPair[] {
  const pairs: KeyPair[] = [];
  const visit = (node: Node): void => {
    const kind = kindName(node);
    if (kind === 'NameReference') {
      const name = simpleName(node);
      const l = left.cols.find((c) => c.name === name);
      const r = right.cols.find((c) => c.name === name);
      if (!l || !r) throw semanticError(`join key '${name}' must exist on both sides`, ctx.text, node.TextStart);
      pairs.push({ left: { sql: `${left.alias}.${l.id}`, type: l.type }, right: { sql: `${right.alias}.${r.id}`, type: r.type } });
      return;
    }
    if (kind === 'AndExpression') {
      visit(requireChild(node, 'Left'));
      visit(requireChild(node, 'Right'));
      return;
    }
    if (kind === 'EqualExpression') {
      const sc = { ctx, left, right };
      const a = scalar(requireChild(node, 'Left'), sc);
      const b = scalar(requireChild(node, 'Right'), sc);
      const aIsLeft = a.sql.startsWith(`${left.alias}.`);
      pairs.push(aIsLeft ? { left: a, right: b } : { left: b, right: a });
      return;
    }
    if (kind === 'ParenthesizedExpression') {
      visit(requireChild(node, 'Expression'));
      return;
    }
    throw unsupported('Operator', 'join', `join condition ${kind} (only equality of $left/$right columns)`);
  };
  conditions.forEach(visit);
  return pairs;
}

function equal(p: KeyPair): string {
  const l = p.left.type === p.right.type ? p.left : convert(p.left, p.right.type);
  return `${l.sql} = ${p.right.sql}`;
}

export const join: OperatorImpl = ({ ctx, input, op, result }) => {
  const params = onlyParameters(ctx, op, 'join', ['kind', 'hint.strategy', 'hint.remote', 'hint.shufflekey', 'hint.num_partitions']);
  const kind = (params.get('kind') ?? 'innerunique').toLowerCase();
  if (!KINDS.has(kind)) throw unsupported('Operator', 'join', `kind=${kind}`);
  const right: Rel = translateTabular(requireChild(op, 'Expression'), ctx);
  const clause = requireChild(op, 'ConditionClause');
  if (kindName(clause) !== 'JoinOnClause' && kindName(clause) !== 'JoinWhereClause') throw unsupported('Operator', 'join', kindName(clause));
  const conditions = kindName(clause) === 'JoinOnClause' ? elements(child(clause, 'Expressions')) : [requireChild(clause, 'Expression')];

  const la = ctx.nextId('l');
  const ra = ctx.nextId('r');
  const leftScope: RowScope = { alias: la, cols: input.cols };
  const rightScope: RowScope = { alias: ra, cols: right.cols };
  const pairs = keyPairs(ctx, conditions, leftScope, rightScope);
  if (pairs.length === 0) throw unsupported('Operator', 'join', 'a join without keys');
  const on = pairs.map(equal).join(' AND ');

  let leftSql = input.sql;
  if (kind === 'innerunique') {
    const keys = pairs.map((p) => p.left.sql.split(`${la}.`).join('u.')).join(', ');
    leftSql = `SELECT * FROM (${input.sql}) AS u QUALIFY row_number() OVER (PARTITION BY ${keys}) = 1`;
  }
  const from = (type: string): string => `(${leftSql}) AS ${la} ${type} (${right.sql}) AS ${ra} ON ${on}`;

  const outputs = outputColumns(result, 'join');
  const semi = { leftsemi: 'SEMI', semi: 'SEMI', leftanti: 'ANTI', anti: 'ANTI', leftantisemi: 'ANTI' }[kind];
  if (semi) return project(ctx, outputs, input.cols.map((c) => ({ sql: `${la}.${c.id}`, type: c.type })), from(`${semi} JOIN`));
  const rightSemi = { rightsemi: 'SEMI', rightanti: 'ANTI', rightantisemi: 'ANTI' }[kind];
  if (rightSemi) {
    const on2 = pairs.map((p) => equal(p)).join(' AND ');
    return project(ctx, outputs, right.cols.map((c) => ({ sql: `${ra}.${c.id}`, type: c.type })), `(${right.sql}) AS ${ra} ${rightSemi} JOIN (${input.sql}) AS ${la} ON ${on2}`);
  }
  const sqlJoin = { innerunique: 'JOIN', inner: 'JOIN', leftouter: 'LEFT JOIN', rightouter: 'RIGHT JOIN', fullouter: 'FULL JOIN' }[kind] ?? 'JOIN';
  const values = [...input.cols.map((c) => ({ sql: `${la}.${c.id}`, type: c.type })), ...right.cols.map((c) => ({ sql: `${ra}.${c.id}`, type: c.type }))];
  return project(ctx, outputs, values, from(sqlJoin));
};

/**
 * lookup: a left-outer (default) or inner join against a dimension table; the right side's key
 * columns are not repeated in the result.
 */
export const lookup: OperatorImpl = ({ ctx, input, op, result }) => {
  const params = onlyParameters(ctx, op, 'lookup', ['kind']);
  const kind = (params.get('kind') ?? 'leftouter').toLowerCase();
  if (kind !== 'leftouter' && kind !== 'inner') throw unsupported('Operator', 'lookup', `kind=${kind}`);
  const right: Rel = translateTabular(requireChild(op, 'Expression'), ctx);
  const clause = requireChild(op, 'LookupClause');
  if (kindName(clause) !== 'JoinOnClause') throw unsupported('Operator', 'lookup', kindName(clause));
  const la = ctx.nextId('l');
  const ra = ctx.nextId('r');
  const pairs = keyPairs(ctx, elements(child(clause, 'Expressions')), { alias: la, cols: input.cols }, { alias: ra, cols: right.cols });
  if (pairs.length === 0) throw unsupported('Operator', 'lookup', 'a lookup without keys');
  const rightKeys = new Set(pairs.map((p) => p.right.sql));
  const values = [
    ...input.cols.map((c) => ({ sql: `${la}.${c.id}`, type: c.type })),
    ...right.cols.map((c) => ({ sql: `${ra}.${c.id}`, type: c.type })).filter((v) => !rightKeys.has(v.sql)),
  ];
  const sqlJoin = kind === 'inner' ? 'JOIN' : 'LEFT JOIN';
  return project(ctx, outputColumns(result, 'lookup'), values, `(${input.sql}) AS ${la} ${sqlJoin} (${right.sql}) AS ${ra} ON ${pairs.map(equal).join(' AND ')}`);
};

function project(ctx: Ctx, outputs: { name: string }[], values: SqlExpr[], from: string): Rel {
  if (outputs.length !== values.length) throw unsupported('Operator', 'join/lookup', `expected ${outputs.length} result columns, got ${values.length}`);
  const cols: Col[] = [];
  const parts = values.map((v, i) => {
    const id = ctx.nextId();
    cols.push({ name: outputs[i]?.name ?? `Column${i + 1}`, type: v.type, id });
    // Outer joins leave the unmatched side null; Kusto strings are never null.
    return `${v.type === 'string' ? `COALESCE(${v.sql}, '')` : v.sql} AS ${id}`;
  });
  return { sql: `SELECT ${parts.join(', ')} FROM ${from}`, cols };
}
