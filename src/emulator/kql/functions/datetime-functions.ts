import { TICKS } from '../../storage-types.js';
import { unsupported } from '../errors.js';
import { convert } from '../scalar/conversions.js';
import { bigint, str } from '../sql.js';
import type { Call, FunctionImpl } from './call.js';

/** Datetime functions over tick values (BIGINT 100 ns since the Unix epoch). */

const dt = (c: Call, i: number): string => convert(c.arg(i), 'datetime').sql;

/** A DuckDB TIMESTAMP (microseconds) for a tick value, flooring toward the past. */
export function ticksToTimestamp(t: string): string {
  return `make_timestamp((${t} - (((${t} % 10) + 10) % 10)) // 10)`;
}

function timestampToTicks(ts: string): string {
  return `(epoch_us(${ts}) * 10)`;
}

function part(name: string): FunctionImpl {
  return (c) => `CAST(date_part('${name}', ${ticksToTimestamp(dt(c, 0))}) AS ${c.type === 'int' ? 'INTEGER' : 'BIGINT'})`;
}

function startOf(unit: string): FunctionImpl {
  return (c) => `CASE WHEN ${dt(c, 0)} IS NULL THEN NULL ELSE ${timestampToTicks(`date_trunc('${unit}', ${ticksToTimestamp(dt(c, 0))})`)} END`;
}

/** Kusto format_datetime specifiers, longest first. */
const FORMAT_PARTS: ReadonlyArray<[string, (ts: string, ticks: string) => string]> = [
  ['yyyy', (ts) => `lpad(CAST(year(${ts}) AS VARCHAR), 4, '0')`],
  ['yy', (ts) => `lpad(CAST(year(${ts}) % 100 AS VARCHAR), 2, '0')`],
  ['MM', (ts) => `lpad(CAST(month(${ts}) AS VARCHAR), 2, '0')`],
  ['M', (ts) => `CAST(month(${ts}) AS VARCHAR)`],
  ['dd', (ts) => `lpad(CAST(day(${ts}) AS VARCHAR), 2, '0')`],
  ['d', (ts) => `CAST(day(${ts}) AS VARCHAR)`],
  ['HH', (ts) => `lpad(CAST(hour(${ts}) AS VARCHAR), 2, '0')`],
  ['H', (ts) => `CAST(hour(${ts}) AS VARCHAR)`],
  ['hh', (ts) => `lpad(CAST(CASE WHEN hour(${ts}) % 12 = 0 THEN 12 ELSE hour(${ts}) % 12 END AS VARCHAR), 2, '0')`],
  ['h', (ts) => `CAST(CASE WHEN hour(${ts}) % 12 = 0 THEN 12 ELSE hour(${ts}) % 12 END AS VARCHAR)`],
  ['mm', (ts) => `lpad(CAST(minute(${ts}) AS VARCHAR), 2, '0')`],
  ['m', (ts) => `CAST(minute(${ts}) AS VARCHAR)`],
  ['ss', (ts) => `lpad(CAST(second(${ts}) AS VARCHAR), 2, '0')`],
  ['s', (ts) => `CAST(second(${ts}) AS VARCHAR)`],
  ['tt', (ts) => `CASE WHEN hour(${ts}) < 12 THEN 'AM' ELSE 'PM' END`],
];

function formatDatetime(c: Call): string {
  const fmtNode = c.nodes[1];
  const fmt = fmtNode ? String(fmtNode.LiteralValue ?? '') : '';
  if (!fmtNode || fmtNode.LiteralValue === undefined || fmtNode.LiteralValue === null) throw unsupported('Function', 'format_datetime', 'the format must be a string literal');
  const ticks = dt(c, 0);
  const ts = ticksToTimestamp(ticks);
  const pieces: string[] = [];
  let literal = '';
  for (let i = 0; i < fmt.length; ) {
    const fractional = /^[fF]{1,7}/.exec(fmt.slice(i));
    if (fractional) {
      if (literal) pieces.push(str(literal));
      literal = '';
      const width = fractional[0].length;
      pieces.push(`substr(lpad(CAST(((${ticks} % 10000000) + 10000000) % 10000000 AS VARCHAR), 7, '0'), 1, ${width})`);
      i += width;
      continue;
    }
    const spec = FORMAT_PARTS.find(([p]) => fmt.startsWith(p, i));
    if (spec) {
      if (literal) pieces.push(str(literal));
      literal = '';
      pieces.push(spec[1](ts, ticks));
      i += spec[0].length;
      continue;
    }
    literal += fmt[i];
    i += 1;
  }
  if (literal) pieces.push(str(literal));
  return `CASE WHEN ${ticks} IS NULL THEN '' ELSE ${pieces.length ? pieces.join(' || ') : "''"} END`;
}

function makeDatetime(c: Call): string {
  const n = (i: number): string => (i < c.argCount ? convert(c.arg(i), 'long').sql : '0');
  const seconds = c.argCount > 5 ? convert(c.arg(5), 'real').sql : '0';
  const whole = `TRY(make_timestamp(${n(0)}, ${n(1)}, ${n(2)}, ${n(3)}, ${n(4)}, 0))`;
  return `(${timestampToTicks(whole)} + CAST(round(${seconds} * 10000000) AS BIGINT))`;
}

