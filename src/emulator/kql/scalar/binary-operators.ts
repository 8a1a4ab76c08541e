import type { KustoType } from '../../contracts.js';
import { DUCKDB_TYPE } from '../../storage-types.js';
import type { ScalarScope, SqlExpr } from '../context.js';
import { unsupported } from '../errors.js';
import { child, elements, kindName, type Node } from '../syntax.js';
import { convert } from './conversions.js';
import { isTabular, scalar, subquery } from './expression.js';

/** Binary, `in` and `between` operators with Kusto's typing, null and case rules. */

const INTEGRAL = new Set<KustoType>(['int', 'long', 'timespan', 'datetime']);

function arithmetic(op: string, l: SqlExpr, r: SqlExpr, type: KustoType): SqlExpr {
  const sqlOp = op === '%' ? '%' : op;
  if (type === 'real' || type === 'decimal' || !INTEGRAL.has(l.type) || !INTEGRAL.has(r.type)) {
    // Mixed or fractional operands: compute in double, then store as the analyser's result type
    // (an integer result of a fractional computation truncates toward zero, as in Kusto).
    const value = `(CAST(${l.sql} AS DOUBLE) ${sqlOp} CAST(${r.sql} AS DOUBLE))`;
    // DuckDB divides doubles the IEEE way, as Kusto does: x/0.0 is ±Infinity, 0.0/0.0 is NaN.
    if (type === 'real') return { sql: value, type };
    if (type === 'decimal') return { sql: `CAST(${value} AS DECIMAL(38,18))`, type };
    return { sql: `TRY_CAST(trunc(${value}) AS ${DUCKDB_TYPE[type]})`, type };
  }
  // Integer semantics: `//` truncates toward zero like C#, and both `//` and `%` by zero give null.
  const intOp = op === '/' ? '//' : sqlOp;
  return { sql: `CAST((CAST(${l.sql} AS BIGINT) ${intOp} CAST(${r.sql} AS BIGINT)) AS ${DUCKDB_TYPE[type]})`, type };
}

/** Brings two operands to one comparable type: dynamic and string sides take the other side's type. */
function unify(l: SqlExpr, r: SqlExpr): [SqlExpr, SqlExpr] {
  if (l.type === r.type) return [l, r];
  if (l.type === 'dynamic') return [convert(l, r.type), r];
  if (r.type === 'dynamic') return [l, convert(r, l.type)];
  const numeric = new Set<KustoType>(['int', 'long', 'real', 'decimal']);
  if (numeric.has(l.type) && numeric.has(r.type)) return [l, r];
  if (l.type === 'string') return [convert(l, r.type), r];
  if (r.type === 'string') return [l, convert(r, l.type)];
  return [l, r];
}

function text(e: SqlExpr): string {
  return convert(e, 'string').sql;
}

/** A regex matching `needle` as whole term(s): Kusto terms are runs of letters and digits. */
function termRegex(needleSql: string, prefixOnly: boolean, suffixOnly: boolean, caseSensitive: boolean): string {
  const flags = caseSensitive ? '' : '(?i)';
  const before = prefixOnly || !suffixOnly ? `(^|[^\\p{L}\\p{N}])` : '';
  const after = suffixOnly || !prefixOnly ? `($|[^\\p{L}\\p{N}])` : '';
  const start = suffixOnly && !prefixOnly ? '' : before;
  const end = prefixOnly && !suffixOnly ? '' : after;
  return `'${flags}${start}' || regexp_escape(${needleSql}) || '${end}'`;
}

type StringOp = (l: string, r: string) => string;
const STRING_OPERATORS: Readonly<Record<string, StringOp>> = {
  '=~': (l, r) => `(lower(${l}) = lower(${r}))`,
  '!~': (l, r) => `(lower(${l}) <> lower(${r}))`,
  contains: (l, r) => `contains(lower(${l}), lower(${r}))`,
  '!contains': (l, r) => `(NOT contains(lower(${l}), lower(${r})))`,
  contains_cs: (l, r) => `contains(${l}, ${r})`,
  '!contains_cs': (l, r) => `(NOT contains(${l}, ${r}))`,
  startswith: (l, r) => `starts_with(lower(${l}), lower(${r}))`,
  '!startswith': (l, r) => `(NOT starts_with(lower(${l}), lower(${r})))`,
  startswith_cs: (l, r) => `starts_with(${l}, ${r})`,
  '!startswith_cs': (l, r) => `(NOT starts_with(${l}, ${r}))`,
  endswith: (l, r) => `suffix(lower(${l}), lower(${r}))`,
  '!endswith': (l, r) => `(NOT suffix(lower(${l}), lower(${r})))`,
  endswith_cs: (l, r) => `suffix(${l}, ${r})`,
  '!endswith_cs': (l, r) => `(NOT suffix(${l}, ${r}))`,
  has: (l, r) => `regexp_matches(${l}, ${termRegex(r, false, false, false)})`,
  '!has': (l, r) => `(NOT regexp_matches(${l}, ${termRegex(r, false, false, false)}))`,
  has_cs: (l, r) => `regexp_matches(${l}, ${termRegex(r, false, false, true)})`,
  '!has_cs': (l, r) => `(NOT regexp_matches(${l}, ${termRegex(r, false, false, true)}))`,
  hasprefix: (l, r) => `regexp_matches(${l}, ${termRegex(r, true, false, false)})`,
  '!hasprefix': (l, r) => `(NOT regexp_matches(${l}, ${termRegex(r, true, false, false)}))`,
  hassuffix: (l, r) => `regexp_matches(${l}, ${termRegex(r, false, true, false)})`,
  '!hassuffix': (l, r) => `(NOT regexp_matches(${l}, ${termRegex(r, false, true, false)}))`,
  'matches regex': (l, r) => `regexp_matches(${l}, ${r})`,
  like: (l, r) => `(${l} LIKE ${r})`,
};

