import { convert } from '../scalar/conversions.js';
import { scalar } from '../scalar/expression.js';
import { requireChild } from '../syntax.js';
import { type OperatorImpl, rowScope } from './common.js';

/** `where` / `filter`: null conditions drop the row, as in Kusto. */
export const filter: OperatorImpl = ({ ctx, input, op }) => {
  const alias = ctx.nextId('t');
  const cond = convert(scalar(requireChild(op, 'Condition'), rowScope(ctx, alias, input)), 'bool');
  return { sql: `SELECT * FROM (${input.sql}) AS ${alias} WHERE ${cond.sql}`, cols: input.cols };
};
