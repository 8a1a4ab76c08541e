import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KqlTestDb } from './kql-test-db.js';
import { DAY, fixtureDb, HOUR, JAN1 } from './fixtures.js';

/** Scalar operators and functions, each compared with the value (and type) Kusto returns. */

let db: KqlTestDb;
before(async () => {
  db = await fixtureDb();
});
after(() => db.close());

/** Evaluates `print x = <expr>` and returns [value, kusto type]. */
async function value(expr: string): Promise<[unknown, string]> {
  const r = await db.query(`print x = ${expr}`);
  return [r.rows[0]?.[0], r.columns[0]?.type ?? '?'];
}

async function check(cases: ReadonlyArray<[string, unknown, string]>): Promise<void> {
  for (const [expr, expected, type] of cases) {
    const [v, t] = await value(expr);
    assert.deepEqual(v, expected, `${expr} = ${String(v)}, expected ${String(expected)}`);
    assert.equal(t, type, `type of ${expr}`);
  }
}

describe('arithmetic', () => {
  it('integer division truncates toward zero; modulo follows the dividend', () =>
    check([
      ['7 / 2', 3n, 'long'],
      ['-7 / 2', -3n, 'long'],
      ['7 % 3', 1n, 'long'],
      ['-7 % 3', -1n, 'long'],
      ['7 / 2.0', 3.5, 'real'],
      ['int(7) / int(2)', 3n, 'long'], // as Kusto.Language types it
      ['1 / 0', null, 'long'],
      ['1.0 / 0', Infinity, 'real'],
      ['2 * 3 + 1', 7n, 'long'],
      ['-(5)', -5n, 'long'],
    ]));

  it('null propagates', () =>
    check([
      ['long(null) + 1', null, 'long'],
      ['real(null) * 2', null, 'real'],
    ]));

  it('datetime and timespan arithmetic on ticks', () =>
    check([
      ['datetime(2024-01-02) - datetime(2024-01-01)', DAY, 'timespan'],
      ['datetime(2024-01-01) + 1h', JAN1 + HOUR, 'datetime'],
      ['datetime(2024-01-01) - 1d', JAN1 - DAY, 'datetime'],
      ['2h / 1h', 2, 'real'],
      ['1h * 3', 3n * HOUR, 'timespan'],
      ['1d + 30m', DAY + 30n * 600_000_000n, 'timespan'],
    ]));

  it('long values beyond 2^53 stay exact', () =>
    check([
      ['9223372036854775807', 9223372036854775807n, 'long'],
      ['9007199254740993 + 2', 9007199254740995n, 'long'],
      ['tostring(9007199254740993)', '9007199254740993', 'string'],
      ['tolong("9223372036854775807")', 9223372036854775807n, 'long'],
    ]));
});

describe('comparison and logic', () => {
  it('comparison, and/or/not, iff/iif/case', () =>
    check([
      ['1 < 2 and 2 <= 2', true, 'bool'],
      ['1 > 2 or 3 >= 4', false, 'bool'],
      ['not(1 == 1)', false, 'bool'],
      ['1 != 2', true, 'bool'],
      ['iff(1 > 2, "y", "n")', 'n', 'string'],
      ['iif(true, 1, 2)', 1n, 'long'],
      ['iff(bool(null), 1, 2)', 2n, 'long'],
      ['case(1 > 2, "a", 3 > 2, "b", "c")', 'b', 'string'],
      ['case(false, 1, 9)', 9n, 'long'],
      ['coalesce(long(null), 5)', 5n, 'long'],
      ['coalesce("", "z")', 'z', 'string'],
    ]));

  it('in, !in, in~, between, !between', () =>
    check([
      ['2 in (1, 2, 3)', true, 'bool'],
      ['5 !in (1, 2)', true, 'bool'],
      ['"B" in ("a", "b")', false, 'bool'],
      ['"B" in~ ("a", "b")', true, 'bool'],
      ['"B" !in~ ("a", "b")', false, 'bool'],
      ['long(null) in (1)', false, 'bool'],
      ['5 between (1 .. 5)', true, 'bool'],
      ['5 !between (1 .. 4)', true, 'bool'],
      ['datetime(2024-01-01T05:00:00) between (datetime(2024-01-01) .. 6h)', true, 'bool'],
      ['2 in (dynamic([1, 2]))', true, 'bool'],
      ['"B" in~ (dynamic(["a", "b"]))', true, 'bool'],
      ['3 !in (dynamic([1, 2]), 5)', true, 'bool'],
    ]));

  it('toscalar() of a tabular expression', async () => {
    assert.deepEqual(await db.column('Events | where n == toscalar(Events | summarize max(n)) | project id'), [6n]);
    assert.deepEqual((await db.query('print x = toscalar(People | count)')).rows, [[4n]]);
  });

  it('in with a tabular right side', async () => {
    assert.deepEqual(await db.column('Events | where id in (People | project id) | project id'), [1n, 2n]);
    assert.deepEqual(await db.column('let ids = dynamic([1, 2]); Events | where id in (ids) | project id'), [1n, 2n]);
  });
});