const COMPARISON = new Set(['==', '!=', '<>', '<', '<=', '>', '>=']);

export function binary(node: Node, sc: ScalarScope, type: KustoType): SqlExpr {
  const opToken = child(node, 'Operator');
  const leftNode = child(node, 'Left');
  const rightNode = child(node, 'Right');
  if (!opToken || !leftNode || !rightNode) throw unsupported('Syntax', kindName(node));
  const op = opToken.Text.toLowerCase().replace(/\s+/g, ' ');
  const l = scalar(leftNode, sc);
  const r = scalar(rightNode, sc);
  if (op === 'and' || op === 'or') return { sql: `(${convert(l, 'bool').sql} ${op.toUpperCase()} ${convert(r, 'bool').sql})`, type: 'bool' };
  if (op === '+' || op === '-' || op === '*' || op === '/' || op === '%') return arithmetic(op, l, r, type);
  if (COMPARISON.has(op)) {
    const [a, b] = unify(l, r);
    const sqlOp = op === '==' ? '=' : op === '!=' ? '<>' : op;
    if (a.type === 'dynamic' && b.type === 'dynamic') return { sql: `(CAST(json(${a.sql}) AS VARCHAR) ${sqlOp} CAST(json(${b.sql}) AS VARCHAR))`, type: 'bool' };
    return { sql: `(${a.sql} ${sqlOp} ${b.sql})`, type: 'bool' };
  }
  const stringOp = STRING_OPERATORS[op];
  if (stringOp) return { sql: stringOp(text(l), text(r)), type: 'bool' };
  throw unsupported('Operator', op);
}

export function betweenExpr(node: Node, sc: ScalarScope, negated: boolean): SqlExpr {
  const leftNode = child(node, 'Left');
  const couple = child(node, 'Right');
  const first = couple ? child(couple, 'First') : null;
  const second = couple ? child(couple, 'Second') : null;
  if (!leftNode || !first || !second) throw unsupported('Syntax', 'between');
  const value = scalar(leftNode, sc);
  const lo = scalar(first, sc);
  let hi = scalar(second, sc);
  // `datetime between (t0 .. 1h)`: the upper bound is an offset from the lower one.
  if (value.type === 'datetime' && hi.type === 'timespan') hi = { sql: `(${lo.sql} + ${hi.sql})`, type: 'datetime' };
  const [v1, low] = unify(value, lo);
  const [v2, high] = unify(value, hi);
  const test = `(${v1.sql} >= ${low.sql} AND ${v2.sql} <= ${high.sql})`;
  return { sql: negated ? `(NOT ${test})` : test, type: 'bool' };
}

function subjectOf(value: SqlExpr, insensitive: boolean): string {
  if (insensitive) return `lower(${text(value)})`;
  return value.type === 'string' ? `COALESCE(${value.sql}, '')` : value.sql;
}

export function inExpr(node: Node, sc: ScalarScope): SqlExpr {
  const opToken = child(node, 'Operator');
  const leftNode = child(node, 'Left');
  const listNode = child(node, 'Right');
  if (!opToken || !leftNode || !listNode) throw unsupported('Syntax', 'in');
  const op = opToken.Text.toLowerCase();
  const negated = op.startsWith('!');
  const insensitive = op.endsWith('~');
  let value = scalar(leftNode, sc);
  const items = elements(child(listNode, 'Expressions'));
  let membership: string;
  if (items.length === 1 && items[0] && isTabular(items[0])) {
    const sub = subquery(items[0], sc);
    const [v] = unify(value, sub.firstColumn);
    value = v;
    const col = insensitive ? `lower(${text(sub.firstColumn)})` : sub.firstColumn.sql;
    membership = `${subjectOf(value, insensitive)} IN (SELECT ${col} FROM (${sub.sql}))`;
  } else {
    const values = items.map((i) => scalar(i, sc));
    if (values.length === 0) return { sql: negated ? 'true' : 'false', type: 'bool' };
    const subject = subjectOf(value, insensitive);
    // Dynamic arrays in the list contribute their elements (`x in (dynamic([1, 2]))`).
    const arrays = value.type === 'dynamic' ? [] : values.filter((v) => v.type === 'dynamic');
    const scalars = values.filter((v) => !arrays.includes(v));
    const tests: string[] = [];
    if (scalars.length) tests.push(`${subject} IN (${scalars.map((v) => (insensitive ? `lower(${text(v)})` : unify(value, v)[1].sql)).join(', ')})`);
    for (const arr of arrays) {
      const element = convert({ sql: 'kq_e', type: 'dynamic' }, insensitive ? 'string' : value.type).sql;
      const item = insensitive ? `lower(${element})` : element;
      tests.push(`list_contains(list_transform(CAST(json_extract(${arr.sql}, '$[*]') AS JSON[]), lambda kq_e: ${item}), ${subject})`);
    }
    membership = tests.map((t) => `(${t})`).join(' OR ');
  }
  // A null value is never in the list (and so always `!in` it).
  const sql = negated ? `COALESCE(NOT (${membership}), true)` : `COALESCE(${membership}, false)`;
  return { sql, type: 'bool' };
}
