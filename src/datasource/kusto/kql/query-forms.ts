/**
 * Query texts derived from the user's `kustoQuery` (reference §4.1, §4.2, §1.2). The connector glues
 * `| take 0` and friends onto the query with no space; kjob keeps that form (golden tests) and adds a
 * line break first when the query's last line holds a `//` comment, which would otherwise swallow it.
 */
import { ConfigError } from '../../../errors/kjob-error.js';
import { quoteIdentifier } from './quote.js';

/** Trims the query and removes trailing `;` (a trailing statement separator breaks appended pipes). */
export function normalizeQuery(query: string): string {
  return query.trim().replace(/[;\s]+$/, '');
}

/** Appends pipe text to a query, on a new line when the query's last line holds a `//` comment. */
export function appendToQuery(query: string, pipe: string): string {
  return append(query, pipe);
}

function append(query: string, pipe: string): string {
  const q = normalizeQuery(query);
  const lastLine = q.slice(q.lastIndexOf('\n') + 1);
  return lastLine.includes('//') ? `${q}\n${pipe}` : `${q}${pipe}`;
}

/** `<q>| take 0`: the result schema, no rows. */
export function schemaQuery(query: string): string {
  return append(query, '| take 0');
}

/** `<q>| take N`. */
export function limitQuery(query: string, limit: number): string {
  if (!Number.isInteger(limit) || limit < 0) throw new ConfigError(`A row limit must be a non-negative integer, got ${limit}`);
  return append(query, `| take ${limit}`);
}

/**
 * `<q>| evaluate estimate_rows_count()`. The connector runs this on the raw query, so a trailing `;`
 * broke it and silently forced Distributed mode; kjob normalises first.
 */
export function estimateRowsCountQuery(query: string): string {
  return append(query, '| evaluate estimate_rows_count()');
}

/** `<q>| count`. */
export function countQuery(query: string): string {
  return append(query, '| count');
}

/** The relation a batch write returns: `['T']| take <n>`, or the whole table for `none`. */
export function writeResultQuery(table: string, limit: number | 'none'): string {
  return limit === 'none' ? quoteIdentifier(table) : limitQuery(quoteIdentifier(table), limit);
}
