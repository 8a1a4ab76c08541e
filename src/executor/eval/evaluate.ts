import { type Data, type DataType, type RecordBatch, type Schema } from 'apache-arrow';
import { familyOf } from '../../arrow/data-types.js';
import { PlanError } from '../../errors/kjob-error.js';
import type { Expr } from '../../plan/expr.js';
import { assertNever, exprName } from '../../plan/expr-name.js';
import { inferType, literalType } from '../../plan/infer-type.js';
import { decodeLiteral } from '../../plan/literal.js';
import { commonType, resolveColumn } from '../../plan/type-rules.js';
import { arithmetic } from './arithmetic.js';
import { castData } from './cast.js';
import { compare } from './compare.js';
import { FUNCTION_KERNELS } from './functions.js';
import { literalData } from './literal-data.js';
import { andOr, caseWhen, isNull, not } from './logic.js';
import { materialize, type Operand } from './operand.js';

/** Evaluation settings fixed for a whole action. */
export interface EvalEnv {
  /** current_timestamp() for this action, epoch microseconds. */
  readonly nowMicros: bigint;
}

/**
 * Evaluates an expression over one record batch, column-at-a-time, and returns a chunk of `numRows`
 * rows of exactly the type the analyzer announced for it (see inferType).
 */
export function evaluateColumn(e: Expr, batch: RecordBatch, env: EvalEnv): Data {
  return materialize(evaluate(e, batch, env), batch.numRows);
}

/** Evaluation that keeps literals as scalars (see Operand). */
export function evaluate(e: Expr, batch: RecordBatch, env: EvalEnv): Operand {
  const schema = batch.schema;
  const rows = batch.numRows;
  const ev = (x: Expr) => evaluate(x, batch, env);
  switch (e.kind) {
    case 'col': {
      const i = resolveColumn(schema, e.name);
      return { data: batch.data.children[i]! as Data, scalar: false };
    }
    case 'lit': {
      const type = literalType(e.value, e.type);
      return { data: literalData(decodeLiteral(e.value), type), scalar: true };
    }
    case 'binary': {
      const l = ev(e.left);
      const r = ev(e.right);
      switch (e.op) {
        case 'and':
        case 'or':
          return andOr(e.op, l, r, rows);
        case '+':
        case '-':
        case '*':
        case '/':
        case '%':
          return arithmetic(e.op, l, r, typeOf(e, schema), rows);
        default: {
          const common = commonType(l.data.type, r.data.type, 'compare');
          if (!common) throw new PlanError(`Type mismatch in ${exprName(e)}`);
          return compare(e.op, l, r, familyOf(common) === 'null' ? l.data.type : common, rows);
        }
      }
    }
    case 'not':
      return not(ev(e.expr));
    case 'negate': {
      const o = ev(e.expr);
      const zero = { data: literalData({ t: 'number', v: 0 }, typeOf(e, schema)), scalar: true };
      return arithmetic('-', zero, o, typeOf(e, schema), rows);
    }
    case 'isNull':
      return isNull(ev(e.expr), e.negated);
    case 'in': {
      // x IN (a, b) ≡ x = a OR x = b, which gives SQL's null semantics for free.
      let acc: Operand | undefined;
      const x = ev(e.expr);
      for (const v of e.values) {
        const vo = ev(v);
        const common = commonType(x.data.type, vo.data.type, 'compare')!;
        const eq = compare('==', x, vo, familyOf(common) === 'null' ? x.data.type : common, rows);
        acc = acc ? andOr('or', acc, eq, rows) : eq;
      }
      const result = acc ?? { data: literalData({ t: 'boolean', v: false }, typeOf(e, schema)), scalar: true };
      return e.negated ? not(result) : result;
    }
    case 'cast': {
      const o = ev(e.expr);
      return { data: castData(o.data, typeOf(e, schema)), scalar: o.scalar };
    }
    case 'alias':
      return ev(e.expr);
    case 'case': {
      const type = typeOf(e, schema);
      const conds = e.branches.map((b) => ev(b.when));
      const values = e.branches.map((b) => ev(b.then));
      const otherwise = e.otherwise ? ev(e.otherwise) : undefined;
      const allScalar = [...conds, ...values, ...(otherwise ? [otherwise] : [])].every((o) => o.scalar);
      const out = caseWhen(conds, values, otherwise, type, allScalar ? 1 : rows);
      return { data: out.data, scalar: allScalar };
    }
    case 'call': {
      const args = e.args.map(ev);
      return FUNCTION_KERNELS[e.fn]({ args, call: e, type: typeOf(e, schema), rows, nowMicros: env.nowMicros });
    }
    default:
      return assertNever(e);
  }
}

function typeOf(e: Expr, schema: Schema): DataType {
  return inferType(e, schema).type;
}
