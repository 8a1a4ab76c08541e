/**
 * Filter and column pushdown (reference §4.5): Expr trees (src/plan/expr.ts) become KQL `where`
 * predicates, or `undefined` when a tree (or any part of it) has no faithful KQL translation; the
 * scan keeps those filters and applies them in the executor.
 *
 * Translations follow the connector: `==`/`!=`/`<`/`<=`/`>`/`>=`, null-safe equality, `in`,
 * isnull/isnotnull, `(l) and (r)`, `(l) or (r)`, `not(x)`, and startswith/endswith/contains as the
 * case-sensitive `_cs` operators. Unlike the connector, every column name and every value is escaped
 * (quote.ts), and literals of every type are written in KQL syntax (datetime(...) with 100-ns
 * precision, long(...), real(nan) …).
 *
 * As in Spark, a pushed filter may keep MORE rows than the original where Kusto's null semantics
 * differ (a comparison with null is false in Kusto, null in Spark, so `not(c == 1)` keeps null rows
 * in Kusto); callers re-apply the filters after the read, as Spark does.
 */
import type { Expr, LiteralValue } from '../../../plan/expr.js';
import { datetimeLiteral, decimalLiteral, longLiteral, realLiteral } from './literals.js';
import { appendToQuery, normalizeQuery } from './query-forms.js';
import { quoteIdentifier, quoteString } from './quote.js';

export interface PushdownContext {
  /** Columns of the source's schema; a filter naming any other column is not pushed. */
  readonly knownColumns?: ReadonlySet<string>;
}

/** A literal's KQL text, or undefined for null (comparisons with null are not pushed). */
export function literalToKql(value: LiteralValue): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : realLiteral(value);
  if (typeof value === 'string') return quoteString(value);
  if ('$bigint' in value) return longLiteral(BigInt(value.$bigint));
  if ('$timestamp' in value) return datetimeLiteral(value.$timestamp);
  if ('$date' in value) return datetimeLiteral(value.$date);
  if ('$decimal' in value) return decimalLiteral(value.$decimal);
  if ('$nan' in value) return realLiteral(NaN);
  return realLiteral(value.$inf * Infinity);
}

function column(e: Expr, ctx: PushdownContext): string | undefined {
  if (e.kind !== 'col') return undefined;
  if (ctx.knownColumns && !ctx.knownColumns.has(e.name)) return undefined;
  return quoteIdentifier(e.name);
}

/** A comparison operand: a known column or a non-null literal. */
function operand(e: Expr, ctx: PushdownContext): string | undefined {
  if (e.kind === 'col') return column(e, ctx);
  if (e.kind === 'lit') {
    // Kusto keeps 100 ns; a literal with finer digits would be truncated and `<` could lose rows.
    const v = e.value;
    if (v !== null && typeof v === 'object' && '$timestamp' in v && /\.\d{7}\d*[1-9]/.test(v.$timestamp)) return undefined;
    try {
      return literalToKql(e.value);
    } catch {
      return undefined; // out-of-range literal: let the executor evaluate it
    }
  }
  return undefined;
}

function isNullLiteral(e: Expr): boolean {
  return e.kind === 'lit' && e.value === null;
}

const STRING_OPS = { startswith: 'startswith_cs', endswith: 'endswith_cs', contains: 'contains_cs' } as const;

