import { createRequire } from 'node:module';
import type { KustoColumn } from '../contracts.js';

/**
 * The one place that loads Microsoft's KQL parser (`@kusto/language-service-next`, a Bridge.NET
 * build of Kusto.Language). It is not a normal module: it needs the Bridge runtime loaded first and
 * attaches globals (`Bridge`, `System`, `Kusto`). Loading costs ~0.3 s and the first parse ~1 s, so
 * it is loaded lazily, once, and analysed queries are cached by (schema, text) in a bounded LRU.
 */

/** The slice of the Bridge object model the translator walks. */
export interface SyntaxElement {
  readonly Kind: number;
  readonly ChildCount: number;
  readonly IsToken: boolean;
  readonly Text: string;
  readonly TextStart: number;
  readonly End: number;
  GetChild(index: number): SyntaxElement | null;
  GetName(index: number): string;
  /** Semantic type, present on expressions after analysis. */
  readonly ResultType?: TypeSymbol | null;
  readonly LiteralValue?: unknown;
  readonly ReferencedSymbol?: { readonly Name?: string } | null;
}
export interface TypeSymbol {
  readonly Name: string;
  readonly Columns?: DotNetList<{ readonly Name: string; readonly Type: TypeSymbol }>;
}
export interface DotNetList<T> {
  readonly Count: number;
  getItem(index: number): T;
}
export interface Diagnostic {
  readonly Code: string;
  readonly Severity: string;
  readonly Message: string;
  readonly Start: number;
  readonly Length: number;
}
export interface KustoCode {
  readonly Kind: string;
  readonly Text: string;
  readonly Syntax: SyntaxElement;
  readonly ResultType: TypeSymbol | null;
  GetSyntaxDiagnostics(): DotNetList<Diagnostic>;
  GetDiagnostics(): DotNetList<Diagnostic>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the Bridge globals are untyped JS */
interface LanguageService {
  readonly Kusto: any;
  readonly Bridge: any;
  readonly System: any;
  readonly kindNames: Map<number, string>;
}

let service: LanguageService | undefined;

function load(): LanguageService {
  if (service) return service;
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  const g = globalThis as any;
  service = { Kusto: g.Kusto, Bridge: g.Bridge, System: g.System, kindNames: new Map() };
  return service;
}

/** The SyntaxKind name of a node or token, e.g. `PipeExpression`, `FilterOperator`. */
export function kindName(node: SyntaxElement): string {
  const s = load();
  let name = s.kindNames.get(node.Kind);
  if (name === undefined) {
    name = String(s.System.Enum.toString(s.Kusto.Language.Syntax.SyntaxKind, node.Kind));
    s.kindNames.set(node.Kind, name);
  }
  return name;
}

/** The CLR class name of a node, e.g. `Kusto.Language.Symbols.DynamicArraySymbol`. */
export function clrTypeName(value: unknown): string {
  return String(load().Bridge.getTypeName(value));
}

/** Kusto.Language's own naming rule for an unnamed projected expression, or null when it would generate `ColumnN`. */
export function expressionResultName(expr: SyntaxElement): string | null {
  const name = load().Kusto.Language.KustoFacts.GetExpressionResultName(expr, null, null) as string | null;
  return name === null || name === undefined || name === '' ? null : name;
}

const SCALAR_SYMBOL: Readonly<Record<KustoColumn['type'], string>> = {
  bool: 'Bool', int: 'Int', long: 'Long', real: 'Real', decimal: 'Decimal', string: 'String',
  guid: 'Guid', datetime: 'DateTime', timespan: 'TimeSpan', dynamic: 'Dynamic',
};

export interface SchemaTable {
  readonly name: string;
  readonly columns: readonly KustoColumn[];
}

const GLOBALS_CACHE_SIZE = 16;
const globalsCache = new Map<string, unknown>();
const CODE_CACHE_SIZE = 256;
const codeCache = new Map<string, KustoCode>();

function remember<V>(cache: Map<string, V>, key: string, value: V, limit: number): V {
  cache.set(key, value);
  if (cache.size > limit) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  return value;
}

function recall<V>(cache: Map<string, V>, key: string): V | undefined {
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

/** Symbols are built from ColumnSymbol objects (not a schema string) so that any column name works. */
function globalsFor(tables: readonly SchemaTable[], schemaKey: string): unknown {
  const cached = recall(globalsCache, schemaKey);
  if (cached !== undefined) return cached;
  const { Kusto } = load();
  const S = Kusto.Language.Symbols;
  const tableSymbols = tables.map((t) => {
    const cols = t.columns.map((c) => new S.ColumnSymbol(c.name, S.ScalarTypes[SCALAR_SYMBOL[c.type]], null, null, null, null));
    return new S.TableSymbol.$ctor4(t.name, cols);
  });
  const db = new S.DatabaseSymbol.$ctor1('db', tableSymbols, false);
  const cluster = new S.ClusterSymbol.$ctor1('emulator', [db], false);
  const globals = Kusto.Language.GlobalState.Default.WithCluster(cluster).WithDatabase(db);
  return remember(globalsCache, schemaKey, globals, GLOBALS_CACHE_SIZE);
}

/** Parses and semantically analyses a query against the given tables; cached by (schema, text). */
export function analyze(text: string, tables: readonly SchemaTable[]): KustoCode {
  const schemaKey = JSON.stringify(tables.map((t) => [t.name, t.columns.map((c) => [c.name, c.type])]));
  const key = `${schemaKey}\u0000${text}`;
  const cached = recall(codeCache, key);
  if (cached) return cached;
  const { Kusto } = load();
  const code = Kusto.Language.KustoCode.ParseAndAnalyze(text, globalsFor(tables, schemaKey)) as KustoCode;
  return remember(codeCache, key, code, CODE_CACHE_SIZE);
}

/** Loads the parser and pays its one-off grammar initialisation (~1 s) now rather than on the first query. */
export function warmUp(): void {
  analyze('T | where a > 1 | summarize count() by b | take 1', [{ name: 'T', columns: [{ name: 'a', type: 'long' }, { name: 'b', type: 'string' }] }]);
}

let aggregateNames: Set<string> | undefined;
/** True when Kusto knows `name` as an aggregate function (for precise "not supported" messages). */
export function isKustoAggregate(name: string): boolean {
  if (!aggregateNames) {
    const all = load().Kusto.Language.Aggregates.All as DotNetList<{ Name: string }> | { Name: string }[];
    const items = Array.isArray(all) ? all : Array.from({ length: all.Count }, (_, i) => all.getItem(i));
    aggregateNames = new Set(items.map((f) => f.Name));
  }
  return aggregateNames.has(name);
}
