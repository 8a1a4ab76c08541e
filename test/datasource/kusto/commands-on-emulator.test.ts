// The command builders against the local emulator through the unmodified azure-kusto-data SDK: the
// staging-table policies, the attempt-tagged exactly-once move, the query forms and pushdown,
// partitioned exports, and ingestion of the CSV encoder's output.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as A from 'apache-arrow';
import { Client } from 'azure-kusto-data';
import { encodeBatch } from '../../../src/datasource/kusto/csv/arrow-csv-encoder.js';
import { kustoColumnsOfArrowSchema } from '../../../src/datasource/kusto/types/arrow-to-kusto.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import * as T from '../../../src/datasource/kusto/kql/table-commands.js';
import * as X from '../../../src/datasource/kusto/kql/extent-commands.js';
import { showOperationsCommand, showOperationDetailsCommand } from '../../../src/datasource/kusto/kql/operation-commands.js';
import { countQuery, limitQuery, schemaQuery } from '../../../src/datasource/kusto/kql/query-forms.js';
import { pruneAndFilter } from '../../../src/datasource/kusto/kql/expression-to-kql.js';
import { quoteIdentifier } from '../../../src/datasource/kusto/kql/quote.js';
import { exportCommand, exportTargetOf, hashPartitionPredicate } from '../../../src/datasource/kusto/kql/export-command.js';
import { transientCredentialFromSasUrl } from '../../../src/datasource/kusto/storage/transient-storage.js';
import { attemptExtentTag, exportDirectory, stagingTableName } from '../../../src/datasource/kusto/naming/staging-names.js';
import { ASYNC_OPERATION_CADENCE, pollUntil } from '../../../src/datasource/kusto/polling/poll-cadence.js';
import { systemClock } from '../../../src/datasource/kusto/polling/clock.js';
import { FailedOperationException } from '../../../src/datasource/kusto/errors/operation-errors.js';

type Row = Record<string, unknown>;
const DB = 'kjobkql';

