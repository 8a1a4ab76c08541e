import { unsupported } from '../errors.js';
import { convert } from '../scalar/conversions.js';
import type { Call, FunctionImpl } from './call.js';

/** String functions. Kusto strings are never null: results coalesce to ''. */

const s = (c: Call, i: number): string => convert(c.arg(i), 'string').sql;
const n = (c: Call, i: number): string => convert(c.arg(i), 'long').sql;

/** `trim(regex, s)`: removes leading and trailing matches of the regex. */
function trimWith(c: Call, leading: boolean, trailing: boolean): string {
  const re = s(c, 0);
  const parts = [leading ? `'^(?:' || ${re} || ')+'` : null, trailing ? `'(?:' || ${re} || ')+$'` : null].filter((p) => p !== null);
  let out = s(c, 1);
  for (const p of parts) out = `regexp_replace(${out}, ${p}, '')`;
  return `COALESCE(${out}, '')`;
}

export const STRING_FUNCTIONS: Readonly<Record<string, FunctionImpl>> = {
  strlen: (c) => `CAST(length(${s(c, 0)}) AS BIGINT)`,
  tolower: (c) => `lower(${s(c, 0)})`,
  toupper: (c) => `upper(${s(c, 0)})`,
  strcat: (c) => `concat(${c.nodes.map((_, i) => s(c, i)).join(', ')})`,
  strcat_delim: (c) => `concat_ws(${s(c, 0)}, ${c.nodes.slice(1).map((_, i) => s(c, i + 1)).join(', ')})`,
  substring: (c) => {
    // Kusto: zero-based start, clamped at 0; a missing length means "to the end".
    const start = `greatest(${n(c, 1)}, 0)`;
    const text = s(c, 0);
    return c.argCount > 2 ? `COALESCE(substring(${text}, ${start} + 1, greatest(${n(c, 2)}, 0)), '')` : `COALESCE(substring(${text}, ${start} + 1), '')`;
  },
  trim: (c) => trimWith(c, true, true),
  trim_start: (c) => trimWith(c, true, false),
  trim_end: (c) => trimWith(c, false, true),
  split: (c) => {
    const parts = `string_split(${s(c, 0)}, ${s(c, 1)})`;
    if (c.argCount > 2) {
      const i = n(c, 2);
      return `CAST(to_json(CASE WHEN ${i} >= 0 AND ${i} < len(${parts}) THEN [${parts}[${i} + 1]] ELSE []::VARCHAR[] END) AS JSON)`;
    }
    return `CAST(to_json(${parts}) AS JSON)`;
  },
  replace_string: (c) => `replace(${s(c, 0)}, ${s(c, 1)}, ${s(c, 2)})`,
  replace_regex: (c) => `regexp_replace(${s(c, 0)}, ${s(c, 1)}, ${s(c, 2)}, 'g')`,
  indexof: (c) => `CAST(strpos(${s(c, 0)}, ${s(c, 1)}) - 1 AS BIGINT)`,
  reverse: (c) => `reverse(${s(c, 0)})`,
  extract: (c) => {
    // DuckDB needs the capture group as a constant.
    const groupNode = c.nodes[1];
    const group = groupNode ? Number(c.sc.ctx.text.slice(groupNode.TextStart, groupNode.End).trim()) : NaN;
    if (!Number.isInteger(group) || group < 0) throw unsupported('Function', 'extract', 'the capture group must be an integer literal');
    return `COALESCE(regexp_extract(${s(c, 2)}, ${s(c, 0)}, ${group}), '')`;
  },
  isempty: (c) => (c.arg(0).type === 'string' ? `(COALESCE(${c.arg(0).sql}, '') = '')` : `(${c.arg(0).sql} IS NULL)`),
  isnotempty: (c) => (c.arg(0).type === 'string' ? `(COALESCE(${c.arg(0).sql}, '') <> '')` : `(${c.arg(0).sql} IS NOT NULL)`),
};
