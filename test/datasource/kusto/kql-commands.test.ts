import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as T from '../../../src/datasource/kusto/kql/table-commands.js';
import * as X from '../../../src/datasource/kusto/kql/extent-commands.js';
import { showOperationDetailsCommand, showOperationsCommand } from '../../../src/datasource/kusto/kql/operation-commands.js';
import { countQuery, estimateRowsCountQuery, limitQuery, normalizeQuery, schemaQuery, writeResultQuery } from '../../../src/datasource/kusto/kql/query-forms.js';
import { findNodes, parseKql } from './support/kql-parser.js';

const from = new Date('2024-01-01T00:00:00.000Z');
const to = new Date('2024-01-01T01:02:03.456Z');

function assertParses(text: string, commandKind?: string): void {
  const p = parseKql(text);
  assert.deepEqual(p.diagnostics, [], text);
  if (commandKind) assert.equal(p.commandKind, commandKind, text);
}

describe('table commands (golden)', () => {
  it('schema fetch keeps the trailing space', () => {
    assert.equal(T.showTableSchemaAsJsonCommand('T'), ".show table ['T'] schema as json | project ColumnsJson=todynamic(Schema).OrderedColumns| mv-expand ColumnsJson ");
  });
  it('create table, schema text and the hidden staging table', () => {
    const cols = [{ name: 'SubscriptionGuid', type: 'string' }, { name: 'Identifier', type: 'string' }, { name: 'SomeNumber', type: 'long' }];
    assert.equal(T.tableSchemaText(cols), "['SubscriptionGuid']:string,['Identifier']:string,['SomeNumber']:long");
    // The connector writes `.create table T (...)` with the name raw; kjob escapes it.
    assert.equal(T.createTableCommand('T', cols), ".create table ['T'] (['SubscriptionGuid']:string,['Identifier']:string,['SomeNumber']:long)");
    assert.equal(T.createTableCommand('tmp', "['a']:int", { hidden: true }), ".create table ['tmp'] (['a']:int) with(hidden=true)");
    assert.throws(() => T.tableSchemaText([{ name: 'a', type: 'string) with (x' }]), /not a Kusto scalar type/);
    assertParses(T.createTableCommand("it's", [{ name: "a'b", type: 'string' }, { name: 'c\\"d', type: 'dynamic' }], { hidden: true }), 'CreateTable');
  });
  it('copies the batching policy', () => {
    assert.equal(T.showIngestionBatchingPolicyCommand('T'), ".show table ['T'] policy ingestionbatching");
    const policy = '{\r\n  "MaximumBatchingTimeSpan": "00:00:30",\r\n  "MaximumNumberOfItems": 500\r\n}';
    assert.equal(T.alterIngestionBatchingPolicyCommand('tmp', policy), `.alter table ['tmp'] policy ingestionbatching @"{  ""MaximumBatchingTimeSpan"": ""00:00:30"",  ""MaximumNumberOfItems"": 500}"`);
    assert.equal(T.alterIngestionBatchingPolicyCommand('tmp', null), undefined);
    assert.equal(T.alterIngestionBatchingPolicyCommand('tmp', 'null'), undefined);
    assertParses(T.alterIngestionBatchingPolicyCommand('tmp', policy)!, 'AlterTablePolicyIngestionBatching');
    assert.equal(T.refreshIngestionBatchingPolicyCacheCommand('db', 'tmp'), ".refresh database 'db' table 'tmp' cache ingestionbatchingpolicy");
  });
  it('retention and auto-delete on the staging table', () => {
    assert.equal(T.formatRetentionPeriod(604800), '07:00:00:00');
    assert.equal(T.formatRetentionPeriod(172800 + 3600 + 61), '02:01:01:01');
    assert.equal(T.formatRetentionPeriod(200 * 86400), '200:00:00:00');
    assert.equal(T.alterRetentionPolicyCommand('tmp', 604800), `.alter table ['tmp'] policy retention '{ "SoftDeletePeriod": "07:00:00:00", "Recoverability":"Disabled" }' `);
    assert.equal(T.alterAutoDeletePolicyCommand('tmp', to), `.alter table ['tmp'] policy auto_delete @'{"ExpiryDate": "2024-01-01T01:02:03.456Z","DeleteIfNotEmpty": true }' `);
    assertParses(T.alterRetentionPolicyCommand('tmp', 604800), 'AlterTablePolicyRetention');
    assertParses(T.alterAutoDeletePolicyCommand('tmp', to), 'AlterTablePolicyAutoDelete');
  });
  it('streaming, merge, drop, counts, mappings and DM commands', () => {
    assert.equal(T.enableStreamingIngestionPolicyCommand('T'), ".alter table ['T'] policy streamingingestion enable");
    assert.equal(T.clearStreamingIngestionSchemaCacheCommand('T'), ".clear table ['T'] cache streamingingestion schema");
    assert.equal(T.disableMergePolicyCommand('tmp'), `.alter table ['tmp'] policy merge @'{"AllowMerge":"false", "AllowRebuild":"false"}'`);
    assert.equal(T.dropTableIfExistsCommand('tmp'), ".drop table ['tmp'] ifexists");
    assert.equal(T.countMaterializedViewsOnTableCommand('T'), ".show materialized-views | where SourceTable == 'T' | count");
    assert.equal(T.countMaterializedViewsOnTableCommand("x' or 1==1 or '"), ".show materialized-views | where SourceTable == 'x\\' or 1==1 or \\'' | count");
    assert.equal(T.countClusterNodesCommand(), '.show cluster | count');
    assert.equal(T.showCsvMappingsCommand('T'), ".show table ['T'] ingestion csv mappings");
    assert.equal(T.createCsvMappingCommand('tmp', 'm1', '[{"column":"a","Properties":{"Ordinal":"0"}}]'), `.create table ['tmp'] ingestion csv mapping "m1" @"[{""column"":""a"",""Properties"":{""Ordinal"":""0""}}]"`);
    assert.equal(T.showExportContainersCommand(), '.show export containers');
    assert.equal(T.getIngestionResourcesCommand(), '.get ingestion resources');
    for (const [c, k] of [
      [T.enableStreamingIngestionPolicyCommand('T'), 'AlterTablePolicyStreamingIngestion'],
      [T.clearStreamingIngestionSchemaCacheCommand('T'), 'ClearTableCacheStreamingIngestionSchema'],
      [T.disableMergePolicyCommand('tmp'), 'AlterTablePolicyMerge'],
      [T.dropTableIfExistsCommand("a'b"), 'DropTable'],
      [T.countMaterializedViewsOnTableCommand("x' | count"), 'ShowMaterializedViews'],
      [T.createCsvMappingCommand('tmp', 'm"1', '[{"column":"a"}]'), 'CreateTableIngestionMapping'],
    ] as const) assertParses(c, k);
  });
});

