import { Bool, type DataType, Field, Float64, Int32, Int64, Null, type Schema, Utf8 } from 'apache-arrow';
import { defaultTimestampType, familyOf, parseTypeName, typeName, type TypeFamily } from '../arrow/data-types.js';
import { PlanError } from '../errors/kjob-error.js';
import type { Expr, FunctionName, LiteralValue } from './expr.js';
import { assertNever, exprName } from './expr-name.js';
import { arithmeticType, canCast, commonType, resolveColumn } from './type-rules.js';

/** The type of an expression and whether it can be null. */
export interface TypedExpr {
  readonly type: DataType;
  readonly nullable: boolean;
}

/**
 * Type-checks an expression against an input schema (driver: before any task runs; executor: to
 * build output batches of exactly the announced type). Throws PlanError naming the offending column
 * or expression.
 */
export function inferType(e: Expr, schema: Schema): TypedExpr {
  switch (e.kind) {
    case 'col': {
      const f = schema.fields[resolveColumn(schema, e.name)]!;
      return { type: f.type as DataType, nullable: f.nullable };
    }
    case 'lit':
      return { type: literalType(e.value, e.type), nullable: e.value === null };
    case 'binary':
      return inferBinary(e, schema);
    case 'not': {
      const t = inferType(e.expr, schema);
      expectFamily(t.type, ['boolean', 'null'], e, 'NOT needs a boolean operand');
      return { type: new Bool(), nullable: t.nullable };
    }
    case 'negate': {
      const t = inferType(e.expr, schema);
      expectFamily(t.type, ['int', 'float', 'null'], e, 'unary minus needs a numeric operand');
      return { type: familyOf(t.type) === 'null' ? new Int32() : t.type, nullable: t.nullable };
    }
    case 'isNull':
      inferType(e.expr, schema);
      return { type: new Bool(), nullable: false };
    case 'in': {
      const t = inferType(e.expr, schema);
      let nullable = t.nullable;
      for (const v of e.values) {
        const vt = inferType(v, schema);
        nullable ||= vt.nullable;
        if (!commonType(t.type, vt.type, 'compare')) throw mismatch(e, `cannot compare ${typeName(t.type)} with ${typeName(vt.type)}`);
      }
      return { type: new Bool(), nullable };
    }
    case 'cast': {
      const t = inferType(e.expr, schema);
      const to = parseTypeName(e.to);
      if (!canCast(t.type, to)) throw mismatch(e, `cannot cast ${typeName(t.type)} to ${typeName(to)}`);
      // Spark: a cast from text (or any narrowing cast) yields null for values that do not fit.
      return { type: to, nullable: t.nullable || familyOf(t.type) === 'string' || familyOf(to) !== familyOf(t.type) };
    }
    case 'alias':
      return inferType(e.expr, schema);
    case 'case': {
      let type: DataType = new Null();
      let nullable = e.otherwise === undefined;
      for (const b of e.branches) {
        const c = inferType(b.when, schema);
        expectFamily(c.type, ['boolean', 'null'], e, `WHEN condition ${exprName(b.when)} must be boolean, got ${typeName(c.type)}`);
        const v = inferType(b.then, schema);
        nullable ||= v.nullable;
        type = mergeOrThrow(type, v.type, e);
      }
      if (e.otherwise) {
        const o = inferType(e.otherwise, schema);
        nullable ||= o.nullable;
        type = mergeOrThrow(type, o.type, e);
      }
      return { type, nullable };
    }
    case 'call':
      return inferCall(e, schema);
    default:
      return assertNever(e);
  }
}

/** The output field of a projected expression (its name: alias, column name, or display text). */
export function inferField(e: Expr, schema: Schema): Field {
  const t = inferType(e, schema);
  const name = outputName(e, schema);
  if (e.kind === 'col') {
    const f = schema.fields[resolveColumn(schema, e.name)]!;
    return new Field(f.name, f.type, f.nullable, f.metadata);
  }
  return new Field(name, t.type, t.nullable);
}

/** Output column name of a projected expression. */
export function outputName(e: Expr, schema: Schema): string {
  if (e.kind === 'col') return schema.fields[resolveColumn(schema, e.name)]!.name;
  return exprName(e);
}

