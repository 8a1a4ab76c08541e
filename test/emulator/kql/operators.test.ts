import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KqlTestDb } from './kql-test-db.js';
import { DAY, fixtureDb, HOUR, JAN1, sorted } from './fixtures.js';

/** Tabular operators, run on a real DuckDB and compared with what Kusto returns for the same data. */

let db: KqlTestDb;
before(async () => {
  db = await fixtureDb();
});
after(() => db.close());

const shape = (r: { columns: readonly { name: string; type: string }[] }): string => r.columns.map((c) => `${c.name}:${c.type}`).join(', ');

describe('source operators', () => {
  it('table reference returns all columns in storage form', async () => {
    const r = await db.query('Events');
    assert.equal(shape(r), 'id:long, name:string, n:int, r:real, ts:datetime, span:timespan, flag:bool, g:guid, dec:decimal, d:dynamic');
    // DuckDB's JSON is a VARCHAR alias; the node client reports it as VARCHAR.
    assert.deepEqual(r.sqlTypes.slice(0, 9), ['BIGINT', 'VARCHAR', 'INTEGER', 'DOUBLE', 'BIGINT', 'BIGINT', 'BOOLEAN', 'UUID', 'DECIMAL(38,18)']);
    assert.match(String(r.sqlTypes[9]), /^(JSON|VARCHAR)$/);
    assert.equal(r.rows.length, 6);
  });

  it('print names unnamed columns print_N', async () => {
    const r = await db.query('print 1, x="a", 2.5');
    assert.equal(shape(r), 'print_0:long, x:string, print_2:real');
    assert.deepEqual(r.rows, [[1n, 'a', 2.5]]);
  });

  it('range over longs, datetimes and timespans', async () => {
    assert.deepEqual(await db.column('range x from 1 to 10 step 3'), [1n, 4n, 7n, 10n]);
    const r = await db.query('range t from datetime(2024-01-01) to datetime(2024-01-01T02:00:00) step 1h');
    assert.equal(shape(r), 't:datetime');
    assert.deepEqual(r.rows.map((x) => x[0]), [JAN1, JAN1 + HOUR, JAN1 + 2n * HOUR]);
    assert.deepEqual(await db.column('range s from 0s to 2s step 1s | project tostring(s)'), ['00:00:00', '00:00:01', '00:00:02']);
    assert.deepEqual(await db.column('range r from 0.5 to 2.0 step 0.5'), [0.5, 1, 1.5, 2]);
  });

  it('datatable with typed columns, quotes and bracketed names', async () => {
    const r = await db.query(`datatable(a:long, ['b c']:string, t:datetime)[1, "x'y", datetime(2024-01-01), 2, 'q"z', datetime(null)]`);
    assert.equal(shape(r), 'a:long, b c:string, t:datetime');
    assert.deepEqual(r.rows, [
      [1n, "x'y", JAN1],
      [2n, 'q"z', null],
    ]);
  });
});

describe('filtering and projection', () => {
  it('where / filter', async () => {
    assert.deepEqual(await db.column('Events | where n > 15 and n < 45 | project id'), [2n, 4n]);
    assert.deepEqual(await db.column('Events | filter flag | project id'), [1n, 4n, 6n]);
    // A null condition drops the row, and so does not(null).
    assert.deepEqual(await db.column('Events | where not(flag) | project id'), [2n, 9007199254740993n]);
  });

  it('project with computed, renamed and bracketed columns', async () => {
    const r = await db.query(`Events | where id == 1 | project ['id'], twice=n*2, tostring(name), d.k`);
    // int * long is long in Kusto.
    assert.equal(shape(r), 'id:long, twice:long, name:string, d_k:dynamic');
    assert.deepEqual(r.rows, [[1n, 20n, 'alpha', '"v"']]);
  });

  it('extend appends new columns and replaces existing ones in place', async () => {
    const r = await db.query('Events | where id == 1 | project id, name, n | extend n = n + 1, z = strcat(name, "!")');
    assert.equal(shape(r), 'id:long, name:string, n:long, z:string');
    assert.deepEqual(r.rows, [[1n, 'alpha', 11n, 'alpha!']]);
  });

  it('project-away, project-keep, project-rename, project-reorder', async () => {
    assert.equal(shape(await db.query('Events | project-away d, dec, g, flag, span, ts, r')), 'id:long, name:string, n:int');
    assert.equal(shape(await db.query('Events | project-keep id, name')), 'id:long, name:string');
    const renamed = await db.query('Events | project id, name | project-rename key=id');
    assert.equal(shape(renamed), 'key:long, name:string');
    assert.equal(renamed.rows.length, 6);
    assert.equal(shape(await db.query('Events | project id, name, n | project-reorder n, name')), 'n:int, name:string, id:long');
  });
});

