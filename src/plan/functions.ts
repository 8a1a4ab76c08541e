import { Column, toExpr, type ColumnOrValue } from './column.js';
import type { Expr, FunctionName } from './expr.js';
import { literalExpr, type LiteralInput } from './literal.js';
import { PlanError } from '../errors/kjob-error.js';

/**
 * The column functions of the DSL, named as in `pyspark.sql.functions`. As in PySpark, a plain
 * string where a column is expected is a column name (`lower('name')`); use `lit('text')` for text.
 */

/** A column name or a Column. */
export type ColumnRef = string | Column;

export function col(name: string): Column {
  if (typeof name !== 'string' || name === '') throw new PlanError('col(name) needs a non-empty column name');
  return new Column({ kind: 'col', name });
}
export const column = col;

export function lit(value: LiteralInput | Column): Column {
  return value instanceof Column ? value : new Column(literalExpr(value));
}

/** Starts a CASE expression: `when(cond, a).when(cond2, b).otherwise(c)`; without otherwise, unmatched rows are null. */
export function when(condition: Column, value: ColumnOrValue): Column {
  return new Column({ kind: 'case', branches: Object.freeze([Object.freeze({ when: condition.expr, then: toExpr(value) })]) });
}

export function not(c: ColumnRef): Column { return ref(c).not(); }
export function isnull(c: ColumnRef): Column { return ref(c).isNull(); }
export function isnotnull(c: ColumnRef): Column { return ref(c).isNotNull(); }

export function concat(...cols: ColumnRef[]): Column { return call('concat', cols.map(refExpr)); }
export function lower(c: ColumnRef): Column { return call('lower', [refExpr(c)]); }
export function upper(c: ColumnRef): Column { return call('upper', [refExpr(c)]); }
export function trim(c: ColumnRef): Column { return call('trim', [refExpr(c)]); }
/** Characters in a string (bytes for binary). */
export function length(c: ColumnRef): Column { return call('length', [refExpr(c)]); }
/** `pos` is 1-based; 0 counts as 1 and negative positions count from the end, as in Spark. */
export function substring(c: ColumnRef, pos: number | Column, len: number | Column): Column {
  return call('substring', [refExpr(c), toExpr(pos), toExpr(len)]);
}
/** The first non-null argument. */
export function coalesce(...cols: ColumnRef[]): Column {
  if (cols.length === 0) throw new PlanError('coalesce() needs at least one column');
  return call('coalesce', cols.map(refExpr));
}

export function year(c: ColumnRef): Column { return call('year', [refExpr(c)]); }
export function month(c: ColumnRef): Column { return call('month', [refExpr(c)]); }
export function dayofmonth(c: ColumnRef): Column { return call('dayofmonth', [refExpr(c)]); }
export function hour(c: ColumnRef): Column { return call('hour', [refExpr(c)]); }
export function minute(c: ColumnRef): Column { return call('minute', [refExpr(c)]); }
export function second(c: ColumnRef): Column { return call('second', [refExpr(c)]); }
/**
 * Truncates a timestamp to `unit`: year/yyyy/yy, quarter, month/mon/mm, week (Monday), day/dd, hour,
 * minute, second, millisecond, microsecond. Argument order as in Spark: `date_trunc('hour', col('ts'))`.
 */
export function date_trunc(unit: string, c: ColumnRef): Column { return call('date_trunc', [literalExpr(unit), refExpr(c)]); }
/** The query's start time: one value for every row of every task of an action. */
export function current_timestamp(): Column { return call('current_timestamp', []); }

export function abs(c: ColumnRef): Column { return call('abs', [refExpr(c)]); }
/** Rounds half away from zero (Spark's HALF_UP) to `scale` decimal places. */
export function round(c: ColumnRef, scale = 0): Column { return call('round', [refExpr(c), literalExpr(scale)]); }
/** Largest integer ≤ value, as int64 (Spark's floor returns bigint). */
export function floor(c: ColumnRef): Column { return call('floor', [refExpr(c)]); }

function ref(c: ColumnRef): Column {
  return typeof c === 'string' ? col(c) : c;
}
function refExpr(c: ColumnRef): Expr {
  return ref(c).expr;
}
function call(fn: FunctionName, args: Expr[]): Column {
  return new Column({ kind: 'call', fn, args: Object.freeze(args) });
}
