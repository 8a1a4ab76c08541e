import type { Table } from 'apache-arrow';
import { toStrings } from '../executor/eval/cast.js';
import type { Data } from 'apache-arrow';

/**
 * Spark's `show()` layout: `+---+` borders, a header row, cells right-aligned (left-aligned when not
 * truncating), `null` for nulls, cells over 20 characters cut to 17 + `...` when truncating, and a
 * footer `only showing top N rows` when there were more rows than shown.
 *
 * `table` holds up to n + 1 rows: the extra one only tells whether to print the footer.
 */
export function formatShow(table: Table, n: number, truncate: boolean | number = true): string {
  const names = table.schema.fields.map((f) => f.name);
  const limit = typeof truncate === 'number' ? truncate : truncate ? 20 : 0;
  const cells: string[][] = [];
  for (const batch of table.batches) {
    const cols = batch.data.children.map((c) => toStrings(c as Data));
    for (let i = 0; i < batch.numRows && cells.length < n; i++) cells.push(cols.map((c) => cut(display(c[i] ?? null), limit)));
  }
  const header = names.map((h) => cut(display(h), limit));
  const widths = header.map((h, c) => Math.max(3, width(h), ...cells.map((r) => width(r[c]!))));
  const sep = `+${widths.map((w) => '-'.repeat(w)).join('+')}+`;
  const line = (vals: string[]) => `|${vals.map((v, c) => pad(v, widths[c]!, limit > 0)).join('|')}|`;
  const out = [sep, line(header), sep, ...cells.map(line), sep];
  if (table.numRows > n) out.push(`only showing top ${n} ${n === 1 ? 'row' : 'rows'}`);
  return out.join('\n') + '\n';
}

// Control characters would break the table's lines: shown escaped, as Spark (3.4+) does.
const META: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\f': '\\f', '\b': '\\b', '\u000b': '\\v', '\u0007': '\\a' };

function display(v: string | null): string {
  return v === null ? 'null' : v.replace(/[\n\r\t\f\b\u000b\u0007]/g, (c) => META[c]!);
}

function cut(s: string, limit: number): string {
  if (limit <= 0 || width(s) <= limit) return s;
  const chars = Array.from(s);
  return limit < 4 ? chars.slice(0, limit).join('') : chars.slice(0, limit - 3).join('') + '...';
}

function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}