export function literalType(value: LiteralValue, tag: string | undefined): DataType {
  if (tag) return parseTypeName(tag);
  if (value === null) return new Null();
  if (typeof value === 'boolean') return new Bool();
  if (typeof value === 'string') return new Utf8();
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1 ? new Int32() : new Float64();
  if ('$bigint' in value) return new Int64();
  if ('$timestamp' in value) return defaultTimestampType();
  if ('$date' in value) return parseTypeName('date');
  if ('$decimal' in value) {
    const [intPart = '', frac = ''] = value.$decimal.replace('-', '').split('.');
    return parseTypeName(`decimal(${Math.max(1, Math.min(38, intPart.length + frac.length))},${frac.length})`);
  }
  return new Float64();
}

function inferBinary(e: Extract<Expr, { kind: 'binary' }>, schema: Schema): TypedExpr {
  const l = inferType(e.left, schema);
  const r = inferType(e.right, schema);
  const nullable = l.nullable || r.nullable;
  switch (e.op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      const t = arithmeticType(e.op, l.type, r.type);
      if (!t) throw mismatch(e, `'${e.op}' needs numeric operands, got ${typeName(l.type)} and ${typeName(r.type)}${familyOf(l.type) === 'decimal' || familyOf(r.type) === 'decimal' ? ' (decimal arithmetic is not supported: cast to float64 or int64 first)' : ''}`);
      return { type: t, nullable: nullable || e.op === '/' || e.op === '%' };
    }
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '<=>':
      if (!commonType(l.type, r.type, 'compare')) throw mismatch(e, `cannot compare ${typeName(l.type)} with ${typeName(r.type)}`);
      return { type: new Bool(), nullable: e.op === '<=>' ? false : nullable };
    case 'and':
    case 'or':
      expectFamily(l.type, ['boolean', 'null'], e, `${e.op.toUpperCase()} needs boolean operands, got ${typeName(l.type)} on the left`);
      expectFamily(r.type, ['boolean', 'null'], e, `${e.op.toUpperCase()} needs boolean operands, got ${typeName(r.type)} on the right`);
      return { type: new Bool(), nullable };
    default:
      return assertNever(e.op);
  }
}

interface Signature {
  readonly arity: [number, number];
  readonly check: (args: readonly TypedExpr[], e: Extract<Expr, { kind: 'call' }>) => DataType;
  readonly nullable?: (args: readonly TypedExpr[]) => boolean;
}

const STRINGY: readonly TypeFamily[] = ['string', 'null', 'int', 'float', 'decimal', 'boolean', 'date', 'timestamp'];
const TEMPORAL: readonly TypeFamily[] = ['date', 'timestamp', 'string', 'null'];
const NUMERIC: readonly TypeFamily[] = ['int', 'float', 'null'];

const stringFn: Signature = {
  arity: [1, 1],
  check: (a, e) => {
    expectFamily(a[0]!.type, STRINGY, e, `${e.fn}() needs a string, got ${typeName(a[0]!.type)}`);
    return new Utf8();
  },
};
const datePart: Signature = {
  arity: [1, 1],
  check: (a, e) => {
    expectFamily(a[0]!.type, TEMPORAL, e, `${e.fn}() needs a date or timestamp, got ${typeName(a[0]!.type)}`);
    return new Int32();
  },
  nullable: (a) => a[0]!.nullable || familyOf(a[0]!.type) === 'string',
};
const timePart: Signature = { ...datePart };
const stringPredicate: Signature = {
  arity: [2, 2],
  check: (a, e) => {
    for (const x of a) expectFamily(x.type, ['string', 'null'], e, `${e.fn}() needs string arguments, got ${typeName(x.type)}`);
    return new Bool();
  },
};

