import type { KustoType } from '../../contracts.js';
import { DUCKDB_TYPE } from '../../storage-types.js';
import type { SqlExpr } from '../context.js';
import { semanticError, unsupported } from '../errors.js';
import { parseDateTimeTicks, parseTimespanTicks } from '../literals.js';
import { bigint, real, str } from '../sql.js';
import { child, elements, kindName, type Node } from '../syntax.js';
import { toDynamicSql } from './conversions.js';

/** Literal expressions (`123`, `'s'`, `datetime(...)`, `1d`, `dynamic({...})`, `long(null)`) as SQL. */

function typedNull(type: KustoType): SqlExpr {
  return { sql: type === 'string' ? `''` : `CAST(NULL AS ${DUCKDB_TYPE[type]})`, type };
}

/** The text between `name(` and `)` of a typed literal such as `real(nan)`; undefined for plain tokens. */
function innerText(token: string): string | undefined {
  const m = /^[a-z]+\s*\(\s*(.*?)\s*\)$/is.exec(token);
  return m ? m[1] : undefined;
}

function literalToken(node: Node): string {
  const t = child(node, 'Token');
  return t ? t.Text : '';
}

const LITERAL_KINDS: Readonly<Record<string, (node: Node, text: string) => SqlExpr>> = {
  LongLiteralExpression: (node, text) => {
    const inner = innerText(text) ?? text;
    if (/^null$/i.test(inner)) return typedNull('long');
    return { sql: bigint(String(node.LiteralValue ?? inner)), type: 'long' };
  },
  IntLiteralExpression: (_node, text) => {
    const inner = innerText(text) ?? text;
    if (/^null$/i.test(inner)) return typedNull('int');
    return { sql: `CAST(${BigInt(inner.replace(/^\+/, ''))} AS INTEGER)`, type: 'int' };
  },
  RealLiteralExpression: (_node, text) => {
    const inner = (innerText(text) ?? text).toLowerCase();
    if (inner === 'null') return typedNull('real');
    if (inner === 'nan') return { sql: real(NaN), type: 'real' };
    if (inner === '+inf' || inner === 'inf') return { sql: real(Infinity), type: 'real' };
    if (inner === '-inf') return { sql: real(-Infinity), type: 'real' };
    return { sql: real(Number(inner)), type: 'real' };
  },
  DecimalLiteralExpression: (_node, text) => {
    const inner = innerText(text) ?? text;
    if (/^null$/i.test(inner)) return typedNull('decimal');
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(inner)) throw unsupported('Syntax', text, 'decimal literal form');
    return { sql: `CAST(${str(inner)} AS DECIMAL(38,18))`, type: 'decimal' };
  },
  BooleanLiteralExpression: (_node, text) => {
    const inner = (innerText(text) ?? text).toLowerCase();
    if (inner === 'null') return typedNull('bool');
    return { sql: inner === 'true' || inner === '1' ? 'true' : 'false', type: 'bool' };
  },
  StringLiteralExpression: (node) => ({ sql: str(String(node.LiteralValue ?? '')), type: 'string' }),
  CompoundStringLiteralExpression: (node) => ({ sql: str(String(node.LiteralValue ?? '')), type: 'string' }),
  DateTimeLiteralExpression: (_node, text) => {
    const inner = innerText(text) ?? text;
    if (/^null$/i.test(inner)) return typedNull('datetime');
    const ticks = parseDateTimeTicks(inner);
    if (ticks === undefined) throw semanticError(`cannot read the datetime literal ${text}`);
    return { sql: bigint(ticks), type: 'datetime' };
  },
  TimespanLiteralExpression: (_node, text) => {
    const ticks = parseTimespanTicks(text);
    if (ticks === null) return typedNull('timespan');
    if (ticks === undefined) throw semanticError(`cannot read the timespan literal ${text}`);
    return { sql: bigint(ticks), type: 'timespan' };
  },
  GuidLiteralExpression: (_node, text) => {
    const inner = innerText(text) ?? text;
    if (/^null$/i.test(inner)) return typedNull('guid');
    return { sql: `CAST(${str(inner)} AS UUID)`, type: 'guid' };
  },
  NullLiteralExpression: () => ({ sql: 'NULL', type: 'dynamic' }),
};

