// Microsoft's Kusto parser (@kusto/language-service-next) for tests: it proves that the text kjob builds
// lexes and parses as intended. The package attaches globals (Bridge, System, Kusto) when loaded.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
let loaded = false;
function g(): Any {
  if (!loaded) {
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    loaded = true;
  }
  return globalThis as Any;
}

export interface ParsedNode {
  kind: string;
  text?: string;
  literal?: unknown;
  role?: string;
  children: ParsedNode[];
}

export interface ParsedKql {
  kind: 'Query' | 'Command' | string;
  diagnostics: string[];
  commandKind: string | undefined;
  root: ParsedNode;
}

function convert(n: Any, role: string | undefined): ParsedNode {
  const G = g();
  const node: ParsedNode = { kind: G.System.Enum.toString(G.Kusto.Language.Syntax.SyntaxKind, n.Kind), children: [] };
  if (role) node.role = role;
  if (n.IsToken) node.text = n.Text;
  else if (n.LiteralValue !== undefined && n.LiteralValue !== null) {
    const v = n.LiteralValue;
    node.literal = typeof v === 'object' && v !== null && '$boxed' in v ? v.v : typeof v === 'object' ? String(v) : v;
  }
  for (let i = 0; i < n.ChildCount; i++) {
    const c = n.GetChild(i);
    if (c) node.children.push(convert(c, n.GetName(i) || undefined));
  }
  return node;
}

export function parseKql(text: string): ParsedKql {
  const G = g();
  const code = G.Kusto.Language.KustoCode.Parse(text);
  const list = G.System.Linq.Enumerable.from(code.GetSyntaxDiagnostics());
  const diagnostics: string[] = [];
  for (let i = 0, n = list.count(); i < n; i++) diagnostics.push(String(list.elementAt(i).Message));
  let commandKind: string | undefined;
  (function walk(n: Any): void {
    if (commandKind) return;
    if (n.CommandKind) {
      commandKind = n.CommandKind;
      return;
    }
    for (let i = 0; i < n.ChildCount; i++) {
      const c = n.GetChild(i);
      if (c) walk(c);
    }
  })(code.Syntax);
  return { kind: code.Kind, diagnostics, commandKind, root: convert(code.Syntax, undefined) };
}

/** Depth-first list of nodes of a kind. */
export function findNodes(root: ParsedNode, kind: string): ParsedNode[] {
  const out: ParsedNode[] = [];
  (function walk(n: ParsedNode): void {
    if (n.kind === kind) out.push(n);
    n.children.forEach(walk);
  })(root);
  return out;
}

/** The value of the single string literal in `print <literal>`. */
export function stringLiteralValue(literal: string): unknown {
  const parsed = parseKql(`print x = ${literal}`);
  if (parsed.diagnostics.length) throw new Error(`${literal}: ${parsed.diagnostics.join('; ')}`);
  const lits = findNodes(parsed.root, 'StringLiteralExpression');
  if (lits.length === 0) throw new Error(`no string literal in ${literal}`);
  return lits.map((l) => l.literal).join('');
}

/** Compact shape of an expression tree: kinds of non-token nodes, with literal values. */
export function shape(n: ParsedNode): string {
  if (n.text !== undefined) return n.kind === 'IdentifierToken' ? n.text : '';
  const kids = n.children.map(shape).filter((s) => s !== '');
  const lit = n.literal !== undefined && n.kind.endsWith('LiteralExpression') ? `=${JSON.stringify(n.literal)}` : '';
  if (n.kind === 'List' || n.kind === 'SeparatedElement' || n.kind === 'TokenName' || n.kind === 'BracketedName') return kids.join(',');
  return `${n.kind}${lit}${kids.length ? `(${kids.join(',')})` : ''}`;
}
