import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KqlTestDb } from './kql-test-db.js';

/**
 * Golden tests: the exact query texts the Spark Kusto connector sends (reference
 * spark-kusto-connector.md §3.1, §3.6, §4.1, §4.2, §4.5) translate and answer as ADX does.
 */

let db: KqlTestDb;
const SCHEMA_JSON = JSON.stringify({
  Name: 'T',
  OrderedColumns: [
    { Name: 'ColA', Type: 'System.String', CslType: 'string' },
    { Name: 'ColB', Type: 'System.Int64', CslType: 'long' },
  ],
});

before(async () => {
  db = await KqlTestDb.create();
  await db.table('MyTable', [
    { name: 'ColA', type: 'string' },
    { name: 'ColB', type: 'long' },
    { name: 'Span', type: 'timespan' },
  ], [`'xEndingString', 3, 10000000`, `'yEndingString', 9, NULL`, `'zendingstring', 1, -864000000001`, `'has ''quote''EndingString', 5, 0`]);
  // What `.show table T schema as json` and `.show table T extents` put in $command_results.
  await db.table('$command_results', [
    { name: 'TableName', type: 'string' },
    { name: 'Schema', type: 'string' },
    { name: 'Tags', type: 'string' },
    { name: 'SourceTable', type: 'string' },
  ], [`'T', '${SCHEMA_JSON}', 'ingest-by:req1_0\r\ndrop-by:x', 'T'`, `'T', '{}', 'ingest-by:other', 'U'`, `'T', '{}', '', 'T'`]);
});
after(() => db.close());

describe('connector query texts', () => {
  it('schema probe: <query>| take 0 (no space before the pipe)', async () => {
    const r = await db.query('MyTable| take 0');
    assert.deepEqual(r.columns, [
      { name: 'ColA', type: 'string' },
      { name: 'ColB', type: 'long' },
      { name: 'Span', type: 'timespan' },
    ]);
    assert.equal(r.rows.length, 0);
  });

  it('row estimate: <query>| evaluate estimate_rows_count()', async () => {
    const r = await db.query('MyTable | where ColB > 2| evaluate estimate_rows_count()');
    assert.deepEqual(r.columns, [{ name: 'EstimatedRowsCount', type: 'long' }]);
    assert.deepEqual(r.rows, [[3n]]);
  });

  it('row count fallback: <query>| count', async () => {
    assert.deepEqual((await db.query('MyTable| count')).rows, [[4n]]);
  });

  it('table schema rows: project ColumnsJson=todynamic(Schema).OrderedColumns| mv-expand ColumnsJson (trailing space)', async () => {
    const r = await db.query('$command_results | project ColumnsJson=todynamic(Schema).OrderedColumns| mv-expand ColumnsJson ');
    assert.deepEqual(r.columns, [{ name: 'ColumnsJson', type: 'dynamic' }]);
    assert.deepEqual(
      r.rows.map((x) => JSON.parse(String(x[0])) as unknown),
      [
        { Name: 'ColA', Type: 'System.String', CslType: 'string' },
        { Name: 'ColB', Type: 'System.Int64', CslType: 'long' },
      ],
    );
  });

  it("materialized-view probe: ... | where SourceTable == 'T' | count", async () => {
    assert.deepEqual((await db.query("$command_results | where SourceTable == 'T' | count")).rows, [[2n]]);
  });

  it('ingest-by tag filter of the dedup step', async () => {
    const q = "$command_results | where isnotempty(Tags) | extend Tags = split(Tags, '\\r\\n') | mv-expand Tags to typeof(string) | where Tags startswith 'ingest-by:req1_0'";
    const r = await db.query(q);
    assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['TableName:string', 'Schema:string', 'Tags:string', 'SourceTable:string']);
    assert.deepEqual(r.rows.map((x) => x[2]), ['ingest-by:req1_0']);
  });

  it('ingest-by tags already present (shouldIngestData): mv-apply over the tags of each extent', async () => {
    const q = '$command_results | mv-apply split(Tags, "\\r\\n") on (where Tags startswith "ingest-by" | project Tags = substring(Tags,10)) | summarize make_set(Tags)';
    const r = await db.query(q);
    assert.deepEqual(r.columns, [{ name: 'set_Tags', type: 'dynamic' }]);
    assert.deepEqual((JSON.parse(String(r.rows[0]?.[0])) as string[]).sort(), ['other', 'req1_0']);
  });

  it('filter and column pushdown with bracketed names', async () => {
    const r = await db.query("MyTable | take 100 | where ['ColA'] endswith_cs 'EndingString' and ['ColB'] <= 5 | project tostring(['ColA']), ['ColB']");
    assert.deepEqual(r.columns, [
      { name: 'ColA', type: 'string' },
      { name: 'ColB', type: 'long' },
    ]);
    assert.deepEqual(r.rows, [
      ['xEndingString', 3n],
      ["has 'quote'EndingString", 5n],
    ]);
  });

  it('pushdown forms: isnull, in, not, or, contains_cs, startswith_cs, escaped quote, timespan tostring', async () => {
    assert.deepEqual(await db.column(`MyTable | where isnull(['Span']) | project ['ColA']`), ['yEndingString']);
    assert.deepEqual(await db.column(`MyTable | where ['ColB'] in (1, 9) | project ['ColB']`), [9n, 1n]);
    assert.deepEqual(await db.column(`MyTable | where not((['ColB'] > 2)) | project ['ColB']`), [1n]);
    assert.deepEqual(await db.column(`MyTable | where (['ColB'] == 1) or (['ColB'] == 3) | project ['ColB']`), [3n, 1n]);
    assert.deepEqual(await db.column(`MyTable | where ['ColA'] contains_cs 'ending' | project ['ColB']`), [1n]);
    assert.deepEqual(await db.column(`MyTable | where ['ColA'] startswith_cs 'has \\'quote' | project ['ColB']`), [5n]);
    assert.deepEqual(await db.column(`MyTable | project tostring(['Span'])`), ['00:00:01', '', '-1.00:00:00.0000001', '00:00:00']);
  });

  it('a query with a trailing semicolon is still one statement', async () => {
    assert.deepEqual((await db.query('MyTable | count;')).rows, [[4n]]);
  });
});