export function isLiteralKind(kind: string): boolean {
  return kind in LITERAL_KINDS || kind === 'DynamicExpression';
}

export function literal(node: Node): SqlExpr {
  const kind = kindName(node);
  if (kind === 'DynamicExpression') return dynamicLiteral(node);
  const build = LITERAL_KINDS[kind];
  if (!build) throw unsupported('Syntax', kind);
  const token = kind === 'CompoundStringLiteralExpression' ? '' : literalToken(node);
  return build(node, token);
}

/** The JSON text of a `dynamic(...)` literal, built from its syntax (Kusto literals inside it become JSON). */
function jsonOf(node: Node): string {
  const kind = kindName(node);
  switch (kind) {
    case 'JsonObjectExpression': {
      const pairs = elements(child(node, 'Pairs')).map((pair) => {
        const nameToken = child(pair, 'Name');
        const value = child(pair, 'Value');
        if (!nameToken || !value) throw unsupported('Syntax', 'dynamic', 'malformed property');
        return `${JSON.stringify(decodeStringToken(nameToken.Text))}:${jsonOf(value)}`;
      });
      return `{${pairs.join(',')}}`;
    }
    case 'JsonArrayExpression':
      return `[${elements(child(node, 'Values')).map(jsonOf).join(',')}]`;
    case 'NullLiteralExpression':
      return 'null';
    case 'LongLiteralExpression':
    case 'IntLiteralExpression':
      return literalToken(node);
    case 'RealLiteralExpression': {
      const v = Number(literalToken(node));
      return Number.isFinite(v) ? literalToken(node) : JSON.stringify(String(v));
    }
    case 'BooleanLiteralExpression':
      return literalToken(node).toLowerCase() === 'true' ? 'true' : 'false';
    case 'StringLiteralExpression':
    case 'CompoundStringLiteralExpression':
      return JSON.stringify(String(node.LiteralValue ?? ''));
    case 'UnaryMinusExpression': {
      const inner = child(node, 'Expression');
      if (!inner) break;
      return `-${jsonOf(inner)}`;
    }
    case 'DateTimeLiteralExpression':
    case 'TimespanLiteralExpression':
    case 'GuidLiteralExpression':
    case 'DecimalLiteralExpression':
      // Rendered by the same SQL as tostring(), then embedded: computed at query time.
      return `\u0000${kind}\u0000`;
    default:
      break;
  }
  throw unsupported('Syntax', `dynamic literal element ${kind}`);
}

function decodeStringToken(text: string): string {
  if (/^"/.test(text)) return JSON.parse(text) as string;
  if (/^'/.test(text)) return text.slice(1, -1).replace(/\\'/g, "'").replace(/\\\\/g, '\\');
  return text;
}

function dynamicLiteral(node: Node): SqlExpr {
  const inner = child(node, 'Expression');
  if (!inner) return { sql: 'CAST(NULL AS JSON)', type: 'dynamic' };
  if (kindName(inner) === 'NullLiteralExpression') return { sql: 'CAST(NULL AS JSON)', type: 'dynamic' };
  const scalarKind = kindName(inner);
  if (scalarKind !== 'JsonObjectExpression' && scalarKind !== 'JsonArrayExpression') {
    const scalar = literal(inner);
    return { sql: toDynamicSql(scalar), type: 'dynamic' };
  }
  const json = jsonOf(inner);
  if (json.includes('\u0000')) throw unsupported('Syntax', 'dynamic', 'datetime, timespan, guid and decimal values inside dynamic literals');
  return { sql: `CAST(${str(json)} AS JSON)`, type: 'dynamic' };
}