describe('string operators', () => {
  it('case-insensitive and case-sensitive equality and containment', () =>
    check([
      ['"ÄB" =~ "äb"', true, 'bool'],
      ['"abc" !~ "ABC"', false, 'bool'],
      ['"abc" == "ABC"', false, 'bool'],
      ['"Hello World" contains "WORLD"', true, 'bool'],
      ['"Hello World" contains_cs "WORLD"', false, 'bool'],
      ['"Hello" !contains "x"', true, 'bool'],
      ['"Hello" !contains_cs "H"', false, 'bool'],
      ['"Hello" startswith "he"', true, 'bool'],
      ['"Hello" startswith_cs "he"', false, 'bool'],
      ['"Hello" !startswith "x"', true, 'bool'],
      ['"Hello" !startswith_cs "H"', false, 'bool'],
      ['"Hello" endswith "LO"', true, 'bool'],
      ['"Hello" endswith_cs "LO"', false, 'bool'],
      ['"Hello" !endswith "lo"', false, 'bool'],
      ['"Hello" !endswith_cs "LO"', true, 'bool'],
    ]));

  it('has matches whole terms only', () =>
    check([
      ['"Hello World" has "world"', true, 'bool'],
      ['"Hello World" has "wor"', false, 'bool'],
      ['"Hello World" has_cs "world"', false, 'bool'],
      ['"Hello World" !has "xyz"', true, 'bool'],
      ['"ingest-by:abc" has "abc"', true, 'bool'],
      ['"a.b*c" has "b*c"', true, 'bool'],
      ['"abc123" matches regex @"\\d+$"', true, 'bool'],
      ['"abc def" hasprefix "de"', true, 'bool'],
    ]));
});

