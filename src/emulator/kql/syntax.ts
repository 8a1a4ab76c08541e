import type { KustoType } from '../contracts.js';
import { clrTypeName, kindName, type SyntaxElement } from './parser.js';

/** Small helpers over the Bridge syntax tree: children by role name, lists, names, types. */

export type Node = SyntaxElement;
export { kindName };

export function child(node: Node, role: string): Node | null {
  for (let i = 0; i < node.ChildCount; i++) {
    if (node.GetName(i) === role) return node.GetChild(i);
  }
  return null;
}

export function requireChild(node: Node, role: string): Node {
  const c = child(node, role);
  if (!c) throw new Error(`KQL syntax node ${kindName(node)} has no ${role}`);
  return c;
}

export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < node.ChildCount; i++) {
    const c = node.GetChild(i);
    if (c) out.push(c);
  }
  return out;
}

/** The elements of a SyntaxList, unwrapping SeparatedElement wrappers. */
export function elements(list: Node | null): Node[] {
  if (!list) return [];
  return children(list).map((c) => (kindName(c) === 'SeparatedElement' ? c.GetChild(0) : c)).filter((c): c is Node => c !== null);
}

/** The identifier of a NameReference / NameDeclaration / Name node (`x`, `['a b']`, `["x"]`). */
export function simpleName(node: Node): string {
  const direct = (node as unknown as { SimpleName?: string }).SimpleName;
  if (typeof direct === 'string') return direct;
  const inner = child(node, 'Name');
  if (inner && inner !== node) return simpleName(inner);
  if (node.IsToken) return node.Text;
  throw new Error(`no name in ${kindName(node)}`);
}

export function tokenText(node: Node | null): string {
  return node ? node.Text : '';
}

/** The source text a node spans (without leading trivia). */
export function sourceText(text: string, node: Node): string {
  return text.slice(node.TextStart, node.End);
}

const PRIMITIVE: Readonly<Record<string, KustoType>> = {
  bool: 'bool', int: 'int', long: 'long', real: 'real', decimal: 'decimal', string: 'string',
  guid: 'guid', datetime: 'datetime', timespan: 'timespan', dynamic: 'dynamic',
};

/** The Kusto type the analyser computed for an expression, if it is a scalar type we store. */
export function semanticType(node: Node): KustoType | undefined {
  const t = node.ResultType;
  if (!t) return undefined;
  const byName = PRIMITIVE[t.Name];
  if (byName) return byName;
  if (clrTypeName(t).includes('Dynamic')) return 'dynamic';
  return undefined;
}

/** The column list of a tabular result type, mapped to storable types. */
export function semanticColumns(node: Node | { ResultType: unknown }): { name: string; type: KustoType | undefined }[] | undefined {
  const t = (node as { ResultType?: { Columns?: { Count: number; getItem(i: number): { Name: string; Type: { Name: string } } } } }).ResultType;
  if (!t?.Columns) return undefined;
  const out: { name: string; type: KustoType | undefined }[] = [];
  for (let i = 0; i < t.Columns.Count; i++) {
    const c = t.Columns.getItem(i);
    out.push({ name: c.Name, type: PRIMITIVE[c.Type.Name] ?? (clrTypeName(c.Type).includes('Dynamic') ? 'dynamic' : undefined) });
  }
  return out;
}