describe('extent commands (golden)', () => {
  it('moves extents with the connector\'s exact text, names escaped', () => {
    // Connector: `.move async extents to table T with(...) <|\n       .show table tmp extents;\n` (names raw).
    assert.equal(
      X.moveExtentsCommand({ table: 'T', stagingTable: 'tmp', createdOnFrom: from, createdOnTo: to }),
      ".move async extents to table ['T'] with(extentCreatedOnFrom='2024-01-01T00:00:00.000Z', extentCreatedOnTo='2024-01-01T01:02:03.456Z') <|\n       .show table ['tmp'] extents;\n",
    );
    assert.equal(
      X.moveExtentsCommand({ table: 'T', stagingTable: 'tmp', createdOnFrom: from, createdOnTo: to, maxExtents: 800 }),
      ".move async extents to table ['T'] with(extentCreatedOnFrom='2024-01-01T00:00:00.000Z', extentCreatedOnTo='2024-01-01T01:02:03.456Z') <|\n       .show table ['tmp'] extents with(extentsShowFilteringRuntimePolicy='{\"MaximumResultsCount\":800}');\n",
    );
    const mv = X.moveExtentsCommand({ table: 'T', stagingTable: 'tmp', createdOnFrom: from, createdOnTo: to, setNewIngestionTime: true, maxExtents: 50 });
    assert.equal(mv, ".move async extents to table ['T'] with(SetNewIngestionTime=true, extentCreatedOnFrom='2024-01-01T00:00:00.000Z', extentCreatedOnTo='2024-01-01T01:02:03.456Z') <|\n       .show table ['tmp'] extents with(extentsShowFilteringRuntimePolicy='{\"MaximumResultsCount\":50}');\n");
    assertParses(mv, 'MoveExtentsQuery');
    assert.throws(() => X.moveExtentsCommand({ table: 'T', stagingTable: 'tmp', createdOnFrom: from, createdOnTo: to, maxExtents: 0 }), /positive integer/);
  });
  it('moves and drops by accepted attempt tags (exactly-once)', () => {
    const tags = ['ingest-by:kjob:r1:0:a1', "ingest-by:it's"];
    const move = X.moveTaggedExtentsCommand({ table: 'T', stagingTable: 'tmp', createdOnFrom: from, createdOnTo: to, tags, maxExtents: 100 });
    assert.equal(
      move,
      ".move async extents to table ['T'] with(extentCreatedOnFrom='2024-01-01T00:00:00.000Z', extentCreatedOnTo='2024-01-01T01:02:03.456Z') <|\n       .show table ['tmp'] extents | where (strcat('\\r\\n', Tags, '\\r\\n') contains_cs '\\r\\ningest-by:kjob:r1:0:a1\\r\\n' or strcat('\\r\\n', Tags, '\\r\\n') contains_cs '\\r\\ningest-by:it\\'s\\r\\n') | take 100 | project ExtentId;\n",
    );
    assertParses(move, 'MoveExtentsQuery');
    const drop = X.dropExtentsNotTaggedCommand('tmp', tags);
    assert.equal(drop, ".drop extents <| .show table ['tmp'] extents | where not((strcat('\\r\\n', Tags, '\\r\\n') contains_cs '\\r\\ningest-by:kjob:r1:0:a1\\r\\n' or strcat('\\r\\n', Tags, '\\r\\n') contains_cs '\\r\\ningest-by:it\\'s\\r\\n')) | project ExtentId");
    assertParses(drop, 'DropExtents');
    assertParses(X.countTaggedExtentsCommand('tmp', tags), 'ShowTableExtents');
    assert.throws(() => X.dropExtentsNotTaggedCommand('tmp', []), /At least one/);
    assert.throws(() => X.moveTaggedExtentsCommand({ table: 'T', stagingTable: 'tmp', createdOnFrom: from, createdOnTo: to, tags: ['a\nb'] }), /Invalid extent tag/);
    // A tag value cannot escape the dynamic literal.
    const evil = X.countTaggedExtentsCommand('tmp', ['"]))) > 0 | take 1 //']);
    const parsed = parseKql(evil);
    assert.deepEqual(parsed.diagnostics, []);
    assert.equal(findNodes(parsed.root, 'TakeOperator').length, 0);
  });
  it('drops attempt tags from moved extents', () => {
    const cmd = X.dropExtentTagsCommand('T', ['drop-by:kjob-r-p0-a1']);
    assert.equal(cmd, ".drop async table ['T'] extent tags <| .show table ['T'] extents | where strcat('\\r\\n', Tags, '\\r\\n') contains_cs '\\r\\ndrop-by:kjob-r-p0-a1\\r\\n' | extend Tags = split(Tags, '\\r\\n') | mv-expand Tags to typeof(string) | where Tags in ('drop-by:kjob-r-p0-a1')");
    assertParses(cmd, 'DropExtentTagsFromQuery');
  });
  it('counts, tag drops and ingest-by checks', () => {
    assert.equal(X.countExtentsCommand('tmp'), ".show table ['tmp'] extents | count");
    assert.equal(
      X.dropIngestByTagsCommand('tmp', 'r1_'),
      ".drop async table ['tmp'] extent tags <| .show table ['tmp'] extents | where isnotempty(Tags) | extend Tags = split(Tags, '\\r\\n') | mv-expand Tags to typeof(string) | where Tags startswith 'ingest-by:r1_'",
    );
    assertParses(X.dropIngestByTagsCommand('tmp', "r'1"), 'DropExtentTagsFromQuery');
    assert.equal(
      X.ingestByTagsOfTableCommandReference('T'),
      ".show table ['T']  extents;\n$command_results | mv-apply split(Tags, \"\\r\\n\") on (where Tags startswith \"ingest-by\" | project Tags = substring(Tags,10)) | summarize make_set(Tags)",
    );
    const ours = X.existingIngestByTagsCommand('T', ['a', "b'c"]);
    assert.equal(ours, ".show table ['T'] extents | where isnotempty(Tags) | mv-expand Tag = split(Tags, '\\r\\n') to typeof(string) | where Tag in ('ingest-by:a', 'ingest-by:b\\'c') | project Tag = substring(Tag, 10) | distinct Tag");
    assertParses(ours, 'ShowTableExtents');
  });
});