describe('aggregation', () => {
  it('count, take, limit', async () => {
    assert.deepEqual((await db.query('Events | count')).columns, [{ name: 'Count', type: 'long' }]);
    assert.deepEqual(await db.column('Events | count'), [6n]);
    assert.equal((await db.query('Events | take 2')).rows.length, 2);
    assert.equal((await db.query('Events | limit 0')).rows.length, 0);
    assert.deepEqual(await db.column('Events | where id < 0 | count'), [0n]);
  });

  it('summarize default column names and result types', async () => {
    const r = await db.query('Events | summarize count(), countif(flag), sum(n), sum(r), avg(n), min(ts), max(ts), dcount(name), sum(dec)');
    assert.equal(shape(r), 'count_:long, countif_flag:long, sum_n:long, sum_r:real, avg_n:real, min_ts:datetime, max_ts:datetime, dcount_name:long, sum_dec:decimal');
    const [row] = r.rows;
    assert.deepEqual(row?.slice(0, 3), [6n, 3n, 180n]);
    assert.equal(row?.[4], 36);
    assert.equal(row?.[5], -621355968000000000n);
    assert.equal(row?.[6], 2534023007999999999n);
    assert.equal(row?.[7], 5n); // '' counts as a value: alpha, Beta Gamma, '', unicode, big
    assert.equal(row?.[8], '102.750000000000000001');
  });

  it('summarize by keys and by bin() of datetimes', async () => {
    const byName = await db.query('Events | summarize c=count(), total=sum(n) by name | where name == "alpha"');
    assert.deepEqual(byName.rows, [['alpha', 2n, 70n]]);
    const byHour = await db.query('Events | where ts between (datetime(2024-01-01) .. 2d) | summarize count() by bin(ts, 1d) | order by ts asc');
    assert.equal(shape(byHour), 'ts:datetime, count_:long');
    assert.deepEqual(byHour.rows, [
      [JAN1, 2n],
      [JAN1 + DAY, 1n],
    ]);
  });

  it('conditional and statistical aggregates', async () => {
    const r = await db.query(
      'Events | summarize a=make_list(n, 2), c=dcountif(name, n > 15), d=sumif(n, flag), e=avgif(n, flag), f=minif(n, flag), g=maxif(n, not(flag)), ' +
        'i=variance(n), o=variancep(n), k=count_distinct(name), l=make_list_if(id, n > 45), p=count(n > 15), j=take_any(id)',
    );
    assert.equal(shape(r), 'a:dynamic, c:long, d:long, e:real, f:int, g:int, i:real, o:real, k:long, l:dynamic, p:long, j:long');
    const [row] = r.rows;
    assert.equal((JSON.parse(String(row?.[0])) as unknown[]).length, 2);
    assert.deepEqual(row?.slice(1, 9), [4n, 110n, 110 / 3, 10, 50, 430, 344, 5n]);
    // The JSON text keeps the long exact (JSON.parse would round it).
    assert.deepEqual(sorted(String(row?.[9]).slice(1, -1).split(',')), ['6', '9007199254740993']);
    assert.equal(row?.[10], 4n);
    assert.equal(typeof row?.[11], 'bigint');
  });

  it('aggregates inside expressions', async () => {
    const r = await db.query('Events | summarize x = count() * 2, y = sum(n) / count() by flag | where flag == true');
    assert.deepEqual(r.rows, [[true, 6n, 36n]]);
  });

  it('summarize with no rows and no keys still yields one row', async () => {
    assert.deepEqual((await db.query('Events | where id < 0 | summarize count(), sum(n)')).rows, [[0n, null]]);
  });

  it('make_list and make_set produce dynamic arrays and skip nulls', async () => {
    const r = await db.query('Events | where id in (1, 2, 3) | summarize l=make_list(n), s=make_set(flag), t=make_list(ts)');
    assert.equal(shape(r), 'l:dynamic, s:dynamic, t:dynamic');
    const [l, s, t] = r.rows[0] ?? [];
    assert.deepEqual(sorted(JSON.parse(String(l)) as number[]), [10, 20]);
    assert.deepEqual(sorted(JSON.parse(String(s)) as boolean[]), [false, true]);
    assert.deepEqual(sorted(JSON.parse(String(t)) as string[]), ['2024-01-01T00:00:00.0000000Z', '2024-01-01T01:00:00.0000005Z']);
  });

  it('arg_max(x, *) and arg_max(x, a, b) keep one whole row per group', async () => {
    const star = await db.query('Events | where isnotempty(name) | summarize arg_max(n, *) by name | where name == "alpha"');
    assert.equal(shape(star), 'name:string, n:int, id:long, r:real, ts:datetime, span:timespan, flag:bool, g:guid, dec:decimal, d:dynamic');
    assert.deepEqual(star.rows[0]?.slice(0, 4), ['alpha', 60, 6n, 3.5]);
    const some = await db.query('Events | summarize arg_min(n, id, name)');
    assert.equal(shape(some), 'n:int, id:long, name:string');
    assert.deepEqual(some.rows, [[10, 1n, 'alpha']]);
  });

  it('percentile is nearest-rank over non-null values', async () => {
    const r = await db.query('Events | summarize percentile(n, 50), p100 = percentile(r, 100)');
    assert.equal(shape(r), 'percentile_n_50:long, p100:real');
    assert.deepEqual(r.rows, [[40n, 1e300]]);
  });

  it('summarize by a computed key is named after its column (Kusto naming)', async () => {
    const r = await db.query('Events | summarize any(id) by k = n % 20');
    assert.equal(shape(r), 'k:long, any_id:long');
  });

  it('distinct', async () => {
    assert.deepEqual(sorted(await db.column('Events | distinct name | where name startswith "a"')), ['alpha']);
    assert.equal((await db.query('Events | project name | distinct *')).rows.length, 5);
  });
});