describe('string functions', () => {
  it('strlen, substring, strcat, tolower, toupper, trim, split', () =>
    check([
      ['strlen("héllo")', 5n, 'long'],
      ['strlen("")', 0n, 'long'],
      ['substring("abcdef", 2, 3)', 'cde', 'string'],
      ['substring("abcdef", 4)', 'ef', 'string'],
      ['substring("abc", 10, 2)', '', 'string'],
      ['strcat("a", 1, true, 1.5, "")', 'a1true1.5', 'string'],
      ['strcat_delim("-", "a", 1)', 'a-1', 'string'],
      ['tolower("ÄBC")', 'äbc', 'string'],
      ['toupper("abc é")', 'ABC É', 'string'],
      ['trim(@"\\s", "  x y  ")', 'x y', 'string'],
      ['trim("-", "--x--")', 'x', 'string'],
      ['trim_start("a", "aaxa")', 'xa', 'string'],
      ['trim_end("a", "aaxa")', 'aax', 'string'],
      ['split("a,b,c", ",")', '["a","b","c"]', 'dynamic'],
      ['split("a,b,c", ",", 1)', '["b"]', 'dynamic'],
      ['split("", ",")', '[""]', 'dynamic'],
      ['replace_string("aaa", "a", "bb")', 'bbbbbb', 'string'],
      ['replace_regex("a1b22", @"\\d+", "#")', 'a#b#', 'string'],
      ['extract(@"(\\d+)", 1, "ab12cd")', '12', 'string'],
      ['indexof("abc", "c")', 2n, 'long'],
      ['reverse("abc")', 'cba', 'string'],
      ['isempty("")', true, 'bool'],
      ['isnotempty("x")', true, 'bool'],
      ['isnull(long(null))', true, 'bool'],
      ['isnotnull(1)', true, 'bool'],
      ['isnull("")', false, 'bool'],
      ['countof("aaaa", "aa")', 3n, 'long'],
      ['countof("aaaa", "aa", "regex")', 2n, 'long'],
      ['strrep("ab", 3, "-")', 'ab-ab-ab', 'string'],
      ['base64_encode_tostring("Kusto é")', 'S3VzdG8gw6k=', 'string'],
      ['base64_decode_tostring("S3VzdG8gw6k=")', 'Kusto é', 'string'],
      ['strcat_array(dynamic([1, "b", true]), ",")', '1,b,true', 'string'],
      ['array_concat(dynamic([1, 2]), dynamic(["a"]))', '[1,2,"a"]', 'dynamic'],
      ['array_slice(dynamic([1, 2, 3, 4]), 1, 2)', '[2,3]', 'dynamic'],
      ['array_slice(dynamic([1, 2, 3, 4]), -2, -1)', '[3,4]', 'dynamic'],
      ['strlen(tostring(new_guid()))', 36n, 'long'],
    ]));

  it('string literal forms and escapes', () =>
    check([
      [`'single'`, 'single', 'string'],
      [`"dq \\" \\' \\\\ \\n \\t \\u00e9"`, `dq " ' \\ \n \t é`, 'string'],
      [`@'verbatim \\n ''quoted'''`, `verbatim \\n 'quoted'`, 'string'],
      [`@"c:\\dir"`, 'c:\\dir', 'string'],
      [`h'hidden'`, 'hidden', 'string'],
      [`"ab" "cd"`, 'abcd', 'string'],
      [`"日本語 🎉"`, '日本語 🎉', 'string'],
    ]));
});

