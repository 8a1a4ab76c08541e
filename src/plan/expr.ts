/**
 * Column expressions as frozen, JSON-serialisable data. The same tree is built by the `Column` DSL on
 * the driver, shipped inside a task, evaluated column-at-a-time over Arrow batches on the executor, and
 * translated to KQL by sources that push filters down (`src/datasource/kusto`).
 *
 * CONTRACT (shared by plan, executor and the Kusto pushdown): add a kind here only together with its
 * evaluator and its KQL translation (which may answer "untranslatable").
 */

/** Logical data types, named as Spark users write them in `cast(...)` and `schema(...)`. */
export type DataTypeName =
  | 'string'
  | 'boolean'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'date'
  | 'timestamp'
  | 'binary'
  | `decimal(${number},${number})`
  | 'duration'
  | 'json';

/**
 * A literal. JSON cannot hold bigint or Date, so those travel tagged; `null` is the typed or untyped
 * null. Strings are arbitrary (quotes, newlines, unicode): every consumer escapes them itself.
 */
export type LiteralValue =
  | null
  | boolean
  | number
  | string
  | { readonly $bigint: string }
  | { readonly $timestamp: string } // ISO-8601 with up to 9 fractional digits, UTC
  | { readonly $date: string } // yyyy-mm-dd
  | { readonly $decimal: string }
  | { readonly $nan: true }
  | { readonly $inf: 1 | -1 };

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';
export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
/** `<=>` is Spark's null-safe equality. */
export type BinaryOp = ArithmeticOp | ComparisonOp | '<=>' | 'and' | 'or';

/** Functions of the DSL. Arity and types are checked when the plan is built, on the driver. */
export type FunctionName =
  | 'concat'
  | 'lower'
  | 'upper'
  | 'substring' // (str, pos 1-based, len)
  | 'length'
  | 'trim'
  | 'coalesce'
  | 'year'
  | 'month'
  | 'dayofmonth'
  | 'hour'
  | 'minute'
  | 'second'
  | 'date_trunc' // (unit literal, ts)
  | 'current_timestamp'
  | 'abs'
  | 'round'
  | 'floor'
  | 'startswith'
  | 'endswith'
  | 'contains';

export type Expr =
  | { readonly kind: 'col'; readonly name: string }
  | { readonly kind: 'lit'; readonly value: LiteralValue; readonly type?: DataTypeName }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly expr: Expr }
  | { readonly kind: 'negate'; readonly expr: Expr }
  | { readonly kind: 'isNull'; readonly expr: Expr; readonly negated: boolean }
  | { readonly kind: 'in'; readonly expr: Expr; readonly values: readonly Expr[]; readonly negated: boolean }
  | { readonly kind: 'cast'; readonly expr: Expr; readonly to: DataTypeName }
  | { readonly kind: 'alias'; readonly expr: Expr; readonly name: string }
  | { readonly kind: 'case'; readonly branches: readonly { readonly when: Expr; readonly then: Expr }[]; readonly otherwise?: Expr }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly args: readonly Expr[] };

export type ExprKind = Expr['kind'];