/** Translates a boolean filter expression, or returns undefined. */
export function expressionToKql(e: Expr, ctx: PushdownContext = {}): string | undefined {
  switch (e.kind) {
    case 'binary': {
      if (e.op === 'and' || e.op === 'or') {
        const l = expressionToKql(e.left, ctx);
        const r = expressionToKql(e.right, ctx);
        return l === undefined || r === undefined ? undefined : `(${l}) ${e.op} (${r})`;
      }
      if (e.op === '<=>') {
        if (isNullLiteral(e.right)) return wrap('isnull', column(e.left, ctx));
        if (isNullLiteral(e.left)) return wrap('isnull', column(e.right, ctx));
        const l = operand(e.left, ctx);
        const r = operand(e.right, ctx);
        return l === undefined || r === undefined ? undefined : `${l} == ${r}`;
      }
      if (e.op === '==' || e.op === '!=' || e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=') {
        if (e.left.kind !== 'col' && e.right.kind !== 'col') return undefined;
        const l = operand(e.left, ctx);
        const r = operand(e.right, ctx);
        return l === undefined || r === undefined ? undefined : `${l} ${e.op} ${r}`;
      }
      return undefined; // arithmetic: Spark and KQL differ on integer division and overflow
    }
    case 'not': {
      const inner = expressionToKql(e.expr, ctx);
      return inner === undefined ? undefined : `not(${inner})`;
    }
    case 'isNull':
      return wrap(e.negated ? 'isnotnull' : 'isnull', column(e.expr, ctx));
    case 'in': {
      const c = column(e.expr, ctx);
      if (c === undefined || e.values.length === 0) return undefined;
      const values: string[] = [];
      for (const v of e.values) {
        if (v.kind !== 'lit' || v.value === null) return undefined;
        const text = operand(v, ctx);
        if (text === undefined) return undefined;
        values.push(text);
      }
      return `${c} ${e.negated ? '!in' : 'in'} (${values.join(', ')})`;
    }
    case 'call': {
      if (e.fn !== 'startswith' && e.fn !== 'endswith' && e.fn !== 'contains') return undefined;
      const [target, pattern] = e.args;
      if (!target || !pattern || e.args.length !== 2) return undefined;
      const c = column(target, ctx);
      if (c === undefined || pattern.kind !== 'lit' || typeof pattern.value !== 'string') return undefined;
      return `${c} ${STRING_OPS[e.fn]} ${quoteString(pattern.value)}`;
    }
    case 'col':
    case 'lit':
    case 'negate':
    case 'cast':
    case 'alias':
    case 'case':
      return undefined;
    default: {
      const never: never = e;
      return never;
    }
  }
}

function wrap(fn: string, inner: string | undefined): string | undefined {
  return inner === undefined ? undefined : `${fn}(${inner})`;
}

export interface PushdownPlan {
  /** The query with pushed filters and projection appended. */
  readonly query: string;
  readonly pushed: readonly Expr[];
  /** Filters Kusto does not evaluate; the executor must apply them. */
  readonly notPushed: readonly Expr[];
}

/**
 * `query | where e1 and e2 | project ['a'], tostring(['ts'])` (reference §4.5). Timespan columns are
 * projected through `tostring` as the connector does. No `project` when `columns` is empty.
 */
export function planPushdown(query: string, filters: readonly Expr[], columns: readonly string[], timespanColumns: ReadonlySet<string> = new Set(), ctx: PushdownContext = {}): PushdownPlan {
  const pushed: Expr[] = [];
  const notPushed: Expr[] = [];
  const predicates: string[] = [];
  for (const f of filters) {
    const kql = expressionToKql(f, ctx);
    if (kql === undefined) notPushed.push(f);
    else {
      pushed.push(f);
      predicates.push(kql);
    }
  }
  let pipes = '';
  if (predicates.length > 0) pipes += ` | where ${predicates.join(' and ')}`;
  if (columns.length > 0) pipes += ` | project ${columns.map((c) => (timespanColumns.has(c) ? `tostring(${quoteIdentifier(c)})` : quoteIdentifier(c))).join(', ')}`;
  return { query: pipes === '' ? normalizeQuery(query) : appendToQuery(query, pipes), pushed, notPushed };
}

/** The pushed-down query text (see {@link planPushdown}). */
export function pruneAndFilter(query: string, filters: readonly Expr[], columns: readonly string[], timespanColumns: ReadonlySet<string> = new Set(), ctx: PushdownContext = {}): string {
  return planPushdown(query, filters, columns, timespanColumns, ctx).query;
}
