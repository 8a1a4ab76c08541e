import type { KustoType } from '../../contracts.js';
import { unsupported } from '../errors.js';
import { convert, EPOCH_OFFSET_TICKS } from '../scalar/conversions.js';
import type { Call, FunctionImpl } from './call.js';

/** Numeric functions, `bin`/`floor` over numbers, datetimes and timespans, and `hash`. */

const real = (c: Call, i: number): string => convert(c.arg(i), 'real').sql;
const INTEGRAL = new Set<KustoType>(['int', 'long', 'timespan', 'datetime']);

/** Floors to a multiple of the bin size; datetimes are binned from 0001-01-01 as Kusto does. */
function bin(c: Call): string {
  const value = c.arg(0);
  const size = c.arg(1);
  if (INTEGRAL.has(value.type) && INTEGRAL.has(size.type)) {
    const x = value.type === 'datetime' ? `(${value.sql} + ${EPOCH_OFFSET_TICKS})` : `CAST(${value.sql} AS BIGINT)`;
    const s = `NULLIF(CAST(${size.sql} AS BIGINT), 0)`;
    const floored = `(${x} - (((${x} % ${s}) + ${s}) % ${s}))`;
    return value.type === 'datetime' ? `(${floored} - ${EPOCH_OFFSET_TICKS})` : floored;
  }
  const floored = `(floor(${real(c, 0)} / NULLIF(${real(c, 1)}, 0)) * ${real(c, 1)})`;
  return c.type === 'real' ? floored : `TRY_CAST(${floored} AS ${c.type === 'int' ? 'INTEGER' : 'BIGINT'})`;
}

/**
 * DuckDB's 64-bit `hash` reinterpreted as a signed long. NOT the xxhash64 that ADX uses: values
 * differ from real Kusto, but are deterministic, which is what partitioning by hash needs.
 */
function hash(c: Call): string {
  const h = `hash(${c.arg(0).sql})`;
  const signed = `CAST(CAST(${h} AS HUGEINT) - CASE WHEN ${h} >= 9223372036854775808::UBIGINT THEN 18446744073709551616::HUGEINT ELSE 0 END AS BIGINT)`;
  if (c.argCount < 2) return signed;
  const mod = convert(c.arg(1), 'long').sql;
  return `((${signed} % ${mod}) + ${mod}) % ${mod}`;
}

function round(c: Call): string {
  const digits = c.argCount > 1 ? convert(c.arg(1), 'int').sql : '0';
  if (c.type === 'long' || c.type === 'int') return `CAST(round(${c.arg(0).sql}, ${digits}) AS BIGINT)`;
  return `round(${real(c, 0)}, ${digits})`;
}

export const MATH_FUNCTIONS: Readonly<Record<string, FunctionImpl>> = {
  bin,
  floor: bin,
  bin_at: () => {
    throw unsupported('Function', 'bin_at');
  },
  round,
  abs: (c) => `abs(${c.arg(0).sql})`,
  ceiling: (c) => `ceil(${c.arg(0).sql})`,
  sqrt: (c) => `sqrt(${real(c, 0)})`,
  exp: (c) => `exp(${real(c, 0)})`,
  log: (c) => `CASE WHEN ${real(c, 0)} > 0 THEN ln(${real(c, 0)}) END`,
  log10: (c) => `CASE WHEN ${real(c, 0)} > 0 THEN log10(${real(c, 0)}) END`,
  log2: (c) => `CASE WHEN ${real(c, 0)} > 0 THEN log2(${real(c, 0)}) END`,
  pow: (c) => `pow(${real(c, 0)}, ${real(c, 1)})`,
  sign: (c) => `sign(${c.arg(0).sql})`,
  min_of: (c) => `least(${c.nodes.map((_, i) => convert(c.arg(i), c.type).sql).join(', ')})`,
  max_of: (c) => `greatest(${c.nodes.map((_, i) => convert(c.arg(i), c.type).sql).join(', ')})`,
  hash,
};
