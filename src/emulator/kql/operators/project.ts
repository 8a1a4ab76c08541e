import type { KustoType } from '../../contracts.js';
import type { Col, SqlExpr } from '../context.js';
import { unsupported } from '../errors.js';
import { expressionResultName } from '../parser.js';
import { scalarAs, scalar } from '../scalar/expression.js';
import { child, elements, kindName, type Node, simpleName } from '../syntax.js';
import { type OperatorImpl, outputColumns, passThrough, rowScope, selectByName } from './common.js';

/** project, extend, project-away, project-keep, project-rename, project-reorder. */

/** Splits `name = expr` / `expr` into its parts. */
export function namedExpression(node: Node): { name: string | null; expr: Node } {
  if (kindName(node) === 'SimpleNamedExpression') {
    const nameNode = child(node, 'Name');
    const expr = child(node, 'Expression');
    if (!nameNode || !expr) throw unsupported('Syntax', 'named expression');
    return { name: simpleName(nameNode), expr };
  }
  if (kindName(node) === 'CompoundNamedExpression') throw unsupported('Syntax', '(a, b) = ... tuple assignment');
  return { name: null, expr: node };
}

function evaluate(expr: Node, scope: ReturnType<typeof rowScope>, type: KustoType | undefined): SqlExpr {
  return type ? scalarAs(expr, scope, type) : scalar(expr, scope);
}

export const project: OperatorImpl = ({ ctx, input, op, result }) => {
  const exprs = elements(child(op, 'Expressions'));
  const outputs = outputColumns(result, 'project');
  if (outputs.length !== exprs.length) throw unsupported('Operator', 'project', 'an expression that yields several columns');
  const alias = ctx.nextId('t');
  const scope = rowScope(ctx, alias, input);
  const cols: Col[] = [];
  const parts: string[] = [];
  exprs.forEach((node, i) => {
    const out = outputs[i];
    if (!out) return;
    const value = evaluate(namedExpression(node).expr, scope, out.type);
    const id = ctx.nextId();
    cols.push({ name: out.name, type: value.type, id });
    parts.push(`${value.sql} AS ${id}`);
  });
  return { sql: `SELECT ${parts.join(', ') || 'NULL AS _none'} FROM (${input.sql}) AS ${alias}`, cols };
};

/** New columns are appended; assigning an existing name replaces that column in place. */
export const extend: OperatorImpl = ({ ctx, input, op, result }) => {
  const outputs = outputColumns(result, 'extend');
  const inputNames = new Set(input.cols.map((c) => c.name));
  const alias = ctx.nextId('t');
  const scope = rowScope(ctx, alias, input);
  const assigned = new Map<string, SqlExpr>();
  const exprs = elements(child(op, 'Expressions')).map(namedExpression);
  const explicit = new Set(exprs.map((e) => e.name ?? (e.expr ? expressionResultName(e.expr) : null)).filter((n): n is string => n !== null));
  // Unnamed expressions that Kusto names `ColumnN` take, in order, the new output names nobody else claims.
  const generated = outputs.map((o) => o.name).filter((n) => !inputNames.has(n) && !explicit.has(n));
  for (const { name, expr } of exprs) {
    const finalName = name ?? expressionResultName(expr) ?? generated.shift();
    if (finalName === undefined) throw unsupported('Operator', 'extend', 'could not name an unnamed expression');
    const type = outputs.find((o) => o.name === finalName)?.type;
    assigned.set(finalName, evaluate(expr, scope, type));
  }
  const cols: Col[] = [];
  const parts: string[] = [];
  for (const out of outputs) {
    const value = assigned.get(out.name);
    const existing = input.cols.find((c) => c.name === out.name);
    const id = ctx.nextId();
    if (value) {
      cols.push({ name: out.name, type: value.type, id });
      parts.push(`${value.sql} AS ${id}`);
    } else if (existing) {
      cols.push({ name: out.name, type: existing.type, id });
      parts.push(`${alias}.${existing.id} AS ${id}`);
    } else {
      throw unsupported('Operator', 'extend', `column '${out.name}' of the result has no source`);
    }
  }
  return { sql: `SELECT ${parts.join(', ')} FROM (${input.sql}) AS ${alias}`, cols };
};

export const projectByName: (name: string) => OperatorImpl = (name) => ({ input, result }) =>
  selectByName(input, outputColumns(result, name).map((c) => c.name), name);

/** project-rename keeps column positions, so only the names change. */
export const projectRename: OperatorImpl = ({ input, result }) => {
  const outputs = outputColumns(result, 'project-rename');
  if (outputs.length !== input.cols.length) throw unsupported('Operator', 'project-rename', 'unexpected result schema');
  return passThrough(input, input.cols.map((c, i) => ({ ...c, name: outputs[i]?.name ?? c.name })));
};

