import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KqlTestDb } from './kql-test-db.js';
import { fixtureDb } from './fixtures.js';

/** Null semantics, unicode, awkward strings, big numbers, extreme dates and nested dynamic values. */

let db: KqlTestDb;
before(async () => {
  db = await fixtureDb();
});
after(() => db.close());

describe('null semantics', () => {
  it('a stored NULL string reads as "" and compares like an empty string', async () => {
    assert.deepEqual(await db.column('Events | where id == 3 | project name'), ['']);
    assert.deepEqual(await db.column('Events | where name != "alpha" | project id'), [2n, 3n, 4n, 9007199254740993n]);
    assert.deepEqual(await db.column('Events | where not(name == "alpha") | project id'), [2n, 3n, 4n, 9007199254740993n]);
    assert.deepEqual(await db.column('Events | where name == "" | project id'), [3n]);
    assert.deepEqual(await db.column('Events | where isempty(name) | project isnull(name)'), [false]);
  });

  it('null numbers, datetimes and bools fail every comparison', async () => {
    assert.deepEqual(await db.column('Events | where n < 1000 | count'), [5n]);
    assert.deepEqual(await db.column('Events | where ts < datetime(9999-12-31) | count'), [4n]);
    assert.deepEqual(await db.column('Events | where isnull(n) and isnull(ts) and isnull(flag) and isnull(dec) and isnull(d) and isnull(g) | project id'), [3n]);
  });

  it('aggregates skip nulls; count() counts rows', async () => {
    const r = await db.query('Events | summarize count(), c=countif(isnotnull(n)), s=sum(n), m=min(r), l=make_list(flag)');
    const [row] = r.rows;
    assert.deepEqual(row?.slice(0, 4), [6n, 5n, 180n, -2.25]);
    assert.equal((JSON.parse(String(row?.[4])) as unknown[]).length, 5);
  });

  it('string functions over empty strings never yield null', async () => {
    const r = await db.query('Events | where id == 3 | project a=strcat(name, "x"), b=toupper(name), c=substring(name, 0, 2), e=strlen(name), f=tostring(n), g=tostring(ts)');
    assert.deepEqual(r.rows, [['x', '', '', 0n, '', '']]);
  });
});

describe('awkward values', () => {
  it('unicode, quotes and newlines survive filters, functions and output', async () => {
    const r = await db.query('Events | where name has "日本" | project name, up=toupper(name), len=strlen(name), has_q=name contains "\\"q\\""');
    assert.deepEqual(r.rows, [[`ÄÖü 日本 "q" it's\nline2`, `ÄÖÜ 日本 "Q" IT'S\nLINE2`, 21n, true]]);
    assert.deepEqual(await db.column('Events | where name contains "\\n" | project id'), [4n]);
    assert.deepEqual(await db.column(`Events | where name contains "it's" | project id`), [4n]);
    assert.deepEqual(await db.column('Events | where name =~ "äöü 日本 \\"Q\\" IT\'S\\nLINE2" | project id'), [4n]);
  });

  it('longs above 2^53 stay exact through filters, joins and aggregates', async () => {
    assert.deepEqual(await db.column('Events | where id == 9007199254740993 | project id'), [9007199254740993n]);
    assert.deepEqual(await db.column('Events | where id != 9007199254740992 | summarize max(id)'), [9007199254740993n]);
    assert.deepEqual(await db.column('Events | extend next = id + 1 | where name == "big" | project next'), [9007199254740994n]);
    assert.deepEqual(await db.column('Events | where isnotnull(d.big) | project tolong(d.big)'), [9007199254740993n]);
  });

  it('extreme datetimes 0001-01-01 and 9999-12-31T23:59:59.9999999', async () => {
    const r = await db.query('Events | where id in (9007199254740993, 6) | project tostring(ts), ts | order by ts asc');
    assert.deepEqual(r.rows, [
      ['0001-01-01T00:00:00.0000000Z', -621355968000000000n],
      ['9999-12-31T23:59:59.9999999Z', 2534023007999999999n],
    ]);
    assert.deepEqual(await db.column('Events | where ts == datetime(0001-01-01) | project id'), [9007199254740993n]);
    assert.deepEqual(await db.column('Events | where ts == datetime(9999-12-31T23:59:59.9999999) | project id'), [6n]);
    assert.deepEqual(await db.column('Events | where ts == datetime(2024-01-01T01:00:00.0000005) | project id'), [2n]);
  });

  it('nested dynamic values: paths, indexes, bags and arrays', async () => {
    const r = await db.query('Events | where id == 1 | project d.arr, d.arr[2], d.arr[2].x, d["arr"][-1]["x"], array_length(d.arr), gettype(d.arr[0])');
    assert.deepEqual(r.rows, [['[1,2,{"x":"deep"}]', '{"x":"deep"}', '"deep"', '"deep"', 3n, 'long']]);
    const bag = await db.query('Events | where id == 1 | mv-expand kind=array d | project k=tostring(d[0])');
    assert.deepEqual(bag.rows.map((x) => x[0]), ['k', 'arr', 'n']);
  });

  it('property names with quotes, dots and spaces, literal or computed', async () => {
    const r = await db.query('print d = dynamic({"a\\"b": 1, "c.d": 2, "e f": 3}) | extend k = "c.d" | project x = d["a\\"b"], y = d[k], z = d.["e f"]');
    assert.deepEqual(r.rows, [['1', '2', '3']]);
    const bag = await db.query('print d = dynamic({"a\\"b": 1, "c.d": 2}) | mv-expand d');
    assert.deepEqual(bag.rows.map((x) => JSON.parse(String(x[0])) as unknown), [{ 'a"b': 1 }, { 'c.d': 2 }]);
  });

  it('guid and decimal columns', async () => {
    assert.deepEqual(await db.column('Events | where isnotnull(g) | project tostring(g)'), ['8b2a6d2e-6a3a-4c43-9cb1-1234567890ab']);
    assert.deepEqual(await db.column('Events | where dec > decimal(1) | order by dec asc | project tostring(dec)'), ['1.25', '2', '100']);
    assert.deepEqual(await db.column('Events | where dec > 0 and dec < decimal(0.1) | project tostring(dec)'), ['0.000000000000000001']);
  });

  it('todatetime() reads zoned text as that instant and naive text as UTC, whatever the session TimeZone', async () => {
    await db.connection.run("SET TimeZone='America/New_York'");
    try {
      const r = await db.query('print a=todatetime("2024-01-01T02:00:00+02:00"), b=todatetime("2024-01-01T00:00:00Z"), c=todatetime("2024-01-01 00:00:00"), d=todatetime("2024-01-01"), e=tostring(todatetime("2024-01-01T00:00:00.1234567z"))');
      const jan1 = 17_040_672_000_000_000n;
      assert.deepEqual(r.rows, [[jan1, jan1, jan1, jan1, '2024-01-01T00:00:00.1234567Z']]);
    } finally {
      await db.connection.run("SET TimeZone='UTC'");
    }
  });

  it('timespans: negative, fractional, compared and summed', async () => {
    assert.deepEqual(await db.column('Events | where span < 0s | project tostring(span)'), ['-00:00:00.0000001']);
    assert.deepEqual(await db.column('Events | where span between (1h .. 2h) | project id'), [1n, 2n]);
    assert.deepEqual(await db.column('Events | summarize tostring(sum(span))'), ['3.02:59:59.9999999']);
  });
});