describe('conversions', () => {
  it('toX functions return null (strings: empty) when a value does not convert', () =>
    check([
      ['toint("x")', null, 'int'],
      ['toint("42")', 42, 'int'],
      ['toint(1.9)', 1, 'int'],
      ['tolong(-1.9)', -1n, 'long'],
      ['tolong("12")', 12n, 'long'],
      ['todouble("1.5")', 1.5, 'real'],
      ['toreal("nope")', null, 'real'],
      ['tobool("true")', true, 'bool'],
      ['tobool("TRUE")', true, 'bool'],
      ['tobool("maybe")', null, 'bool'],
      ['todecimal("1.25")', '1.250000000000000000', 'decimal'],
      ['tostring(long(null))', '', 'string'],
      ['tostring(123)', '123', 'string'],
      ['tostring(1.0)', '1', 'string'],
      ['tostring(1.5)', '1.5', 'string'],
      ['tostring(true)', 'true', 'string'],
      ['tostring(decimal(1.50))', '1.5', 'string'],
      ['tostring(guid(8b2a6d2e-6a3a-4c43-9cb1-1234567890ab))', '8b2a6d2e-6a3a-4c43-9cb1-1234567890ab', 'string'],
      ['tolong(datetime(1970-01-01))', 621355968000000000n, 'long'],
      ['todatetime(621355968000000000)', 0n, 'datetime'],
    ]));

  it('datetime and timespan to and from strings keep 7 fractional digits', () =>
    check([
      ['todatetime("2024-01-02T03:04:05.1234567Z")', 17041646451234567n, 'datetime'],
      ['todatetime("not a date")', null, 'datetime'],
      ['tostring(datetime(2024-01-02T03:04:05.1234567Z))', '2024-01-02T03:04:05.1234567Z', 'string'],
      ['tostring(datetime(0001-01-01))', '0001-01-01T00:00:00.0000000Z', 'string'],
      ['tostring(datetime(9999-12-31T23:59:59.9999999Z))', '9999-12-31T23:59:59.9999999Z', 'string'],
      ['totimespan("1.02:03:04.5")', 937845000000n, 'timespan'],
      ['totimespan("nope")', null, 'timespan'],
      ['tostring(time(1.02:03:04.5))', '1.02:03:04.5000000', 'string'],
      ['tostring(-1s)', '-00:00:01', 'string'],
      ['tostring(90m)', '01:30:00', 'string'],
      ['tostring(datetime(null))', '', 'string'],
    ]));

  it('dynamic values: parse_json/todynamic, tostring, typed literals', () =>
    check([
      ['parse_json("[1,2]")[1]', '2', 'dynamic'],
      ['todynamic("{\\"a\\":{\\"b\\":[5,6]}}").a.b[-1]', '6', 'dynamic'],
      ['todynamic("not json")', '"not json"', 'dynamic'],
      ['tostring(dynamic({"a": "x"}))', '{"a":"x"}', 'string'],
      ['tostring(dynamic("x"))', 'x', 'string'],
      ['tostring(dynamic(null))', '', 'string'],
      ['dynamic(null)', null, 'dynamic'],
      ['dynamic(5)', '5', 'dynamic'],
      ['dynamic([1, "two", {"three": [3]}])', '[1,"two",{"three":[3]}]', 'dynamic'],
      ['long(null)', null, 'long'],
      ['int(5)', 5, 'int'],
      ['real(2.5)', 2.5, 'real'],
      ['bool(true)', true, 'bool'],
      ['decimal(1.25)', '1.250000000000000000', 'decimal'],
      ['guid(8b2a6d2e-6a3a-4c43-9cb1-1234567890ab)', '8b2a6d2e-6a3a-4c43-9cb1-1234567890ab', 'guid'],
      ['array_length(dynamic([1,2,3]))', 3n, 'long'],
      ['array_length(parse_json("{\\"a\\":1}"))', null, 'long'],
      ['gettype(dynamic({"a":1}))', 'dictionary', 'string'],
      ['gettype(dynamic([1]))', 'array', 'string'],
      ['gettype(1.5)', 'real', 'string'],
      ['pack_array(1, "a")', '[1,"a"]', 'dynamic'],
      ['bag_pack("k", 1, "z", "s")', '{"k":1,"z":"s"}', 'dynamic'],
    ]));

  it('dynamic property access on stored values, nested, and compared with scalars', async () => {
    const r = await db.query('Events | where id == 1 | project a=d.k, b=d["k"], c=d.arr[2].x, e=d.arr[0], f=d.nope');
    assert.deepEqual(r.rows, [['"v"', '"v"', '"deep"', '1', null]]);
    assert.deepEqual(await db.column('Events | where d.n == 7 | project id'), [1n]);
    assert.deepEqual(await db.column('Events | where tostring(d.k) == "w" | project id'), [6n]);
    assert.deepEqual(await db.column('Events | where toint(d.n) > 5 | project id'), [1n]);
    assert.deepEqual(await db.column('Events | where isnotnull(d.big) | project tostring(d.big)'), ['9007199254740993']);
  });
});

