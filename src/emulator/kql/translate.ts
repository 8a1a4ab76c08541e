import type { KustoColumn } from '../contracts.js';
import { KustoServiceError } from '../contracts.js';
import type { Binding, Catalog, Ctx } from './context.js';
import { semanticError, syntaxError, unsupported } from './errors.js';
import { analyze, type Diagnostic, type DotNetList, type SchemaTable } from './parser.js';
import { scalar } from './scalar/expression.js';
import { ident } from './sql.js';
import { elements, kindName, type Node, requireChild, semanticColumns, simpleName } from './syntax.js';
import { translateTabular } from './tabular.js';
import { TICKS } from '../storage-types.js';

export type { Catalog, CatalogTable } from './context.js';

export interface TranslateOptions {
  /** For now()/ago(); default = current time. Ticks (100 ns) since the Unix epoch. */
  readonly nowTicks?: bigint;
}
export interface Translation {
  readonly sql: string;
  readonly columns: readonly KustoColumn[];
}

const COMMAND_RESULTS = '$command_results';

function schemaTables(catalog: Catalog): SchemaTable[] {
  const names = [...catalog.tableNames()];
  if (!names.includes(COMMAND_RESULTS) && catalog.table(COMMAND_RESULTS)) names.push(COMMAND_RESULTS);
  return names.flatMap((name) => {
    const t = catalog.table(name);
    return t ? [{ name, columns: t.columns }] : [];
  });
}

function list<T>(l: DotNetList<T>): T[] {
  const out: T[] = [];
  for (let i = 0; i < l.Count; i++) out.push(l.getItem(i));
  return out;
}

function checkDiagnostics(text: string, syntax: Diagnostic[], all: Diagnostic[]): void {
  const syntaxErrors = syntax.filter((d) => d.Severity === 'Error');
  const first = syntaxErrors[0];
  if (first) throw syntaxError(text, first.Message, first.Start, first.Length);
  const semantic = all.filter((d) => d.Severity === 'Error');
  const s = semantic[0];
  if (s) throw semanticError(`${s.Message} [${s.Code}]`, text, s.Start);
}

/**
 * Translates a KQL query into one DuckDB SELECT whose result columns are exactly `columns`, in
 * order, each in its storage form (storage-types.ts). Throws KustoServiceError (400) for syntax
 * errors, semantic errors and anything outside the supported subset.
 */
export function translateQuery(kql: string, catalog: Catalog, options: TranslateOptions = {}): Translation {
  const code = analyze(kql, schemaTables(catalog));
  checkDiagnostics(kql, list(code.GetSyntaxDiagnostics()), list(code.GetDiagnostics()));
  if (code.Kind !== 'Query') throw semanticError('expected a query, got a management command (commands go to /v1/rest/mgmt)');
  let counter = 0;
  const ctx: Ctx = {
    catalog,
    text: kql,
    nowTicks: options.nowTicks ?? BigInt(Date.now()) * TICKS.millisecond,
    lets: new Map<string, Binding>(),
    implicitInput: undefined,
    nextId: (prefix = 'c') => `${prefix}${++counter}`,
  };
  let result: Node | undefined;
  for (const statement of elements(requireChild(code.Syntax, 'Statements'))) {
    const kind = kindName(statement);
    if (kind === 'LetStatement') {
      bindLet(ctx, statement);
    } else if (kind === 'ExpressionStatement') {
      result = requireChild(statement, 'Expression');
    } else if (kind === 'SetOptionStatement') {
      // Query options (`set notruncation;`) change limits and hints, not results.
    } else {
      throw unsupported('Syntax', kind);
    }
  }
  if (!result) throw semanticError('the query has no tabular expression statement');
  if (!semanticColumns(result)) throw semanticError('the last statement of a query must be a tabular expression', kql, result.TextStart);
  const rel = translateTabular(result, ctx);
  const columns: KustoColumn[] = rel.cols.map((c) => ({ name: c.name, type: c.type }));
  const select = rel.cols.map((c) => `${c.type === 'string' ? `COALESCE(q.${c.id}, '')` : `q.${c.id}`} AS ${ident(c.name)}`);
  if (select.length === 0) throw semanticError('the query result has no columns');
  return { sql: `SELECT ${select.join(', ')} FROM (${rel.sql}) AS q`, columns };
}

function bindLet(ctx: Ctx, statement: Node): void {
  const name = simpleName(requireChild(statement, 'Name'));
  const expr = requireChild(statement, 'Expression');
  const kind = kindName(expr);
  if (kind === 'FunctionDeclaration') throw unsupported('Syntax', `let ${name} = (...) { ... }`, 'user-defined functions');
  if (semanticColumns(expr)) {
    ctx.lets.set(name, { kind: 'tabular', rel: translateTabular(expr, ctx) });
  } else {
    ctx.lets.set(name, { kind: 'scalar', expr: scalar(expr, { ctx }) });
  }
}

export { KustoServiceError };
