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
  countof: (c) => {
    const kind = c.argCount > 2 ? String(c.nodes[2]?.LiteralValue ?? '') : 'normal';
    if (kind === 'regex') return `CAST(len(regexp_extract_all(${s(c, 0)}, ${s(c, 1)})) AS BIGINT)`;
    if (kind !== 'normal') throw unsupported('Function', 'countof', `kind '${kind}'`);
    // 'normal' counts overlapping occurrences: countof("aaaa", "aa") is 3.
    const text = s(c, 0);
    const needle = s(c, 1);
    return `CASE WHEN length(${needle}) = 0 THEN 0 ELSE CAST(len(list_filter(range(0, greatest(length(${text}) - length(${needle}) + 1, 0)), lambda kq_i: substr(${text}, kq_i + 1, length(${needle})) = ${needle})) AS BIGINT) END`;
  },
  strrep: (c) => {
    const delimiter = c.argCount > 2 ? s(c, 2) : `''`;
    return `COALESCE(array_to_string(list_transform(range(greatest(${n(c, 1)}, 0)), lambda kq_i: ${s(c, 0)}), ${delimiter}), '')`;
  },
  base64_encode_tostring: (c) => `to_base64(encode(${s(c, 0)}))`,
  base64_decode_tostring: (c) => `COALESCE(TRY(decode(from_base64(${s(c, 0)}))), '')`,
  isempty: (c) => (c.arg(0).type === 'string' ? `(COALESCE(${c.arg(0).sql}, '') = '')` : `(${c.arg(0).sql} IS NULL)`),
  isnotempty: (c) => (c.arg(0).type === 'string' ? `(COALESCE(${c.arg(0).sql}, '') <> '')` : `(${c.arg(0).sql} IS NOT NULL)`),
};