describe('math and datetime functions', () => {
  it('bin, floor, round, abs, hash and friends', () =>
    check([
      ['bin(7, 5)', 5n, 'long'],
      ['bin(-7, 5)', -10n, 'long'],
      ['bin(7.5, 2.0)', 6, 'real'],
      ['floor(7.5, 2)', 6, 'real'],
      ['bin(datetime(2024-01-02T10:11:12), 1h)', JAN1 + DAY + 10n * HOUR, 'datetime'],
      ['bin(datetime(2024-01-03T10:00:00), 7d)', JAN1, 'datetime'],
      ['bin(90m, 1h)', HOUR, 'timespan'],
      ['round(2.567, 2)', 2.57, 'real'],
      ['round(2.5)', 3, 'real'],
      ['abs(-3)', 3n, 'long'],
      ['pow(2, 10)', 1024, 'real'],
      ['sqrt(16.0)', 4, 'real'],
      ['log(0)', null, 'real'],
      ['min_of(3, 1, 2)', 1n, 'long'],
      ['max_of(3, 1, 2)', 3n, 'long'],
      ['hash("x") == hash("x")', true, 'bool'],
      ['hash("x", 10) between (0 .. 9)', true, 'bool'],
    ]));

  it('now() and ago() use the translation time', async () => {
    const now = JAN1 + 5n * HOUR;
    const r = await db.query('print n = now(), a = ago(1h), d = now() - ago(1d)', now);
    assert.deepEqual(r.rows, [[now, now - HOUR, DAY]]);
  });

  it('datetime literal forms', () =>
    check([
      ['datetime(2024-01-01)', JAN1, 'datetime'],
      ['datetime(2024-01-01 01:00:00)', JAN1 + HOUR, 'datetime'],
      ['datetime(2024-01-01T01:00:00.0000001Z)', JAN1 + HOUR + 1n, 'datetime'],
      ['datetime(2024-01-01T02:00:00+01:00)', JAN1 + HOUR, 'datetime'],
      ['datetime(null)', null, 'datetime'],
      ['datetime(0001-01-01)', -621355968000000000n, 'datetime'],
    ]));

  it('timespan literal forms', () =>
    check([
      ['1d', DAY, 'timespan'],
      ['2h', 2n * HOUR, 'timespan'],
      ['30m', 30n * 600_000_000n, 'timespan'],
      ['10s', 100_000_000n, 'timespan'],
      ['100ms', 1_000_000n, 'timespan'],
      ['1tick', 1n, 'timespan'],
      ['1.5h', 3n * HOUR / 2n, 'timespan'],
      ['time(1.02:03:04)', DAY + 2n * HOUR + 3n * 600_000_000n + 40_000_000n, 'timespan'],
      ['time(null)', null, 'timespan'],
    ]));

  it('make_datetime, format_datetime, startofday, getyear, dayofweek', () =>
    check([
      ['make_datetime(2024, 1, 1)', JAN1, 'datetime'],
      ['make_datetime(2024, 1, 1, 1, 0, 0.5)', JAN1 + HOUR + 5_000_000n, 'datetime'],
      ['make_datetime(2024, 13, 1)', null, 'datetime'],
      ['format_datetime(datetime(2024-01-02T03:04:05.1234567), "yyyy-MM-dd HH:mm:ss.fffffff")', '2024-01-02 03:04:05.1234567', 'string'],
      ['format_datetime(datetime(2024-01-02T13:04:05), "M/d/yy h tt")', '1/2/24 1 PM', 'string'],
      ['startofday(datetime(2024-01-02T10:00:00))', JAN1 + DAY, 'datetime'],
      ['startofmonth(datetime(2024-01-20))', JAN1, 'datetime'],
      ['getyear(datetime(2024-05-01))', 2024, 'int'],
      ['dayofweek(datetime(2024-01-01))', DAY, 'timespan'],
      ['startofweek(datetime(2024-01-03))', JAN1 - DAY, 'datetime'],
      ['endofday(datetime(2024-01-01T05:00))', JAN1 + DAY - 1n, 'datetime'],
      ['datetime_add("day", 1, datetime(2024-01-01))', JAN1 + DAY, 'datetime'],
      ['datetime_add("month", 1, datetime(2024-01-31T00:00:00.0000001))', JAN1 + 59n * DAY + 1n, 'datetime'],
      ['datetime_diff("hour", datetime(2024-01-02), datetime(2024-01-01))', 24n, 'long'],
      ['datetime_diff("year", datetime(2024-01-01), datetime(2023-12-31))', 1n, 'long'],
      ['datetime_part("month", datetime(2024-03-04))', 3, 'int'],
      ['datetime_part("millisecond", datetime(2024-01-01T00:00:01.2345678))', 234, 'int'],
    ]));
});
