/** SQL text builders. Every identifier and literal the translator emits goes through here. */

/** A DuckDB quoted identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A DuckDB string literal; DuckDB strings have no backslash escapes, only doubled quotes. */
export function str(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function bigint(value: bigint | number | string): string {
  return `CAST(${BigInt(value).toString()} AS BIGINT)`;
}

/** A SQL literal for a double, including the non-finite values. */
export function real(value: number): string {
  if (Number.isNaN(value)) return `CAST('NaN' AS DOUBLE)`;
  if (value === Infinity) return `CAST('Infinity' AS DOUBLE)`;
  if (value === -Infinity) return `CAST('-Infinity' AS DOUBLE)`;
  return `CAST(${String(value)} AS DOUBLE)`;
}

export function paren(sql: string): string {
  return `(${sql})`;
}