/** The period argument of datetime_add/diff/part, which Kusto requires to be a constant string. */
function period(c: Call): string {
  const node = c.nodes[0];
  const value = node?.LiteralValue;
  if (typeof value !== 'string') throw unsupported('Function', c.name, 'the period must be a string literal');
  return value.toLowerCase();
}

const FIXED_PERIOD_TICKS: Readonly<Record<string, bigint>> = {
  week: 7n * TICKS.day,
  day: TICKS.day,
  hour: TICKS.hour,
  minute: TICKS.minute,
  second: TICKS.second,
  millisecond: TICKS.millisecond,
  microsecond: TICKS.microsecond,
};
const MONTHS_PER_PERIOD: Readonly<Record<string, number>> = { year: 12, quarter: 3, month: 1 };

function datetimeAdd(c: Call): string {
  const p = period(c);
  const amount = convert(c.arg(1), 'long').sql;
  const t = dt(c, 2);
  const fixed = FIXED_PERIOD_TICKS[p];
  if (fixed !== undefined) return `(${t} + ${amount} * ${bigint(fixed)})`;
  if (p === 'nanosecond') return `(${t} + ${amount} // 100)`;
  const months = MONTHS_PER_PERIOD[p];
  if (months === undefined) throw unsupported('Function', 'datetime_add', `period '${p}'`);
  // Calendar arithmetic on the microsecond timestamp, keeping the sub-microsecond tick.
  return `(${timestampToTicks(`(${ticksToTimestamp(t)} + to_months(CAST(${amount} * ${months} AS INTEGER)))`)} + (((${t} % 10) + 10) % 10))`;
}

function datetimeDiff(c: Call): string {
  const p = period(c);
  const a = dt(c, 1);
  const b = dt(c, 2);
  if (p === 'nanosecond') return `((${a} - ${b}) * 100)`;
  if (p === 'microsecond') return `((${a} - ${b}) // 10)`;
  if (!['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond'].includes(p)) throw unsupported('Function', 'datetime_diff', `period '${p}'`);
  // Kusto counts the period boundaries crossed, as DuckDB's date_diff does.
  return `date_diff('${p}', ${ticksToTimestamp(b)}, ${ticksToTimestamp(a)})`;
}

function datetimePart(c: Call): string {
  const p = period(c);
  const t = dt(c, 1);
  const fraction = `(((${t} % 10000000) + 10000000) % 10000000)`;
  if (p === 'millisecond') return `(${fraction} // 10000)`;
  if (p === 'microsecond') return `(${fraction} // 10)`;
  if (p === 'nanosecond') return `(${fraction} * 100)`;
  const part = { weekofyear: 'week', week_of_year: 'week' }[p] ?? p;
  if (!['year', 'quarter', 'month', 'week', 'day', 'dayofyear', 'hour', 'minute', 'second'].includes(part)) throw unsupported('Function', 'datetime_part', `part '${p}'`);
  return `date_part('${part}', ${ticksToTimestamp(t)})`;
}

export function datetimeFunctions(nowTicks: bigint): Readonly<Record<string, FunctionImpl>> {
  return {
    now: (c) => (c.argCount > 0 ? `(${bigint(nowTicks)} + ${convert(c.arg(0), 'timespan').sql})` : bigint(nowTicks)),
    ago: (c) => `(${bigint(nowTicks)} - ${convert(c.arg(0), 'timespan').sql})`,
    make_datetime: makeDatetime,
    datetime_add: datetimeAdd,
    datetime_diff: datetimeDiff,
    datetime_part: datetimePart,
    // Kusto weeks start on Sunday (DuckDB's date_trunc('week') uses ISO Mondays).
    startofweek: (c) => {
      const day = startOf('day')(c);
      return `(${day} - ((((${day} + ${bigint(4n * TICKS.day)}) % ${bigint(7n * TICKS.day)}) + ${bigint(7n * TICKS.day)}) % ${bigint(7n * TICKS.day)}))`;
    },
    endofday: (c) => `(${startOf('day')(c)} + ${bigint(TICKS.day - 1n)})`,
    format_datetime: formatDatetime,
    startofday: startOf('day'),
    startofmonth: startOf('month'),
    startofyear: startOf('year'),
    getyear: part('year'),
    getmonth: part('month'),
    dayofmonth: part('day'),
    hourofday: part('hour'),
    // Days since the last Sunday, as a timespan; 1970-01-01 was a Thursday.
    dayofweek: (c) => `(((${dt(c, 0)} + ${bigint(4n * TICKS.day)}) % ${bigint(7n * TICKS.day)} + ${bigint(7n * TICKS.day)}) % ${bigint(7n * TICKS.day)})`,
    unixtime_seconds_todatetime: (c) => `CAST(round(${convert(c.arg(0), 'real').sql} * 10000000) AS BIGINT)`,
    unixtime_milliseconds_todatetime: (c) => `CAST(round(${convert(c.arg(0), 'real').sql} * 10000) AS BIGINT)`,
  };
}
