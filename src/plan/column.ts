import type { BinaryOp, DataTypeName, Expr, FunctionName } from './expr.js';
import { literalExpr, type LiteralInput } from './literal.js';
import { exprName } from './expr-name.js';
import { PlanError } from '../errors/kjob-error.js';

/** Anything accepted where a Column method expects an operand: a Column, or a literal value. */
export type ColumnOrValue = Column | LiteralInput;

/**
 * A column expression: an immutable wrapper around a frozen, JSON-serialisable `Expr` tree. Every
 * method returns a new Column; the receiver is never changed.
 *
 * @example col('delay').gt(30).and(col('origin').eq('SEA'))
 */
export class Column {
  readonly expr: Expr;

  constructor(expr: Expr) {
    this.expr = Object.freeze(expr);
  }

  // Arithmetic (Spark: `/` is always floating-point division; division by zero gives null).
  plus(other: ColumnOrValue): Column { return this.#binary('+', other); }
  minus(other: ColumnOrValue): Column { return this.#binary('-', other); }
  multiply(other: ColumnOrValue): Column { return this.#binary('*', other); }
  divide(other: ColumnOrValue): Column { return this.#binary('/', other); }
  mod(other: ColumnOrValue): Column { return this.#binary('%', other); }
  negate(): Column { return new Column({ kind: 'negate', expr: this.expr }); }

  // Comparisons (null when either side is null, except eqNullSafe).
  eq(other: ColumnOrValue): Column { return this.#binary('==', other); }
  equalTo(other: ColumnOrValue): Column { return this.eq(other); }
  neq(other: ColumnOrValue): Column { return this.#binary('!=', other); }
  notEqual(other: ColumnOrValue): Column { return this.neq(other); }
  lt(other: ColumnOrValue): Column { return this.#binary('<', other); }
  leq(other: ColumnOrValue): Column { return this.#binary('<=', other); }
  le(other: ColumnOrValue): Column { return this.leq(other); }
  gt(other: ColumnOrValue): Column { return this.#binary('>', other); }
  geq(other: ColumnOrValue): Column { return this.#binary('>=', other); }
  ge(other: ColumnOrValue): Column { return this.geq(other); }
  /** Null-safe equality (`<=>`): true when both sides are null, false when only one is. */
  eqNullSafe(other: ColumnOrValue): Column { return this.#binary('<=>', other); }
  between(lower: ColumnOrValue, upper: ColumnOrValue): Column { return this.geq(lower).and(this.leq(upper)); }
  isin(...values: ColumnOrValue[]): Column {
    const list = values.length === 1 && Array.isArray(values[0]) ? (values[0] as ColumnOrValue[]) : values;
    return new Column({ kind: 'in', expr: this.expr, values: Object.freeze(list.map(toExpr)), negated: false });
  }

  // Boolean logic, three-valued as in SQL.
  and(other: ColumnOrValue): Column { return this.#binary('and', other); }
  or(other: ColumnOrValue): Column { return this.#binary('or', other); }
  not(): Column { return new Column({ kind: 'not', expr: this.expr }); }
  isNull(): Column { return new Column({ kind: 'isNull', expr: this.expr, negated: false }); }
  isNotNull(): Column { return new Column({ kind: 'isNull', expr: this.expr, negated: true }); }

  /** Spark-style cast: unparseable text becomes null, doubles truncate toward zero when cast to ints. */
  cast(to: DataTypeName | string): Column { return new Column({ kind: 'cast', expr: this.expr, to: to as DataTypeName }); }
  alias(name: string): Column {
    if (typeof name !== 'string' || name === '') throw new PlanError('alias(name) needs a non-empty column name');
    return new Column({ kind: 'alias', expr: this.expr, name });
  }
  as(name: string): Column { return this.alias(name); }
  name(name: string): Column { return this.alias(name); }

  /** Adds a branch to a `when(...)` column; only valid on a CASE expression without otherwise. */
  when(condition: Column, value: ColumnOrValue): Column {
    const e = this.expr;
    if (e.kind !== 'case' || e.otherwise !== undefined) throw new PlanError(`when() can only follow when(...) or another when(...), not ${exprName(e)}`);
    return new Column({ kind: 'case', branches: Object.freeze([...e.branches, Object.freeze({ when: condition.expr, then: toExpr(value) })]) });
  }
  otherwise(value: ColumnOrValue): Column {
    const e = this.expr;
    if (e.kind !== 'case' || e.otherwise !== undefined) throw new PlanError(`otherwise() can only follow when(...), not ${exprName(e)}`);
    return new Column({ kind: 'case', branches: e.branches, otherwise: toExpr(value) });
  }

  // String predicates and helpers.
  startsWith(prefix: ColumnOrValue): Column { return this.#call('startswith', prefix); }
  endsWith(suffix: ColumnOrValue): Column { return this.#call('endswith', suffix); }
  contains(part: ColumnOrValue): Column { return this.#call('contains', part); }
  /** 1-based position, like SQL `substring`. */
  substr(pos: ColumnOrValue, len: ColumnOrValue): Column { return this.#call('substring', pos, len); }

  /** The expression tree (what JSON.stringify(column) produces). */
  toJSON(): Expr { return this.expr; }
  /** Spark-like display text, e.g. `(delay > 30)`. */
  toString(): string { return exprName(this.expr); }

  #binary(op: BinaryOp, other: ColumnOrValue): Column {
    return new Column({ kind: 'binary', op, left: this.expr, right: toExpr(other) });
  }
  #call(fn: FunctionName, ...args: ColumnOrValue[]): Column {
    return new Column({ kind: 'call', fn, args: Object.freeze([this.expr, ...args.map(toExpr)]) });
  }
}

/** A Column's expression, or a literal's. */
export function toExpr(v: ColumnOrValue): Expr {
  return v instanceof Column ? v.expr : literalExpr(v);
}
