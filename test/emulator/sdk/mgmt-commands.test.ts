import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from 'azure-kusto-data';
import { crp, emulatorWithClient, httpError, rows } from './support.js';

/** Every management command of issue 2, through the unmodified SDK Client. */
describe('emulator management commands', () => {
  let client: Client;
  let close: () => Promise<void>;
  const db = 'mgmtdb';
  const mgmt = async (csl: string) => rows(await client.execute(db, csl));

  before(async () => {
    const e = await emulatorWithClient();
    client = e.client;
    close = e.close;
  });
  after(async () => close());

  it('creates tables with properties, idempotently, and refuses a different schema', async () => {
    const r = await mgmt(".create table ['Hid den'] (['a b']:long, c:string) with (hidden=true, folder='f/x', docstring='doc \"quoted\"')");
    assert.deepEqual(r, [{ TableName: 'Hid den', Schema: 'a b:long,c:string', DatabaseName: db, Folder: 'f/x', DocString: 'doc "quoted"' }]);
    await mgmt(".create table ['Hid den'] (['a b']:long, c:string)");
    const e = await httpError(client.execute(db, ".create table ['Hid den'] (x:int)"));
    assert.equal(e.status, 400);
    assert.equal(e.code, 'BadRequest_EntityAlreadyExists');
  });

  it('creates with the connector text, create-merge, create tables, alter and alter-merge', async () => {
    await mgmt(".create table Conn (['c1']:string,['c2']:long)");
    await mgmt('.create-merge table Conn (c3:datetime)');
    await mgmt('.create tables A1 (x:int), A2 (y:string)');
    await mgmt('.create-merge tables A1 (z:real)');
    assert.equal((await mgmt('.show table Conn cslschema'))[0]!['Schema'], 'c1:string,c2:long,c3:datetime');
    assert.equal((await mgmt('.show table A1 cslschema'))[0]!['Schema'], 'x:int,z:real');
    await mgmt('.alter-merge table A2 (w:bool)');
    assert.equal((await mgmt('.show table A2 cslschema'))[0]!['Schema'], 'y:string,w:bool');
    await mgmt('.alter table A2 (y:string, n:long)');
    assert.equal((await mgmt('.show table A2 cslschema'))[0]!['Schema'], 'y:string,n:long');
    await mgmt(".alter table A2 docstring 'described'");
    assert.equal((await mgmt('.show table A2 cslschema'))[0]!['DocString'], 'described');
  });

  it('keeps data when columns are added and drops it when they are removed', async () => {
    await mgmt('.create table Evo (a:long)');
    await mgmt('.ingest inline into table Evo <| 1\n2');
    await mgmt('.alter-merge table Evo (b:string)');
    await mgmt('.ingest inline into table Evo <| 3,x');
    const r = rows(await client.execute(db, 'Evo | order by a asc'));
    // Kusto strings are never null: a column added later reads as "" for older rows.
    assert.deepEqual(r, [{ a: 1, b: '' }, { a: 2, b: '' }, { a: 3, b: 'x' }]);
    await mgmt('.alter table Evo (b:string)');
    assert.deepEqual(rows(await client.execute(db, 'Evo | where isnotempty(b)')), [{ b: 'x' }]);
  });

  it('shows tables, details, a table, its json schema (with the connector pipe) and the database schema', async () => {
    const names = (await mgmt('.show tables')).map((r) => r['TableName']);
    assert.ok(names.includes('Conn') && names.includes('Hid den'));
    const details = await mgmt('.show tables details');
    assert.equal(details.find((r) => r['TableName'] === 'Evo')!['TotalRowCount'], 3);
    const attrs = await mgmt('.show table Conn');
    assert.deepEqual(attrs.map((r) => [r['AttributeName'], r['AttributeType']]), [['c1', 'System.String'], ['c2', 'System.Int64'], ['c3', 'System.DateTime']]);
    const schema = JSON.parse(String((await mgmt('.show table Conn schema as json'))[0]!['Schema'])) as { OrderedColumns: { Name: string; Type: string; CslType: string }[] };
    assert.deepEqual(schema.OrderedColumns[1], { Name: 'c2', Type: 'System.Int64', CslType: 'long' });
    // The Spark connector's exact text (trailing space included); one row per column.
    const cols = await mgmt(".show table ['Conn'] schema as json | project ColumnsJson=todynamic(Schema).OrderedColumns| mv-expand ColumnsJson ");
    assert.equal(cols.length, 3);
    assert.deepEqual(JSON.parse(String(cols[2]!['ColumnsJson'])), { Name: 'c3', Type: 'System.DateTime', CslType: 'datetime' });
    assert.equal((await mgmt(".show table ['Missing'] schema as json | project ColumnsJson=todynamic(Schema).OrderedColumns| mv-expand ColumnsJson ")).length, 0);
    const dbSchema = await mgmt(`.show database ${db} schema`);
    assert.ok(dbSchema.some((r) => r['TableName'] === 'Conn' && r['ColumnName'] === 'c3' && r['ColumnType'] === 'System.DateTime'));
    const asJson = JSON.parse(String((await mgmt(`.show database ${db} schema as json`))[0]!['DatabaseSchema'])) as { Databases: Record<string, { Tables: Record<string, unknown> }> };
    assert.ok(asJson.Databases[db]!.Tables['Conn']);
  });

  it('renames and drops tables (ifexists, lists), with clear errors', async () => {
    await mgmt('.rename table A1 to A1renamed');
    assert.equal((await mgmt('.show table A1renamed cslschema'))[0]!['TableName'], 'A1renamed');
    await mgmt('.drop table A1renamed');
    await mgmt('.drop table A1renamed ifexists');
    const e = await httpError(client.execute(db, '.drop table A1renamed'));
    assert.equal(e.code, 'BadRequest_EntityNotFound');
    await mgmt('.drop tables (A2, NotThere) ifexists');
    assert.ok(!(await mgmt('.show tables')).some((r) => r['TableName'] === 'A2'));
  });

  it('creates, lists and drops databases', async () => {
    await client.execute('other', '.create database Scratch volatile');
    assert.ok((await mgmt('.show databases')).some((r) => r['DatabaseName'] === 'Scratch'));
    await client.execute('Scratch', '.create table S (a:int)');
    await mgmt('.drop database Scratch');
    assert.ok(!(await mgmt('.show databases')).some((r) => r['DatabaseName'] === 'Scratch'));
    assert.equal((await httpError(client.execute(db, '.drop database Scratch'))).code, 'BadRequest_EntityNotFound');
    await mgmt('.drop database Scratch ifexists');
  });

  it('stores and shows table and database policies (connector texts)', async () => {
    await mgmt('.create table Pol (a:long)');
    const none = await mgmt(".show table ['Pol'] policy ingestionbatching");
    assert.equal(none[0]!['Policy'], 'null');
    await mgmt(`.alter table ['Pol'] policy ingestionbatching @"{""MaximumBatchingTimeSpan"":""00:00:05"",""MaximumNumberOfItems"":20,""MaximumRawDataSizeMB"":300}"`);
    const shown = await client.execute(db, ".show table ['Pol'] policy ingestionbatching");
    const t = shown.primaryResults[0]!;
    assert.deepEqual(t.columns.map((c) => c.name), ['PolicyName', 'EntityName', 'Policy', 'ChildEntities', 'EntityType']);
    const policy = JSON.parse(String([...t.rows()][0]!.getValueAt(2))) as Record<string, unknown>;
    assert.equal(policy['MaximumNumberOfItems'], 20);
    await mgmt(`.alter table ['Pol'] policy retention '{ "SoftDeletePeriod": "07:00:00:00", "Recoverability":"Disabled" }' `);
    await mgmt(`.alter table ['Pol'] policy auto_delete @'{"ExpiryDate": "2030-01-01T00:00:00Z","DeleteIfNotEmpty": true }' `);
    await mgmt(`.alter table ['Pol'] policy merge @'{"AllowMerge":"false", "AllowRebuild":"false"}'`);
    await mgmt(".alter table ['Pol'] policy streamingingestion enable");
    assert.equal(JSON.parse(String((await mgmt(".show table ['Pol'] policy streamingingestion"))[0]!['Policy'])).IsEnabled, true);
    assert.equal(JSON.parse(String((await mgmt(".show table Pol policy auto_delete"))[0]!['Policy'])).DeleteIfNotEmpty, true);
    assert.equal(JSON.parse(String((await mgmt(".show table Pol policy retention"))[0]!['Policy'])).SoftDeletePeriod, '07:00:00:00');
    assert.equal(JSON.parse(String((await mgmt(".show table Pol policy merge"))[0]!['Policy'])).AllowMerge, 'false');
    await mgmt(`.alter database ${db} policy retention '{"SoftDeletePeriod":"365.00:00:00"}'`);
    assert.equal(JSON.parse(String((await mgmt(`.show database ${db} policy retention`))[0]!['Policy'])).SoftDeletePeriod, '365.00:00:00');
    await mgmt(`.alter database ${db} policy streamingingestion disable`);
    await mgmt(".clear table ['Pol'] cache streamingingestion schema");
    await mgmt('.clear database cache streamingingestion schema');
    await mgmt(`.refresh database '${db}' table 'Pol' cache ingestionbatchingpolicy`);
    const bad = await httpError(client.execute(db, ".alter table Pol policy merge '{not json'"));
    assert.equal(bad.status, 400);
  });

  it('creates, shows and uses ingestion mappings (csv and json)', async () => {
    await mgmt('.create table Map (name:string, n:long, ts:datetime)');
    await mgmt(`.create table ['Map'] ingestion csv mapping "byOrd" '[{"Column":"n","Properties":{"Ordinal":"0"}},{"Column":"name","Properties":{"Ordinal":"1"}}]'`);
    await mgmt(`.create-or-alter table Map ingestion json mapping 'j1' '[{"column":"name","Properties":{"Path":"$.who.name"}},{"column":"n","Properties":{"Path":"$.n"}},{"column":"ts","Properties":{"Path":"$.t","Transform":"DateTimeFromUnixSeconds"}}]'`);
    const csvMaps = await mgmt(".show table ['Map'] ingestion csv mappings");
    assert.equal(csvMaps.length, 1);
    assert.equal(csvMaps[0]!['Name'], 'byOrd');
    assert.match(String(csvMaps[0]!['Mapping']), /Ordinal/);
    assert.equal((await mgmt('.show table Map ingestion json mappings'))[0]!['Name'], 'j1');
    await mgmt(".ingest inline into table Map with (format='csv', ingestionMappingReference='byOrd') <| 5,five");
    await mgmt(`.ingest inline into table Map with (format='json', ingestionMappingReference='j1') <| {"who":{"name":"six"},"n":6,"t":1700000000}`);
    const r = rows(await client.execute(db, 'Map | order by n asc'));
    assert.deepEqual(r.map((x) => [x['name'], x['n']]), [['five', 5], ['six', 6]]);
    assert.equal((r[1]!['ts'] as Date).toISOString(), '2023-11-14T22:13:20.000Z');
    assert.equal((await httpError(client.execute(db, `.create table Map ingestion csv mapping "bad" '[{"Column":"n","Properties":{"Ordinal":"x"}}]'`))).status, 400);
    // The connector copies a mapping to its temp table with every " turned into '.
    const copied = String(csvMaps[0]!['Mapping']).replace(/"/g, "'");
    await mgmt(`.create table ['Map'] ingestion csv mapping "copy" @"${copied}"`);
    await mgmt(".ingest inline into table Map with (format='csv', ingestionMappingReference='copy') <| 4,four");
    assert.equal(rows(await client.execute(db, 'Map | where n == 4 | project name'))[0]!['name'], 'four');
    await client.execute(db, '.drop table Map ingestion csv mapping "copy"');
    await mgmt('.drop table Map ingestion csv mapping "byOrd"');
    assert.equal((await mgmt('.show table Map ingestion csv mappings')).length, 0);
  });

  it('.ingest inline reports bad values per the validation policy', async () => {
    await mgmt('.create table Val (n:long, s:string)');
    // BestEffort (default): the bad value becomes null, the row is kept, HasErrors is true.
    const r = await mgmt('.ingest inline into table Val <| notanumber,a\n7,b');
    assert.equal(r[0]!['HasErrors'], true);
    assert.deepEqual(rows(await client.execute(db, 'Val | order by s asc')), [{ n: null, s: 'a' }, { n: 7, s: 'b' }]);
    // Fail: nothing lands.
    const e = await httpError(client.execute(db, `.ingest inline into table Val with (validationPolicy='{"ValidationImplications":0}') <| bad,c`));
    assert.equal(e.status, 400);
    assert.equal(e.code, 'BadRequest_DataConversionError');
    assert.equal(rows(await client.execute(db, 'Val | count'))[0]!['Count'], 2);
  });

  it('.set, .append, .set-or-append, .set-or-replace (sync and async) with tags', async () => {
    await mgmt(".set Q1 <| range i from 1 to 5 step 1 | extend s = strcat('v', tostring(i))");
    assert.equal((await httpError(client.execute(db, '.set Q1 <| print i = 1'))).code, 'BadRequest_EntityAlreadyExists');
    await mgmt(".append Q1 with (tags='[\"ingest-by:batch1\",\"plain\"]') <| range i from 6 to 7 step 1 | extend s = 'w'");
    assert.equal((await httpError(client.execute(db, '.append NoSuch <| print i = 1'))).code, 'BadRequest_EntityNotFound');
    await mgmt('.set-or-append Q1 <| print i = 8, s = "x"');
    assert.equal(rows(await client.execute(db, 'Q1 | count'))[0]!['Count'], 8);
    const ext = await mgmt('.show table Q1 extents');
    assert.equal(ext.length, 3);
    assert.ok(ext.some((x) => x['Tags'] === 'ingest-by:batch1\r\nplain'));
    await mgmt('.set-or-replace Q1 <| print i = 100, s = "only"');
    assert.deepEqual(rows(await client.execute(db, 'Q1')), [{ i: 100, s: 'only' }]);
    assert.equal((await mgmt('.show table Q1 extents')).length, 1);
    const op = (await mgmt('.set-or-append async Q2 <| range x from 1 to 3 step 1'))[0]!['OperationId'] as string;
    assert.match(op, /^[0-9a-f-]{36}$/);
    let state = '';
    for (let i = 0; i < 50 && state !== 'Completed'; i++) {
      state = String((await mgmt(`.show operations ${op}`))[0]!['State']);
      if (state !== 'Completed') await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(state, 'Completed');
    assert.equal(rows(await client.execute(db, 'Q2 | count'))[0]!['Count'], 3);
    // ingestIfNotExists skips when the tag is already there.
    await mgmt(".set-or-append Q1 with (tags='[\"ingest-by:t9\"]') <| print i = 1, s = 'a'");
    await mgmt(".set-or-append Q1 with (ingestIfNotExists='[\"t9\"]', tags='[\"ingest-by:t9\"]') <| print i = 2, s = 'b'");
    assert.equal(rows(await client.execute(db, 'Q1 | count'))[0]!['Count'], 2);
  });

  it('failed async operations report Failed with the error as Status', async () => {
    const op = (await mgmt('.append async NoSuchTable <| print i = 1'))[0]!['OperationId'] as string;
    let r: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      r = (await mgmt(`.show operations ${op}`))[0]!;
      if (r['State'] !== 'InProgress') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(r['State'], 'Failed');
    assert.match(String(r['Status']), /NoSuchTable/);
    assert.ok((await mgmt('.show operations')).some((x) => x['OperationId'] === op));
  });

  it('journals commands and queries with the client request id, queryable with KQL', async () => {
    await client.execute(db, '.show tables', crp('kjob-test;crid-123'));
    await client.execute(db, 'print 1', crp('kjob-test;crid-q'));
    const cmds = rows(await client.execute(db, ".show commands | where ClientActivityId has 'crid-123'"));
    assert.equal(cmds.length, 1);
    assert.equal(cmds[0]!['Text'], '.show tables');
    assert.equal(cmds[0]!['State'], 'Completed');
    const qs = await mgmt('.show queries');
    assert.ok(qs.some((q) => q['ClientActivityId'] === 'kjob-test;crid-q' && q['Text'] === 'print 1'));
  });

  it('shows cluster, cluster details, version and materialized views', async () => {
    assert.equal((await mgmt('.show cluster')).length, 1);
    assert.equal((await mgmt('.show cluster details'))[0]!['ClusterName'], 'KjobEmulator');
    assert.ok((await mgmt('.show version'))[0]!['BuildVersion']);
    assert.deepEqual(await mgmt(".show materialized-views | where SourceTable == 'Q1' | count"), [{ Count: 0 }]);
    assert.deepEqual(rows(await client.execute(db, '.show cluster | count')), [{ Count: 1 }]);
  });
});

describe('large inline ingestion', () => {
  it('lands a 4 MB .ingest inline command whole and keeps the journal bounded', async () => {
    const { client, close } = await emulatorWithClient();
    try {
      await client.execute('big', '.create table L (i:long, s:string)');
      const lines: string[] = [];
      let bytes = 0;
      let i = 0;
      while (bytes < 4 * 1024 * 1024 - 100) {
        i++;
        const l = `${i},"payload ${i} with, comma"`;
        lines.push(l);
        bytes += l.length + 1;
      }
      await client.execute('big', `.ingest inline into table L <|\n${lines.join('\n')}`);
      assert.deepEqual(rows(await client.execute('big', 'L | summarize n = count(), s = sum(i)')), [{ n: i, s: (i * (i + 1)) / 2 }]);
      const journal = rows(await client.execute('big', ".show commands | where CommandType == 'InlineIngest' or Text startswith '.ingest' | project len = strlen(Text)"));
      assert.ok(journal.length === 1 && Number(journal[0]!['len']) <= 65_537);
    } finally {
      await close();
    }
  });
});
