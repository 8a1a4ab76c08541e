import type { KustoType } from '../../contracts.js';
import type { Col, Ctx, Rel, RowScope, ScalarScope } from '../context.js';
import { unsupported } from '../errors.js';
import { child, elements, kindName, type Node, semanticColumns, simpleName, sourceText } from '../syntax.js';

/** Shared helpers for tabular operators. */

export interface OperatorInput {
  readonly ctx: Ctx;
  /** The relation flowing in from the left of the pipe. */
  readonly input: Rel;
  /** The operator node (e.g. FilterOperator). */
  readonly op: Node;
  /** The node whose semantic type is the operator's output (the PipeExpression). */
  readonly result: Node;
}
export type OperatorImpl = (o: OperatorInput) => Rel;

export function rowScope(ctx: Ctx, alias: string, rel: Rel): ScalarScope {
  const row: RowScope = { alias, cols: rel.cols };
  return { ctx, row };
}

/** The analyser's output columns of a tabular node. */
export function outputColumns(node: Node, what: string): { name: string; type: KustoType | undefined }[] {
  const cols = semanticColumns(node);
  if (!cols) throw unsupported('Operator', what, 'the result schema could not be determined');
  return cols;
}

/** Passes the input's columns through under new names/types, reusing the same SQL. */
export function passThrough(input: Rel, cols?: readonly Col[]): Rel {
  return { sql: input.sql, cols: cols ?? input.cols };
}

/** `name=value` named parameters of an operator (`kind=leftouter`, `withsource=S`), lower-cased names. */
export function namedParameters(ctx: Ctx, op: Node): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of elements(child(op, 'Parameters'))) {
    if (kindName(p) !== 'NamedParameter') continue;
    const name = child(p, 'Name');
    const value = child(p, 'Expression');
    if (!name || !value) continue;
    out.set(simpleName(name).toLowerCase(), sourceText(ctx.text, value).trim());
  }
  return out;
}

/** Rejects operator parameters we do not implement instead of silently ignoring them. */
export function onlyParameters(ctx: Ctx, op: Node, opName: string, allowed: readonly string[]): Map<string, string> {
  const params = namedParameters(ctx, op);
  for (const key of params.keys()) {
    if (!allowed.includes(key)) throw unsupported('Operator', opName, `parameter '${key}'`);
  }
  return params;
}

/** Selects input columns by the names of an output schema (project-away, project-keep, project-reorder, distinct *). */
export function selectByName(input: Rel, names: readonly string[], opName: string): Rel {
  const cols = names.map((n) => {
    const c = input.cols.find((ic) => ic.name === n);
    if (!c) throw unsupported('Operator', opName, `column '${n}' of the result has no source column`);
    return c;
  });
  const alias = 'p';
  return { sql: `SELECT ${cols.map((c) => `${alias}.${c.id}`).join(', ') || 'NULL AS _none'} FROM (${input.sql}) AS ${alias}`, cols };
}
