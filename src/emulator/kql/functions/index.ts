import type { KustoType } from '../../contracts.js';
import { type ScalarScope, type SqlExpr, storageCast } from '../context.js';
import { unsupported } from '../errors.js';
import { isKustoAggregate } from '../parser.js';
import { scalar } from '../scalar/expression.js';
import { child, elements, type Node, simpleName } from '../syntax.js';
import type { Call, FunctionImpl } from './call.js';
import { CONDITIONAL_FUNCTIONS } from './conditional-functions.js';
import { CONVERSION_FUNCTIONS } from './conversion-functions.js';
import { datetimeFunctions } from './datetime-functions.js';
import { AGGREGATE_NAMES, AGGREGATES } from './aggregates.js';
import { DYNAMIC_FUNCTIONS } from './dynamic-functions.js';
import { MATH_FUNCTIONS } from './math-functions.js';
import { STRING_FUNCTIONS } from './string-functions.js';

/** The exhaustive scalar-function dispatch table: a name not listed here is "not supported". */
const STATIC_FUNCTIONS: Readonly<Record<string, FunctionImpl>> = {
  ...STRING_FUNCTIONS,
  ...CONVERSION_FUNCTIONS,
  ...CONDITIONAL_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...DYNAMIC_FUNCTIONS,
};

export function supportedFunctionNames(): string[] {
  return [...Object.keys(STATIC_FUNCTIONS), ...Object.keys(datetimeFunctions(0n))].sort();
}

export function functionArguments(node: Node): Node[] {
  const list = child(node, 'ArgumentList');
  return elements(list ? child(list, 'Expressions') : null);
}

export function functionName(node: Node): string {
  const name = child(node, 'Name');
  return name ? simpleName(name) : '';
}

export function callFunction(node: Node, sc: ScalarScope, type: KustoType): SqlExpr {
  const name = functionName(node);
  const aggregate = sc.aggregating ? AGGREGATES[name] : undefined;
  const impl = aggregate ?? STATIC_FUNCTIONS[name] ?? datetimeFunctions(sc.ctx.nowTicks)[name];
  // Aggregate arguments are row expressions: nested aggregates are not allowed.
  const argScope: ScalarScope = aggregate ? { ...sc, aggregating: false } : sc;
  if (!impl) {
    const isAggregate = AGGREGATE_NAMES.has(name) || isKustoAggregate(name);
    throw unsupported(isAggregate ? 'Aggregate' : 'Function', name, AGGREGATE_NAMES.has(name) && !sc.aggregating ? 'aggregates are only valid inside summarize' : undefined);
  }
  const nodes = functionArguments(node);
  const memo = new Map<number, SqlExpr>();
  const call: Call = {
    name,
    node,
    nodes,
    argCount: nodes.length,
    type,
    sc: argScope,
    arg(i: number): SqlExpr {
      let e = memo.get(i);
      if (!e) {
        const n = nodes[i];
        if (!n) throw unsupported('Function', name, `argument ${i + 1} is missing`);
        e = scalar(n, argScope);
        memo.set(i, e);
      }
      return e;
    },
  };
  return { sql: storageCast(impl(call), type), type };
}
