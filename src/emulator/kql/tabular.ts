import type { Ctx, Rel, ScalarScope, SqlExpr } from './context.js';
import { semanticError, unsupported } from './errors.js';
import type { OperatorImpl } from './operators/common.js';
import { count, distinct, evaluate, getschema, passThroughOperator } from './operators/distinct-count.js';
import { filter } from './operators/filter.js';
import { join, lookup } from './operators/join.js';
import { mvApply } from './operators/mv-apply.js';
import { mvExpand } from './operators/mv-expand.js';
import { extend, project, projectByName, projectRename } from './operators/project.js';
import { sort, take, top } from './operators/sort-take.js';
import { datatable, print, range } from './operators/sources.js';
import { summarize } from './operators/summarize.js';
import { tableRel, union, unionSource } from './operators/union.js';
import { functionArguments } from './functions/index.js';
import { setTabularTranslator } from './scalar/expression.js';
import { child, kindName, type Node, requireChild, simpleName, sourceText } from './syntax.js';

/** The exhaustive operator dispatch table, keyed by SyntaxKind name; anything else is "not supported". */
const OPERATORS: Readonly<Record<string, OperatorImpl>> = {
  FilterOperator: filter,
  ProjectOperator: project,
  ExtendOperator: extend,
  ProjectAwayOperator: projectByName('project-away'),
  ProjectKeepOperator: projectByName('project-keep'),
  ProjectReorderOperator: projectByName('project-reorder'),
  ProjectRenameOperator: projectRename,
  SummarizeOperator: summarize,
  CountOperator: count,
  TakeOperator: take,
  TopOperator: top,
  SortOperator: sort,
  DistinctOperator: distinct,
  JoinOperator: join,
  LookupOperator: lookup,
  RenderOperator: passThroughOperator,
  UnionOperator: union,
  GetSchemaOperator: getschema,
  EvaluateOperator: evaluate,
  MvExpandOperator: mvExpand,
  MvApplyOperator: mvApply,
  AsOperator: passThroughOperator,
  SerializeOperator: passThroughOperator,
};

export function supportedOperatorKinds(): string[] {
  return Object.keys(OPERATORS).sort();
}

/** The KQL spelling of an operator for error messages (`mv-apply`, not MvApplyOperator). */
function operatorWord(ctx: Ctx, op: Node): string {
  const text = sourceText(ctx.text, op).trim();
  const m = /^[a-z][a-z0-9_-]*/i.exec(text);
  return m ? m[0] : kindName(op);
}

export function translateTabular(node: Node, ctx: Ctx): Rel {
  const kind = kindName(node);
  switch (kind) {
    case 'PipeExpression': {
      const input = translateTabular(requireChild(node, 'Expression'), ctx);
      const op = requireChild(node, 'Operator');
      const impl = OPERATORS[kindName(op)];
      if (!impl) throw unsupported('Operator', operatorWord(ctx, op));
      return impl({ ctx, input, op, result: node });
    }
    case 'ParenthesizedExpression':
    case 'MaterializeExpression': // materialize() is a caching hint: the rows are the same without it
      return translateTabular(requireChild(node, 'Expression'), ctx);
    case 'NameReference':
      return tableReference(ctx, simpleName(node), node);
    case 'PrintOperator':
      return print(ctx, node);
    case 'RangeOperator':
      return range(ctx, node);
    case 'DataTableExpression':
      return datatable(ctx, node);
    case 'UnionOperator':
      return unionSource(ctx, node);
    case 'FunctionCallExpression': {
      const name = child(node, 'Name');
      const fn = name ? simpleName(name) : 'function';
      const arg = functionArguments(node)[0];
      // table('T') names a table of the current database.
      if (fn === 'table' && arg && typeof arg.LiteralValue === 'string' && functionArguments(node).length === 1) return tableReference(ctx, arg.LiteralValue, node);
      throw unsupported('Function', fn, 'tabular functions');
    }
    case 'PathExpression':
      throw unsupported('Syntax', sourceText(ctx.text, node).trim(), 'cross-database and cross-cluster references');
    default: {
      // The first operator of an mv-apply subquery has no left input: it reads the expanded rows.
      const impl = OPERATORS[kind];
      if (impl && ctx.implicitInput) return impl({ ctx, input: ctx.implicitInput, op: node, result: node });
      throw unsupported(kind.endsWith('Operator') ? 'Operator' : 'Syntax', kind.endsWith('Operator') ? operatorWord(ctx, node) : kind);
    }
  }
}

function tableReference(ctx: Ctx, name: string, node: Node): Rel {
  const bound = ctx.lets.get(name);
  if (bound?.kind === 'tabular') return bound.rel;
  const table = ctx.catalog.table(name);
  if (!table) {
    throw semanticError(`'${name}' does not refer to any known table, tabular variable or function. Known tables: ${ctx.catalog.tableNames().join(', ') || '(none)'}`, ctx.text, node.TextStart);
  }
  return tableRel(ctx, name, table.sqlName, table.columns);
}

setTabularTranslator((node: Node, sc: ScalarScope): { sql: string; firstColumn: SqlExpr } => {
  const rel = translateTabular(node, sc.ctx);
  const first = rel.cols[0];
  if (!first) throw unsupported('Operator', 'in', 'a tabular expression without columns');
  const alias = sc.ctx.nextId('q');
  return { sql: `SELECT ${alias}.${first.id} FROM (${rel.sql}) AS ${alias}`, firstColumn: { sql: first.id, type: first.type } };
});