/** Signature of every DSL function: arity and result type (the evaluator mirrors these). */
export const FUNCTION_SIGNATURES: { readonly [K in FunctionName]: Signature } = {
  concat: {
    arity: [1, Infinity],
    check: (a, e) => {
      for (const x of a) expectFamily(x.type, STRINGY, e, `concat() cannot take ${typeName(x.type)}`);
      return new Utf8();
    },
  },
  lower: stringFn,
  upper: stringFn,
  trim: stringFn,
  substring: {
    arity: [3, 3],
    check: (a, e) => {
      expectFamily(a[0]!.type, STRINGY, e, `substring() needs a string, got ${typeName(a[0]!.type)}`);
      expectFamily(a[1]!.type, ['int', 'null'], e, `substring() position must be an integer, got ${typeName(a[1]!.type)}`);
      expectFamily(a[2]!.type, ['int', 'null'], e, `substring() length must be an integer, got ${typeName(a[2]!.type)}`);
      return new Utf8();
    },
  },
  length: {
    arity: [1, 1],
    check: (a, e) => {
      expectFamily(a[0]!.type, [...STRINGY, 'binary'], e, `length() needs a string or binary, got ${typeName(a[0]!.type)}`);
      return new Int32();
    },
  },
  coalesce: {
    arity: [1, Infinity],
    check: (a, e) => a.reduce<DataType>((t, x) => mergeOrThrow(t, x.type, e), new Null()),
    nullable: (a) => a.every((x) => x.nullable),
  },
  year: datePart,
  month: datePart,
  dayofmonth: datePart,
  hour: timePart,
  minute: timePart,
  second: timePart,
  date_trunc: {
    arity: [2, 2],
    check: (a, e) => {
      const unit = e.args[0]!;
      if (unit.kind !== 'lit' || typeof unit.value !== 'string' || !DATE_TRUNC_UNITS.has(unit.value.toLowerCase()))
        throw mismatch(e, `date_trunc() unit must be one of ${[...DATE_TRUNC_UNITS].join(', ')}`);
      expectFamily(a[1]!.type, TEMPORAL, e, `date_trunc() needs a timestamp, got ${typeName(a[1]!.type)}`);
      return familyOf(a[1]!.type) === 'timestamp' ? a[1]!.type : defaultTimestampType();
    },
  },
  current_timestamp: { arity: [0, 0], check: () => defaultTimestampType(), nullable: () => false },
  abs: {
    arity: [1, 1],
    check: (a, e) => {
      expectFamily(a[0]!.type, NUMERIC, e, `abs() needs a number, got ${typeName(a[0]!.type)}`);
      return familyOf(a[0]!.type) === 'null' ? new Int32() : a[0]!.type;
    },
  },
  round: {
    arity: [1, 2],
    check: (a, e) => {
      expectFamily(a[0]!.type, NUMERIC, e, `round() needs a number, got ${typeName(a[0]!.type)}`);
      const scale = e.args[1];
      if (scale && (scale.kind !== 'lit' || typeof scale.value !== 'number' || !Number.isInteger(scale.value))) throw mismatch(e, 'round() scale must be an integer literal');
      return familyOf(a[0]!.type) === 'null' ? new Float64() : a[0]!.type;
    },
  },
  floor: {
    arity: [1, 1],
    check: (a, e) => {
      expectFamily(a[0]!.type, NUMERIC, e, `floor() needs a number, got ${typeName(a[0]!.type)}`);
      return new Int64();
    },
  },
  startswith: stringPredicate,
  endswith: stringPredicate,
  contains: stringPredicate,
};

export const DATE_TRUNC_UNITS: ReadonlySet<string> = new Set(['year', 'yyyy', 'yy', 'quarter', 'month', 'mon', 'mm', 'week', 'day', 'dd', 'hour', 'minute', 'second', 'millisecond', 'microsecond']);

function inferCall(e: Extract<Expr, { kind: 'call' }>, schema: Schema): TypedExpr {
  const sig = FUNCTION_SIGNATURES[e.fn];
  if (!sig) throw new PlanError(`Unknown function '${e.fn}'; known: ${Object.keys(FUNCTION_SIGNATURES).join(', ')}`);
  const [min, max] = sig.arity;
  if (e.args.length < min || e.args.length > max)
    throw mismatch(e, `${e.fn}() takes ${min === max ? min : `${min} to ${max === Infinity ? 'any number of' : max}`} argument(s), got ${e.args.length}`);
  const args = e.args.map((a) => inferType(a, schema));
  const type = sig.check(args, e);
  const nullable = sig.nullable ? sig.nullable(args) : args.some((a) => a.nullable);
  return { type, nullable };
}

function mergeOrThrow(a: DataType, b: DataType, e: Expr): DataType {
  const t = commonType(a, b, 'merge');
  if (!t) throw mismatch(e, `values of type ${typeName(a)} and ${typeName(b)} cannot be combined`);
  return t;
}

function expectFamily(t: DataType, allowed: readonly TypeFamily[], e: Expr, message: string): void {
  if (!allowed.includes(familyOf(t))) throw mismatch(e, message);
}

function mismatch(e: Expr, message: string): PlanError {
  return new PlanError(`Type mismatch in ${exprName(e)}: ${message}`, { context: { expression: exprName(e) } });
}

