import { type DataType, Float64, Int32, Utf8, type Schema, type Field } from 'apache-arrow';
import { defaultTimestampType, familyOf, numericRank, sameType, typeOfRank, valueTypeOf } from '../arrow/data-types.js';
import { PlanError } from '../errors/kjob-error.js';

/**
 * Spark's implicit type rules, shared by the driver's analyzer and the executor's evaluator so that
 * both always agree on the type of every expression.
 */

export type CoercionPurpose = 'compare' | 'merge';

/**
 * The type both sides are converted to before a comparison (`compare`) or when values of two types
 * meet in one column (`merge`: CASE branches, coalesce, union). Undefined when they cannot meet.
 */
export function commonType(a: DataType, b: DataType, purpose: CoercionPurpose): DataType | undefined {
  const fa = familyOf(a);
  const fb = familyOf(b);
  if (fa === 'null') return plain(b);
  if (fb === 'null') return plain(a);
  if (fa === fb) {
    if (fa === 'int' || fa === 'float') return typeOfRank(Math.max(numericRank(a)!, numericRank(b)!));
    if (fa === 'timestamp') return sameType(a, b) ? a : defaultTimestampType();
    if (fa === 'decimal') return sameType(a, b) ? a : new Float64();
    if (fa === 'string') return new Utf8();
    if (fa === 'other') return sameType(a, b) ? a : undefined;
    return sameType(a, b) ? a : plain(a);
  }
  const numeric = (f: string) => f === 'int' || f === 'float' || f === 'decimal';
  if (numeric(fa) && numeric(fb)) {
    if (fa !== 'decimal' && fb !== 'decimal') return typeOfRank(Math.max(numericRank(a)!, numericRank(b)!));
    return new Float64();
  }
  const pair = new Set([fa, fb]);
  if (pair.has('date') && pair.has('timestamp')) return fa === 'timestamp' ? a : b;
  if (pair.has('string')) {
    const other = fa === 'string' ? b : a;
    const fo = familyOf(other);
    if (purpose === 'merge') return fo === 'other' ? undefined : new Utf8();
    if (fo === 'date' || fo === 'timestamp' || fo === 'boolean') return plain(other);
    if (numeric(fo)) return new Float64();
  }
  return undefined;
}

/** Dictionary-encoded strings become plain strings once computed on. */
function plain(t: DataType): DataType {
  return familyOf(t) === 'string' ? new Utf8() : valueTypeOf(t);
}

/** Result type of `+ - * / %` over two operand types, or undefined when not numeric. */
export function arithmeticType(op: string, a: DataType, b: DataType): DataType | undefined {
  const fa = familyOf(a);
  const fb = familyOf(b);
  const ok = (f: string) => f === 'int' || f === 'float' || f === 'null';
  if (!ok(fa) || !ok(fb)) return undefined;
  if (op === '/') return new Float64();
  if (fa === 'null' && fb === 'null') return new Int32();
  if (fa === 'null') return b;
  if (fb === 'null') return a;
  return typeOfRank(Math.max(numericRank(a)!, numericRank(b)!));
}

/** Whether `cast(x AS to)` is defined for a value of type `from`. */
export function canCast(from: DataType, to: DataType): boolean {
  const f = familyOf(from);
  const t = familyOf(to);
  if (f === 'null' || sameType(valueTypeOf(from), to)) return true;
  if (t === 'string') return f !== 'other';
  if (t === 'decimal') return false;
  const numeric = f === 'int' || f === 'float' || f === 'decimal';
  switch (t) {
    case 'int':
    case 'float':
      return numeric || f === 'string' || f === 'boolean' || f === 'timestamp' || f === 'date' || f === 'duration';
    case 'boolean':
      return numeric || f === 'string';
    case 'date':
      return f === 'string' || f === 'timestamp' || f === 'date';
    case 'timestamp':
      return f === 'string' || f === 'date' || f === 'timestamp' || f === 'int' || f === 'float';
    case 'binary':
      return f === 'string';
    case 'duration':
      return f === 'int' || f === 'duration';
    default:
      return false;
  }
}

/**
 * Resolves a column name in a schema the way Spark does by default: an exact match first, otherwise a
 * unique case-insensitive match. Throws PlanError naming the column and listing those available.
 */
export function resolveColumn(schema: Schema, name: string, where?: string): number {
  const fields = schema.fields;
  const exact = fields.findIndex((f) => f.name === name);
  if (exact >= 0) return exact;
  const lower = name.toLowerCase();
  const matches = fields.map((f, i) => [f, i] as const).filter(([f]) => f.name.toLowerCase() === lower);
  if (matches.length === 1) return matches[0]![1];
  if (matches.length > 1) throw new PlanError(`Column '${name}' is ambiguous: ${matches.map(([f]) => `'${f.name}'`).join(', ')}`, { context: { column: name } });
  throw unknownColumn(name, fields, where);
}

export function unknownColumn(name: string, fields: readonly Field[], where?: string): PlanError {
  const available = fields.map((f) => f.name).join(', ');
  return new PlanError(`Column '${name}' not found${where ? ` in ${where}` : ''}; available: ${available || '(no columns)'}`, {
    context: { column: name },
    resolution: 'Check the spelling (names match case-insensitively) and that the column exists at this point of the plan.',
  });
}
