import type { KustoType } from '../../contracts.js';
import { convert } from '../scalar/conversions.js';
import type { FunctionImpl } from './call.js';

/** `toX()` conversions and the typed-literal-like calls `long(x)`, `todynamic(s)`. */

const to = (type: KustoType): FunctionImpl => (c) => convert(c.arg(0), type).sql;

export const CONVERSION_FUNCTIONS: Readonly<Record<string, FunctionImpl>> = {
  tostring: to('string'),
  toint: to('int'),
  tolong: to('long'),
  todouble: to('real'),
  toreal: to('real'),
  todecimal: to('decimal'),
  tobool: to('bool'),
  toboolean: to('bool'),
  todatetime: to('datetime'),
  totimespan: to('timespan'),
  time: to('timespan'),
  toguid: to('guid'),
  todynamic: to('dynamic'),
  toobject: to('dynamic'),
  parse_json: to('dynamic'),
};