describe('operation commands and query forms (golden)', () => {
  it('polls operations by id', () => {
    const id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    assert.equal(showOperationsCommand(id), `.show operations ${id}`);
    assert.equal(showOperationDetailsCommand(id), `.show operation ${id} details`);
    assert.equal(showOperationsCommand("x'; .drop table T"), ".show operations 'x\\'; .drop table T'");
    assertParses(showOperationsCommand(id), 'ShowOperations');
    assertParses(showOperationDetailsCommand(id), 'ShowOperationDetails');
  });
  it('derives queries the connector way: no space before the pipe', () => {
    assert.equal(normalizeQuery('  T | take 5;  '), 'T | take 5');
    assert.equal(normalizeQuery('T;;'), 'T');
    assert.equal(schemaQuery('T | where a > 1;'), 'T | where a > 1| take 0');
    assert.equal(limitQuery('T', 5), 'T| take 5');
    assert.equal(countQuery('T;'), 'T| count');
    assert.equal(estimateRowsCountQuery('T;'), 'T| evaluate estimate_rows_count()');
    assert.equal(schemaQuery('T\n// trailing comment'), 'T\n// trailing comment\n| take 0');
    assert.equal(writeResultQuery('T', 1), "['T']| take 1");
    assert.equal(writeResultQuery('T', 'none'), "['T']");
    assert.throws(() => limitQuery('T', -1), /non-negative/);
    for (const q of [schemaQuery('T\n// c'), limitQuery('T', 3), countQuery('T'), estimateRowsCountQuery('T')]) assertParses(q);
  });
});
