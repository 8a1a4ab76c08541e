import type { KustoType } from '../../contracts.js';
import { findCol, type RowScope, type ScalarScope, type SqlExpr, storageCast } from '../context.js';
import { semanticError, unsupported } from '../errors.js';
import { str } from '../sql.js';
import { child, elements, kindName, type Node, semanticColumns, semanticType, simpleName } from '../syntax.js';
import { callFunction } from '../functions/index.js';
import { binary, betweenExpr, inExpr } from './binary-operators.js';
import { convert } from './conversions.js';
import { isLiteralKind, literal } from './literal-expressions.js';

/** The scalar-expression visitor: one syntax node in, one SQL expression (in storage form) out. */

export type TabularTranslator = (node: Node, sc: ScalarScope) => { sql: string; firstColumn: SqlExpr };
let tabularHook: TabularTranslator | undefined;
/** Lets `x in (T | project y)` reach the tabular translator without an import cycle. */
export function setTabularTranslator(hook: TabularTranslator): void {
  tabularHook = hook;
}
export function subquery(node: Node, sc: ScalarScope): { sql: string; firstColumn: SqlExpr } {
  if (!tabularHook) throw new Error('tabular translator not registered');
  return tabularHook(node, sc);
}

function requireTabular(node: Node): Node {
  const inner = child(node, 'Expression');
  if (!inner) throw unsupported('Function', 'toscalar', 'missing argument');
  return inner;
}

export function isTabular(node: Node): boolean {
  return semanticColumns(node) !== undefined;
}

function resolveName(name: string, sc: ScalarScope, node: Node): SqlExpr {
  const col = findCol(sc.row, name);
  if (col && sc.row) return { sql: `${sc.row.alias}.${col.id}`, type: col.type };
  const bound = sc.ctx.lets.get(name);
  if (bound?.kind === 'scalar') return bound.expr;
  throw semanticError(`The name '${name}' does not refer to any known column, table, variable or function.`, sc.ctx.text, node.TextStart);
}

function sideColumn(side: RowScope | undefined, name: string, node: Node, sc: ScalarScope): SqlExpr {
  const col = findCol(side, name);
  if (!col || !side) throw semanticError(`The name '${name}' does not refer to a column of the join side.`, sc.ctx.text, node.TextStart);
  return { sql: `${side.alias}.${col.id}`, type: col.type };
}

/** `d.a`, `d["a"]`, `d[0]`, `$left.x`. */
function pathExpr(node: Node, sc: ScalarScope): SqlExpr {
  const target = child(node, 'Expression');
  const selector = child(node, 'Selector');
  if (!target || !selector) throw unsupported('Syntax', 'path expression');
  const side = kindName(target) === 'NameReference' ? simpleName(target) : '';
  if (side === '$left' || side === '$right') {
    return sideColumn(side === '$left' ? sc.left : sc.right, simpleName(selector), selector, sc);
  }
  const base = convert(scalar(target, sc), 'dynamic');
  return { sql: `json_extract(${base.sql}, ${str(`$.${jsonKey(simpleName(selector))}`)})`, type: 'dynamic' };
}

function jsonKey(key: string): string {
  return `"${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function elementExpr(node: Node, sc: ScalarScope): SqlExpr {
  const target = child(node, 'Expression');
  const selector = child(node, 'Selector');
  const indexNode = selector ? child(selector, 'Expression') : null;
  if (!target || !indexNode) throw unsupported('Syntax', 'element access');
  const base = convert(scalar(target, sc), 'dynamic');
  const index = scalar(indexNode, sc);
  if (index.type === 'string') {
    return { sql: `json_extract(${base.sql}, '$."' || replace(replace(${index.sql}, '\\', '\\\\'), '"', '\\"') || '"')`, type: 'dynamic' };
  }
  if (index.type === 'long' || index.type === 'int') {
    // Kusto counts negative indexes from the end of the array.
    const i = `CAST(${index.sql} AS BIGINT)`;
    return { sql: `json_extract(${base.sql}, '$[' || CASE WHEN ${i} < 0 THEN '#' || CAST(${i} AS VARCHAR) ELSE CAST(${i} AS VARCHAR) END || ']')`, type: 'dynamic' };
  }
  throw semanticError('dynamic element access needs a string or integer index', sc.ctx.text, indexNode.TextStart);
}

function unaryMinus(node: Node, sc: ScalarScope): SqlExpr {
  const inner = child(node, 'Expression');
  if (!inner) throw unsupported('Syntax', 'unary minus');
  const e = scalar(inner, sc);
  return { sql: `(-${e.sql})`, type: e.type };
}

export function scalar(node: Node, sc: ScalarScope): SqlExpr {
  const kind = kindName(node);
  if (isLiteralKind(kind)) return literal(node);
  switch (kind) {
    case 'NameReference':
      return resolveName(simpleName(node), sc, node);
    case 'ParenthesizedExpression': {
      const inner = child(node, 'Expression');
      if (!inner) throw unsupported('Syntax', 'empty parentheses');
      return scalar(inner, sc);
    }
    case 'UnaryMinusExpression':
      return unaryMinus(node, sc);
    case 'UnaryPlusExpression': {
      const inner = child(node, 'Expression');
      if (!inner) throw unsupported('Syntax', 'unary plus');
      return scalar(inner, sc);
    }
    case 'PathExpression':
      return pathExpr(node, sc);
    case 'ElementExpression':
      return elementExpr(node, sc);
    case 'FunctionCallExpression':
      return callFunction(node, sc, resultType(node));
    case 'BetweenExpression':
    case 'NotBetweenExpression':
      return betweenExpr(node, sc, kind === 'NotBetweenExpression');
    case 'InExpression':
    case 'NotInExpression':
    case 'InCsExpression':
    case 'NotInCsExpression':
      return inExpr(node, sc);
    case 'ToScalarExpression': {
      // An uncorrelated scalar subquery: the first column of the first row.
      const sub = subquery(requireTabular(node), sc);
      return { sql: storageCast(`(${sub.sql} LIMIT 1)`, resultType(node)), type: resultType(node) };
    }
    default:
      if (child(node, 'Operator') && child(node, 'Left') && child(node, 'Right')) return binary(node, sc, resultType(node));
      throw unsupported('Syntax', kind);
  }
}

/** The analyser's type of an expression; 'dynamic' when it could not tell (the analyser reports errors separately). */
export function resultType(node: Node): KustoType {
  return semanticType(node) ?? 'dynamic';
}

/** A scalar converted to the storage type the analyser assigns to the expression. */
export function scalarAs(node: Node, sc: ScalarScope, type: KustoType): SqlExpr {
  const e = scalar(node, sc);
  if (e.type === type) return e;
  const converted = convert(e, type);
  return { sql: storageCast(converted.sql, type), type };
}

export function scalarList(list: Node | null, sc: ScalarScope): SqlExpr[] {
  return elements(list).map((e) => scalar(e, sc));
}