describe('ordering', () => {
  it('sort defaults to descending with nulls last', async () => {
    assert.deepEqual(await db.column('Events | sort by r | project r'), [1e300, 3.5, 1.5, 0, -2.25, null]);
  });
  it('ascending puts nulls first unless told otherwise', async () => {
    assert.deepEqual(await db.column('Events | order by r asc | project r'), [null, -2.25, 0, 1.5, 3.5, 1e300]);
    assert.deepEqual(await db.column('Events | order by r asc nulls last | project r'), [-2.25, 0, 1.5, 3.5, 1e300, null]);
  });
  it('several keys, and order survives later project/extend', async () => {
    assert.deepEqual(await db.column('Events | sort by name asc, id desc | extend x=1 | project id'), [3n, 2n, 6n, 1n, 9007199254740993n, 4n]);
  });
  it('top N by x', async () => {
    assert.deepEqual(await db.column('Events | top 2 by n | project n'), [60, 50]);
    assert.deepEqual(await db.column('Events | top 2 by n asc | project n'), [null, 10]);
  });
});

describe('join', () => {
  it('default innerunique deduplicates the left side on the key', async () => {
    const r = await db.query('People | join (Events | project id, name) on id');
    assert.equal(shape(r), 'id:long, city:string, id1:long, name:string');
    // Left has two rows with id 1: innerunique keeps one of them.
    assert.equal(r.rows.filter((x) => x[0] === 1n).length, 1);
    assert.deepEqual(sorted(r.rows.map((x) => String(x[0]))), ['1', '2']);
  });

  it('kind=inner keeps every match', async () => {
    const r = await db.query('People | join kind=inner (Events | project id, name) on id');
    assert.deepEqual(sorted(r.rows.map((x) => String(x[1]))), ['Bergen', 'Oslo', 'Rome']);
  });

  it('kind=leftouter keeps unmatched left rows with empty right side', async () => {
    const r = await db.query('People | join kind=leftouter (Events | project id, name, n) on $left.id == $right.id | where city == "Nowhere"');
    assert.deepEqual(r.rows, [[7n, 'Nowhere', null, '', null]]);
  });

  it('rightouter and fullouter', async () => {
    assert.deepEqual(await db.column('People | join kind=rightouter (Events | project id) on id | count'), [7n]);
    assert.deepEqual(await db.column('People | join kind=fullouter (Events | project id) on id | count'), [8n]);
    const unmatched = await db.column('People | join kind=rightanti (Events | project id) on id | project id');
    assert.deepEqual(sorted(unmatched.map(String)), ['3', '4', '6', '9007199254740993']);
  });

  it('lookup: left outer by default, right keys not repeated; kind=inner', async () => {
    const r = await db.query('Events | project id, name | lookup (People | summarize city = take_any(city) by id) on id | where id in (2, 3)');
    assert.equal(shape(r), 'id:long, name:string, city:string');
    assert.deepEqual(r.rows, [
      [2n, 'Beta Gamma', 'Rome'],
      [3n, '', ''],
    ]);
    const inner = await db.query('Events | project id | lookup kind=inner People on $left.id == $right.id');
    assert.equal(shape(inner), 'id:long, city:string');
    assert.deepEqual(sorted(inner.rows.map((x) => `${x[0]}:${x[1]}`)), ['1:Bergen', '1:Oslo', '2:Rome']);
  });

  it('render passes rows through', async () => {
    assert.deepEqual(await db.column('People | count | render table'), [4n]);
  });

  it('semi and anti joins', async () => {
    assert.deepEqual(sorted(await db.column('Events | join kind=leftsemi People on id | project id')), [1n, 2n]);
    assert.deepEqual(sorted(await db.column('People | join kind=leftanti Events on id | project city')), ['Nowhere']);
  });
});

