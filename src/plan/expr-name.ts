import type { Expr, LiteralValue } from './expr.js';

const OP_TEXT: Readonly<Record<string, string>> = { '==': '=', and: 'AND', or: 'OR' };

/**
 * Spark-like display text of an expression; also the output column name of an unaliased expression
 * in `select` (`col('a').plus(1)` is named `(a + 1)`).
 */
export function exprName(e: Expr): string {
  switch (e.kind) {
    case 'col':
      return e.name;
    case 'lit':
      return literalText(e.value);
    case 'binary':
      return `(${exprName(e.left)} ${OP_TEXT[e.op] ?? e.op} ${exprName(e.right)})`;
    case 'not':
      return `(NOT ${exprName(e.expr)})`;
    case 'negate':
      return `(- ${exprName(e.expr)})`;
    case 'isNull':
      return `(${exprName(e.expr)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'in':
      return `(${exprName(e.expr)}${e.negated ? ' NOT' : ''} IN (${e.values.map(exprName).join(', ')}))`;
    case 'cast':
      return `CAST(${exprName(e.expr)} AS ${e.to.toUpperCase()})`;
    case 'alias':
      return e.name;
    case 'case':
      return `CASE ${e.branches.map((b) => `WHEN ${exprName(b.when)} THEN ${exprName(b.then)}`).join(' ')}${e.otherwise ? ` ELSE ${exprName(e.otherwise)}` : ''} END`;
    case 'call':
      return `${e.fn}(${e.args.map(exprName).join(', ')})`;
    default:
      return assertNever(e);
  }
}

function literalText(v: LiteralValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return v;
  if (typeof v !== 'object') return String(v);
  if ('$bigint' in v) return v.$bigint;
  if ('$timestamp' in v) return `TIMESTAMP '${v.$timestamp}'`;
  if ('$date' in v) return `DATE '${v.$date}'`;
  if ('$decimal' in v) return v.$decimal;
  if ('$nan' in v) return 'NaN';
  return v.$inf > 0 ? 'Infinity' : '-Infinity';
}

/** Compile-time exhaustiveness guard for switches over tagged unions. */
export function assertNever(x: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(x)}`);
}
