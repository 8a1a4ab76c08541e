import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from 'azure-kusto-data';
import { emulatorWithClient, httpError, rows } from './support.js';

/** Extents as first-class objects: show, move (atomic, metadata only), drop, tags, async operations. */
describe('emulator extents', () => {
  let client: Client;
  let close: () => Promise<void>;
  const db = 'extdb';
  const mgmt = async (csl: string) => rows(await client.execute(db, csl));
  const count = async (t: string) => Number(rows(await client.execute(db, `${t} | count`))[0]!['Count']);
  const waitOp = async (id: string) => {
    for (let i = 0; i < 200; i++) {
      const r = (await mgmt(`.show operations ${id}`))[0]!;
      if (r['State'] !== 'InProgress') return r;
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`operation ${id} did not finish`);
  };

  before(async () => {
    const e = await emulatorWithClient();
    client = e.client;
    close = e.close;
  });
  after(async () => close());

  it('creates one extent per ingestion, with ADX columns, tags joined by CRLF and creation time', async () => {
    await mgmt('.create table E (a:long, s:string)');
    await mgmt(".ingest inline into table E with (tags='[\"ingest-by:b1\",\"drop-by:d1\"]', creationTime='2020-05-06T07:08:09Z') <| 1,x\n2,y");
    await mgmt('.ingest inline into table E <| 3,z');
    const r = await client.execute(db, '.show table E extents');
    const t = r.primaryResults[0]!;
    for (const c of ['ExtentId', 'DatabaseName', 'TableName', 'MaxCreatedOn', 'OriginalSize', 'ExtentSize', 'CompressedSize', 'IndexSize', 'Blocks', 'Segments', 'ExtentContainerId', 'RowCount', 'MinCreatedOn', 'Tags', 'Kind', 'DeletedRowCount']) {
      assert.ok(t.columns.some((x) => x.name === c), c);
    }
    const ext = rows(r);
    assert.equal(ext.length, 2);
    const tagged = ext.find((x) => x['RowCount'] === 2)!;
    assert.equal(tagged['Tags'], 'ingest-by:b1\r\ndrop-by:d1');
    assert.equal((tagged['MinCreatedOn'] as Date).toISOString(), '2020-05-06T07:08:09.000Z');
    assert.equal((await mgmt(".show table E extents where tags has 'drop-by:d1'")).length, 1);
    assert.equal((await mgmt(".show table E extents | where Tags has 'ingest-by:b1'")).length, 1);
    assert.equal((await mgmt(`.show database ${db} extents`)).length, 2);
    assert.equal((await mgmt(".show table E extents with(extentsShowFilteringRuntimePolicy='{\"MaximumResultsCount\":1}');\n")).length, 1);
  });

  it('runs the connector ingest-by tag query over $command_results', async () => {
    const r = await mgmt('.show table E  extents;\n$command_results | mv-expand Tags = split(Tags, "\\r\\n") to typeof(string) | where Tags startswith "ingest-by" | project Tags = substring(Tags, 10) | summarize make_set(Tags)');
    assert.deepEqual(JSON.parse(String(Object.values(r[0]!)[0])), ['b1']);
    // The Spark connector's own text (shouldIngestData), mv-apply and all.
    const connector = await mgmt('.show table E  extents;\n$command_results\n | mv-apply split(Tags, "\\r\\n") on (where Tags startswith "ingest-by" | project Tags = substring(Tags,10))\n | summarize make_set(Tags)');
    assert.deepEqual(JSON.parse(String(Object.values(connector[0]!)[0])), ['b1']);
  });

  it('moves all extents from one table to another without copying, and by query (connector text, async)', async () => {
    await mgmt('.create table Src (a:long, s:string)');
    await mgmt('.create table Dst (s:string, a:long, extra:real)');
    await mgmt('.ingest inline into table Src <| 10,p\n11,q');
    const moved = await mgmt('.move extents all from table Src to table Dst');
    assert.equal(moved.length, 1);
    assert.ok(moved[0]!['OriginalExtentId'] && moved[0]!['ResultExtentId']);
    assert.equal(await count('Src'), 0);
    assert.deepEqual(rows(await client.execute(db, 'Dst | order by a asc')), [{ s: 'p', a: 10, extra: null }, { s: 'q', a: 11, extra: null }]);

    await mgmt(".create table ['tmp_1'] (a:long, s:string) with(hidden=true)");
    await mgmt('.ingest inline into table tmp_1 <| 20,r');
    await mgmt('.ingest inline into table tmp_1 <| 21,s');
    const start = new Date(Date.now() - 60_000).toISOString();
    const now = new Date(Date.now() + 60_000).toISOString();
    const text = `.move async extents to table Dst with(SetNewIngestionTime=true) with(extentCreatedOnFrom='${start}', extentCreatedOnTo='${now}') <|\n       .show table tmp_1 extents with(extentsShowFilteringRuntimePolicy='{"MaximumResultsCount":400}');\n`;
    const opId = String((await mgmt(text))[0]!['OperationId']);
    const op = await waitOp(opId);
    assert.equal(op['State'], 'Completed', String(op['Status']));
    const details = await mgmt(`.show operation ${opId} details`);
    assert.equal(details.length, 2);
    assert.equal(details[0]!['Details'], '');
    assert.equal(await count('tmp_1'), 0);
    assert.equal(await count('Dst'), 4);
  });

  it('moves 100k rows as a metadata operation', async () => {
    await mgmt('.set Big <| range i from 1 to 100000 step 1 | extend s = tostring(i)');
    await mgmt('.create table BigDst (i:long, s:string)');
    const t0 = Date.now();
    await mgmt('.move extents all from table Big to table BigDst');
    const ms = Date.now() - t0;
    assert.equal(await count('BigDst'), 100000);
    assert.ok(ms < 1000, `move took ${ms} ms`);
  });

  it('moves nothing when one extent is incompatible (atomicity), and reports the failure of an async move', async () => {
    await mgmt('.create table M1 (a:long)');
    await mgmt('.create table M2 (a:long, b:string)');
    await mgmt('.create table MDst (a:long)');
    await mgmt('.ingest inline into table M1 <| 1');
    await mgmt('.ingest inline into table M2 <| 2,x');
    const ids = [...(await mgmt('.show table M1 extents')), ...(await mgmt('.show table M2 extents'))].map((r) => String(r['ExtentId']));
    // M1's extent is compatible, M2's has a column MDst lacks: the whole move fails.
    const e = await httpError(client.execute(db, `.move extents to table MDst <| .show database ${db} extents | where TableName in ('M1', 'M2')`));
    assert.equal(e.status, 400);
    assert.match(e.message, /column 'b'/);
    assert.equal(await count('MDst'), 0);
    assert.equal(await count('M1'), 1);
    assert.equal(await count('M2'), 1);
    assert.deepEqual((await mgmt(`.show database ${db} extents | where TableName in ('M1', 'M2') | project ExtentId`)).map((r) => String(r['ExtentId'])).sort(), ids.sort());
    const opId = String((await mgmt(`.move async extents all from table M2 to table MDst`))[0]!['OperationId']);
    const op = await waitOp(opId);
    assert.equal(op['State'], 'Failed');
    assert.match(String(op['Status']), /incompatible/);
    assert.equal(await count('M2'), 1);
    const badType = await httpError(client.execute(db, '.move extents all from table M2 to table M1'));
    assert.equal(badType.status, 400);
  });

  it('drops extents by query and by id, and drops extent tags (sync and async, connector text)', async () => {
    await mgmt('.create table D (a:long)');
    await mgmt(".ingest inline into table D with (tags='[\"drop-by:old\"]') <| 1");
    await mgmt(".ingest inline into table D with (tags='[\"ingest-by:req_1abc\",\"keep\"]') <| 2");
    await mgmt('.ingest inline into table D <| 3');
    const dropped = await mgmt(".drop extents <| .show table D extents | where Tags has 'drop-by:old'");
    assert.equal(dropped.length, 1);
    assert.deepEqual(rows(await client.execute(db, 'D | order by a asc')).map((r) => r['a']), [2, 3]);
    const last = (await mgmt('.show table D extents')).find((r) => r['Tags'] === '')!;
    await mgmt(`.drop extent ${String(last['ExtentId'])}`);
    assert.equal(await count('D'), 1);
    const op = String((await mgmt(".drop async table D extent tags <| .show table D extents | where isnotempty(Tags) | extend Tags = split(Tags, '\\r\\n') | mv-expand Tags to typeof(string) | where Tags startswith 'ingest-by:req_1'"))[0]!['OperationId']);
    assert.equal((await waitOp(op))['State'], 'Completed');
    assert.equal((await mgmt('.show table D extents'))[0]!['Tags'], 'keep');
    await mgmt(".drop table D extent tags ('keep')");
    assert.equal((await mgmt('.show table D extents'))[0]!['Tags'], '');
    await mgmt(".alter-merge extent tags ('t1') <| .show table D extents");
    assert.equal((await mgmt('.show table D extents'))[0]!['Tags'], 't1');
  });
});