describe('Kusto command builders on the emulator', () => {
  let emulator: RunningEmulator;
  let client: Client;
  const mgmt = async (text: string): Promise<Row[]> => {
    const r = await client.executeMgmt(DB, text);
    return [...r.primaryResults[0]!.rows()].map((row) => row.toJSON() as Row);
  };
  const query = async (text: string): Promise<Row[]> => {
    const r = await client.executeQuery(DB, text);
    return [...r.primaryResults[0]!.rows()].map((row) => row.toJSON() as Row);
  };
  const awaitOperation = async (rows: Row[]): Promise<Row[]> => {
    const id = String(rows[0]!.OperationId);
    const outcome = await pollUntil({ poll: async () => (await mgmt(showOperationsCommand(id))).at(-1), isDone: (r) => r.State !== 'InProgress', cadence: { ...ASYNC_OPERATION_CADENCE, baseMs: 50 }, timeoutMs: 20_000, clock: systemClock });
    assert.ok(outcome.done, `operation ${id} did not finish`);
    if (outcome.value.State !== 'Completed') throw new FailedOperationException(id, String(outcome.value.State), String(outcome.value.Status));
    return mgmt(showOperationDetailsCommand(id));
  };

  before(async () => {
    emulator = await startEmulator({ autoDeleteIntervalMs: 0 });
    client = new Client(emulator.clusterUrl);
    await mgmt(`.create database ${DB} volatile`);
  });
  after(async () => {
    client?.close();
    await emulator?.stop();
  });

  const table = "Flights 'live'";
  const staging = stagingTableName({ appName: 'kjob test', table, requestId: 'r-1' });
  const columns = [{ name: "it's", type: 'string' }, { name: 'n', type: 'long' }];

  it('creates the destination and a hidden staging table with the staging policies', async () => {
    await mgmt(T.createTableCommand(table, columns));
    const schema = await mgmt(T.showTableSchemaAsJsonCommand(table));
    assert.deepEqual(schema.map((r) => JSON.parse(String(r.ColumnsJson)).CslType), ['string', 'long']);
    assert.deepEqual(await mgmt(T.showTableSchemaAsJsonCommand('NoSuchTable')), []);
    await mgmt(T.createTableCommand(staging, columns, { hidden: true }));
    const policy = '{"MaximumBatchingTimeSpan":"00:00:10","MaximumNumberOfItems":500,"MaximumRawDataSizeMB":1024}';
    await mgmt(T.alterIngestionBatchingPolicyCommand(staging, policy)!);
    assert.deepEqual(JSON.parse(String((await mgmt(T.showIngestionBatchingPolicyCommand(staging)))[0]!.Policy)), JSON.parse(policy));
    await mgmt(T.alterRetentionPolicyCommand(staging, 604800));
    await mgmt(T.alterAutoDeletePolicyCommand(staging, new Date(Date.now() + 86_400_000)));
    await mgmt(T.disableMergePolicyCommand(staging));
    assert.deepEqual(await mgmt(T.countMaterializedViewsOnTableCommand(table)), [{ Count: 0 }]);
    await mgmt(T.createCsvMappingCommand(staging, 'm "1"', '[{"column":"n","Properties":{"Ordinal":"1"}}]'));
    assert.equal((await mgmt(T.showCsvMappingsCommand(staging)))[0]!.Name, 'm "1"');
  });

  it('moves only the extents of accepted attempts (exactly-once commit)', async () => {
    const a0 = attemptExtentTag('r-1', 0, 0); // partition 0, first attempt: lost (retried)
    const a1 = attemptExtentTag('r-1', 0, 1); // partition 0, retry: accepted
    const b0 = attemptExtentTag('r-1', 1, 0); // partition 1: accepted
    for (const [tag, row] of [[a0, '"dup",1'], [a1, '"p0",1'], [b0, '"p1",2']] as const) {
      await mgmt(`.ingest inline into table ${quoteIdentifier(staging)} with (tags='["${tag}"]') <| ${row}`);
    }
    const accepted = [a1, b0];
    assert.deepEqual(await mgmt(X.countTaggedExtentsCommand(staging, accepted)), [{ Count: 2 }]);
    assert.equal((await mgmt(X.dropExtentsNotTaggedCommand(staging, accepted))).length, 1);
    const from = new Date(Date.now() - 3_600_000);
    const details = await awaitOperation(await mgmt(X.moveTaggedExtentsCommand({ table, stagingTable: staging, createdOnFrom: from, createdOnTo: new Date(Date.now() + 1000), tags: accepted, maxExtents: 100 })));
    assert.equal(details.length, 2);
    assert.deepEqual(await mgmt(X.countTaggedExtentsCommand(staging, accepted)), [{ Count: 0 }]);
    const rows = await query(`${pruneAndFilter(quoteIdentifier(table), [], ["it's", 'n'])} | order by n asc`);
    assert.deepEqual(rows, [{ "it's": 'p0', n: 1 }, { "it's": 'p1', n: 2 }]);
    await awaitOperation(await mgmt(X.dropExtentTagsCommand(table, accepted)));
    assert.deepEqual(await mgmt(X.countTaggedExtentsCommand(table, accepted)), [{ Count: 0 }]);
    assert.deepEqual(await mgmt(X.existingIngestByTagsCommand(table, ['none'])), []);
  });

  it('runs the query forms and pushed-down filters', async () => {
    const q = `${quoteIdentifier(table)};`;
    assert.deepEqual(await query(countQuery(q)), [{ Count: 2 }]);
    assert.deepEqual(await query(schemaQuery(q)), []);
    assert.equal((await query(limitQuery(q, 1))).length, 1);
    const filtered = await query(pruneAndFilter(q, [{ kind: 'binary', op: '>=', left: { kind: 'col', name: 'n' }, right: { kind: 'lit', value: { $bigint: '2' } } }, { kind: 'call', fn: 'startswith', args: [{ kind: 'col', name: "it's" }, { kind: 'lit', value: 'p' }] }], ['n']));
    assert.deepEqual(filtered, [{ n: 2 }]);
  });

  it('exports disjoint hash partitions to the export containers', async () => {
    const containers = await (async () => [...(await client.executeMgmt('NetDefaultDB', T.showExportContainersCommand())).primaryResults[0]!.rows()].map((r) => r.toJSON() as Row))();
    const target = exportTargetOf(transientCredentialFromSasUrl(String(containers[0]!.StorageRoot)), 'core.windows.net');
    const directory = exportDirectory(DB, 'test-1');
    let records = 0;
    for (const i of [0, 1, 2]) {
      const cmd = exportCommand({ query: `${quoteIdentifier(table)};`, targets: [target], directory, partitionIndex: i, partitionPredicate: hashPartitionPredicate(['n'], 3, i), exportOptions: { sizeLimit: '10' } });
      const files = await awaitOperation(await mgmt(cmd));
      for (const f of files) {
        assert.ok(String(f.Path).includes(`/${directory}part${i}`), String(f.Path));
        records += Number(f.NumRecords);
      }
    }
    assert.equal(records, 2);
  });

  it('ingests the CSV encoder\'s output with every column type', async () => {
    const st = new A.Struct([new A.Field('k', new A.Utf8(), true), new A.Field('l', new A.List(new A.Field('i', new A.Int64(), true)), true)]);
    const data = new A.Table({
      s: A.vectorFromArray(['a,"b"\nc', 'é😀', null]),
      l: A.vectorFromArray([1n, -42n, null], new A.Int64()),
      i: A.vectorFromArray([1, null, -5], new A.Int32()),
      r: A.vectorFromArray([1e10, NaN, 0.1], new A.Float64()),
      b: A.vectorFromArray([true, false, null], new A.Bool()),
      t: A.vectorFromArray([Date.UTC(2020, 0, 1, 10), Date.UTC(2020, 0, 1, 10, 0, 5, 123), null], new A.TimestampMillisecond()),
      d: A.vectorFromArray([{ k: 'x"y', l: [1n, null] }, null, { k: null, l: [] }], st),
    });
    await mgmt(T.createTableCommand('Typed', kustoColumnsOfArrowSchema(data.schema)));
    const csv = Buffer.concat(encodeBatch(data.batches[0]!)).toString('utf8');
    await mgmt(`.ingest inline into table ['Typed'] <| ${csv}`);
    const rows = await query(`Typed | extend ts = tostring(t), rs = tostring(r) | project-away t, r`);
    assert.deepEqual(rows, [
      { s: 'a,"b"\nc', l: 1, i: 1, b: true, d: { k: 'x"y', l: [1, null] }, ts: '2020-01-01T10:00:00.0000000Z', rs: '10000000000' },
      { s: 'é😀', l: -42, i: null, b: false, d: null, ts: '2020-01-01T10:00:05.1230000Z', rs: 'NaN' },
      { s: '', l: null, i: -5, b: null, d: { l: [] }, ts: '', rs: '0.1' },
    ]);
  });

  it('drops the staging table', async () => {
    await mgmt(T.dropTableIfExistsCommand(staging));
    await mgmt(T.dropTableIfExistsCommand(staging));
    assert.deepEqual(await mgmt(X.countExtentsCommand(table)), [{ Count: 2 }]);
  });
});