describe('union', () => {
  it('unions columns by name; missing columns are null (strings empty)', async () => {
    const r = await db.query('union (People | where id == 7), (Events | where id == 1 | project id, n)');
    assert.equal(shape(r), 'id:long, city:string, n:int');
    assert.deepEqual(sorted(r.rows.map((x) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)))), ['[1,"",10]', '[7,"Nowhere",null]']);
  });

  it('wildcards, table(), and columns whose types disagree', async () => {
    assert.deepEqual(await db.column('union Eve*, Peo* | count'), [10n]);
    assert.deepEqual(await db.column("table('People') | count"), [4n]);
    const r = await db.query('union (print a=1), (print a="x")');
    assert.equal(shape(r), 'a_long:long, a_string:string');
    assert.deepEqual(sorted(r.rows.map((x) => `${x[0]}|${x[1]}`)), ['1|', 'null|x']);
  });

  it('piped union and withsource', async () => {
    const r = await db.query('People | union withsource=Source Events | summarize count() by Source');
    assert.equal(shape(r), 'Source:string, count_:long');
    assert.deepEqual(sorted(r.rows.map((x) => `${x[0]}=${x[1]}`)), ['Events=6', 'People=4']);
  });
});

describe('let, getschema, evaluate, mv-expand', () => {
  it('scalar and tabular let statements', async () => {
    assert.deepEqual(await db.column('let lim = 15; let Big = Events | where n > lim; Big | count'), [4n]);
    assert.deepEqual(await db.column('let T1 = People | where id == 1; T1 | join kind=inner T1 on city | count'), [2n]);
    assert.deepEqual(await db.column('let M = materialize(People | where id == 1); M | join kind=inner M on city | count'), [2n]);
  });

  it('getschema lists ColumnName, ColumnOrdinal, DataType (CLR) and ColumnType', async () => {
    const r = await db.query('People | getschema');
    assert.equal(shape(r), 'ColumnName:string, ColumnOrdinal:long, DataType:string, ColumnType:string');
    assert.deepEqual(r.rows, [
      ['id', 0n, 'System.Int64', 'long'],
      ['city', 1n, 'System.String', 'string'],
    ]);
    const types = await db.column('Events | getschema | project DataType');
    assert.deepEqual(types, ['System.Int64', 'System.String', 'System.Int32', 'System.Double', 'System.DateTime', 'System.TimeSpan', 'System.SByte', 'System.Guid', 'System.Data.SqlTypes.SqlDecimal', 'System.Object']);
  });

  it('evaluate estimate_rows_count() returns the exact count in one long column', async () => {
    const r = await db.query('Events | where n > 15 | evaluate estimate_rows_count()');
    assert.deepEqual(r.columns, [{ name: 'EstimatedRowsCount', type: 'long' }]);
    assert.deepEqual(r.rows, [[4n]]);
  });

  it('mv-expand arrays, bags and scalars; empty and null yield no rows', async () => {
    const r = await db.query('Events | where id in (1, 2, 3, 4) | mv-expand d | project id, d');
    assert.deepEqual(
      r.rows.map((x) => `${x[0]}:${x[1]}`),
      ['1:{"k":"v"}', '1:{"arr":[1,2,{"x":"deep"}]}', '1:{"n":7}', '2:10', '2:20', '2:30', '4:"just a string"'],
    );
    const typed = await db.query('Events | where id == 2 | mv-expand with_itemindex=i v = d to typeof(long) | project i, v');
    assert.equal(shape(typed), 'i:long, v:long');
    assert.deepEqual(typed.rows, [
      [0n, 10n],
      [1n, 20n],
      [2n, 30n],
    ]);
    const empty = await db.query('print d=dynamic([]) | mv-expand d');
    assert.equal(empty.rows.length, 0);
  });

  it('mv-apply runs the subquery per row (aggregates and top included)', async () => {
    const sums = await db.query('Events | where id in (1, 2) | mv-apply v = d to typeof(long) on (summarize total = sum(v)) | project id, total');
    assert.deepEqual(sums.rows, [
      [1n, null],
      [2n, 60n],
    ]);
    const top = await db.query('Events | where id == 2 | mv-apply with_itemindex=i v = d to typeof(long) on (top 1 by v desc) | project id, v, i');
    assert.deepEqual(top.rows, [[2n, 30n, 2n]]);
    // A row whose subquery returns nothing disappears.
    assert.deepEqual(await db.column('Events | where id == 2 | mv-apply v = d to typeof(long) on (where v > 100) | count'), [0n]);
  });

  it('as and serialize pass rows through', async () => {
    assert.deepEqual(await db.column('People | as P | serialize | count'), [4n]);
  });
});
