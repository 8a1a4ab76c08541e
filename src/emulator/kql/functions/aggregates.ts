import { DUCKDB_TYPE } from '../../storage-types.js';
import { unsupported } from '../errors.js';
import { convert, toDynamicSql } from '../scalar/conversions.js';
import type { Call, FunctionImpl } from './call.js';

/**
 * Aggregate functions for `summarize`, as DuckDB aggregates. `dcount` is exact (ADX estimates);
 * `make_list`/`make_set` ignore nulls and have no guaranteed order, as in Kusto.
 */

const filtered = (c: Call, predicateIndex: number | undefined): string =>
  predicateIndex === undefined ? '' : ` FILTER (WHERE ${convert(c.arg(predicateIndex), 'bool').sql})`;

function sum(predicate?: number): FunctionImpl {
  return (c) => {
    const x = c.arg(0);
    const value = x.type === 'int' ? `CAST(${x.sql} AS BIGINT)` : x.sql;
    return `CAST(sum(${value})${filtered(c, predicate)} AS ${DUCKDB_TYPE[c.type]})`;
  };
}

function avg(predicate?: number): FunctionImpl {
  return (c) => {
    const x = c.arg(0);
    if (c.type === 'real') return `avg(CAST(${x.sql} AS DOUBLE))${filtered(c, predicate)}`;
    // datetime, timespan, decimal averages keep their type.
    return `CAST(avg(${x.sql})${filtered(c, predicate)} AS ${DUCKDB_TYPE[c.type]})`;
  };
}

function extreme(fn: 'min' | 'max', predicate?: number): FunctionImpl {
  return (c) => {
    const x = c.arg(0);
    // Kusto's min/max skip empty strings like nulls.
    const value = x.type === 'string' ? `NULLIF(${x.sql}, '')` : x.sql;
    return `${fn}(${value})${filtered(c, predicate)}`;
  };
}

function makeList(distinct: boolean, predicate?: number, sizeIndex?: number): FunctionImpl {
  return (c) => {
    const x = c.arg(0);
    const element = toDynamicSql(x);
    const condition = [`${x.sql} IS NOT NULL`, predicate === undefined ? null : convert(c.arg(predicate), 'bool').sql].filter(Boolean).join(' AND ');
    let list = `list(${distinct ? 'DISTINCT ' : ''}${element}) FILTER (WHERE ${condition})`;
    if (sizeIndex !== undefined && sizeIndex < c.argCount) list = `list_slice(${list}, 1, ${convert(c.arg(sizeIndex), 'long').sql})`;
    return `COALESCE(CAST(to_json(${list}) AS JSON), CAST('[]' AS JSON))`;
  };
}

function anyValue(c: Call): string {
  return `any_value(${c.arg(0).sql})`;
}

export const AGGREGATES: Readonly<Record<string, FunctionImpl>> = {
  count: (c) => (c.argCount > 0 ? `count_if(${convert(c.arg(0), 'bool').sql})` : 'count(*)'),
  countif: (c) => `CAST(count_if(${convert(c.arg(0), 'bool').sql}) AS BIGINT)`,
  sum: sum(),
  sumif: sum(1),
  avg: avg(),
  avgif: avg(1),
  min: extreme('min'),
  max: extreme('max'),
  minif: extreme('min', 1),
  maxif: extreme('max', 1),
  dcount: (c) => `CAST(count(DISTINCT ${c.arg(0).sql}) AS BIGINT)`,
  dcountif: (c) => `CAST(count(DISTINCT ${c.arg(0).sql}) FILTER (WHERE ${convert(c.arg(1), 'bool').sql}) AS BIGINT)`,
  count_distinct: (c) => `CAST(count(DISTINCT ${c.arg(0).sql}) AS BIGINT)`,
  make_list: makeList(false, undefined, 1),
  make_list_if: makeList(false, 1, 2),
  make_set: makeList(true, undefined, 1),
  make_set_if: makeList(true, 1, 2),
  any: anyValue,
  take_any: anyValue,
  percentile: (c) => {
    // Nearest-rank percentile (a value of the column), as Kusto's; the percentage must be a constant.
    const p = Number(c.nodes[1]?.LiteralValue ?? NaN);
    if (!Number.isFinite(p) || p < 0 || p > 100) throw unsupported('Aggregate', 'percentile', 'the percentage must be a number literal between 0 and 100');
    const x = c.arg(0);
    return `quantile_disc(${x.type === 'string' ? `NULLIF(${x.sql}, '')` : x.sql}, ${p / 100})`;
  },
  stdev: (c) => `stddev_samp(CAST(${c.arg(0).sql} AS DOUBLE))`,
  stdevp: (c) => `stddev_pop(CAST(${c.arg(0).sql} AS DOUBLE))`,
  variance: (c) => `var_samp(CAST(${c.arg(0).sql} AS DOUBLE))`,
  variancep: (c) => `var_pop(CAST(${c.arg(0).sql} AS DOUBLE))`,
};

/** Aggregates that yield several columns; handled by the summarize operator itself. */
export const MULTI_COLUMN_AGGREGATES = new Set(['arg_max', 'arg_min']);

/** Every aggregate name, for clear errors when one is used outside summarize. */
export const AGGREGATE_NAMES = new Set([...Object.keys(AGGREGATES), ...MULTI_COLUMN_AGGREGATES]);
