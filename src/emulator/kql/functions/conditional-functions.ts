import { convert } from '../scalar/conversions.js';
import type { Call, FunctionImpl } from './call.js';

/** iff/case/coalesce and the null tests. Branches are brought to the call's (analysed) type. */

const as = (c: Call, i: number): string => convert(c.arg(i), c.type).sql;
const bool = (c: Call, i: number): string => convert(c.arg(i), 'bool').sql;

function iff(c: Call): string {
  return `CASE WHEN ${bool(c, 0)} THEN ${as(c, 1)} ELSE ${as(c, 2)} END`;
}

export const CONDITIONAL_FUNCTIONS: Readonly<Record<string, FunctionImpl>> = {
  iff,
  iif: iff,
  case: (c) => {
    const whens: string[] = [];
    for (let i = 0; i + 1 < c.argCount; i += 2) whens.push(`WHEN ${bool(c, i)} THEN ${as(c, i + 1)}`);
    return `CASE ${whens.join(' ')} ELSE ${as(c, c.argCount - 1)} END`;
  },
  coalesce: (c) => {
    // For strings Kusto skips empty values, not only nulls.
    const items = c.nodes.map((_, i) => (c.type === 'string' ? `NULLIF(${as(c, i)}, '')` : as(c, i)));
    return c.type === 'string' ? `COALESCE(${items.join(', ')}, '')` : `COALESCE(${items.join(', ')})`;
  },
  not: (c) => `(NOT ${bool(c, 0)})`,
  isnull: (c) => (c.arg(0).type === 'string' ? 'false' : `(${c.arg(0).sql} IS NULL)`),
  isnotnull: (c) => (c.arg(0).type === 'string' ? 'true' : `(${c.arg(0).sql} IS NOT NULL)`),
  isnan: (c) => `isnan(${convert(c.arg(0), 'real').sql})`,
  isinf: (c) => `isinf(${convert(c.arg(0), 'real').sql})`,
  isfinite: (c) => `isfinite(${convert(c.arg(0), 'real').sql})`,
};
