import type { KustoType } from '../../contracts.js';
import type { ScalarScope, SqlExpr } from '../context.js';
import type { Node } from '../syntax.js';

/** What a scalar function implementation receives. */
export interface Call {
  readonly name: string;
  readonly node: Node;
  /** The argument syntax nodes. */
  readonly nodes: readonly Node[];
  /** Argument `i` translated (memoised). */
  arg(i: number): SqlExpr;
  readonly argCount: number;
  /** The analyser's result type of the call: the implementation returns SQL of this storage type. */
  readonly type: KustoType;
  readonly sc: ScalarScope;
}

/** Returns SQL whose value has the storage form of `call.type`. */
export type FunctionImpl = (call: Call) => string;
