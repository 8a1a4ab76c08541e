// The emulator's configurable result-set limits (records and bytes, as the service's 500,000 / 64 MB)
// and what the Kusto source does with them: ForceSingleMode fails with the limits error — its likely
// cause and resolution intact across the task boundary — and the automatic mode falls back to
// Distributed. Also: the `| take 0` schema query runs once per read.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ClientRequestProperties } from 'azure-kusto-data';
import { Session } from '../../../../src/driver/session.js';
import { TaskFailedError } from '../../../../src/errors/task-failed-error.js';
import { lastKustoReadReport } from '../../../../src/datasource/kusto/read/index.js';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/start-emulator.js';
import { SERVICE_RESULT_LIMITS, checkResultLimits, resultLimitsOf } from '../../../../src/emulator/engine/result-limits.js';
import { parsePositive } from '../../../../src/cli/commands/emulator.js';
import { registerKustoSource } from './support.js';

const DB = 'limitsdb';
const MAX_ROWS = 150;
const MAX_BYTES = 4000;

describe('result-set limits (pure)', () => {
  it('defaults, set statements, request options and notruncation', () => {
    assert.deepEqual(resultLimitsOf('T', undefined), SERVICE_RESULT_LIMITS);
    assert.deepEqual(SERVICE_RESULT_LIMITS, { maxRecords: 500_000, maxBytes: 64 * 1024 * 1024 });
    const d = { maxRecords: 10, maxBytes: 100 };
    assert.deepEqual(resultLimitsOf('T', undefined, d), d);
    assert.deepEqual(resultLimitsOf('set truncationmaxsize=7;\nT', undefined, d), { maxRecords: 10, maxBytes: 7 });
    assert.deepEqual(resultLimitsOf('T', JSON.stringify({ Options: { truncationmaxrecords: 3, truncationmaxsize: 9 } }), d), { maxRecords: 3, maxBytes: 9 });
    assert.deepEqual(resultLimitsOf('set notruncation;\nT', undefined, d), { maxRecords: undefined, maxBytes: undefined });
    assert.deepEqual(resultLimitsOf('T', { Options: { notruncation: true } }, d), { maxRecords: undefined, maxBytes: undefined });
    assert.doesNotThrow(() => checkResultLimits([[1n, 'abcd']], { maxRecords: 1, maxBytes: 12 }));
    assert.throws(() => checkResultLimits([[1n, 'abcd']], { maxRecords: 1, maxBytes: 11 }), /internal data size limit 11 \(E_QUERY_RESULT_SET_TOO_LARGE/);
    assert.throws(() => checkResultLimits([[1], [2]], { maxRecords: 1, maxBytes: undefined }), /internal record count limit 1 /);
  });

  it('the emulator CLI flags take positive integers only', () => {
    assert.equal(parsePositive('1024', 'max-result-bytes'), 1024);
    for (const bad of ['0', '-1', '1.5', 'lots']) assert.throws(() => parsePositive(bad, 'max-result-bytes'), /--max-result-bytes must be a positive integer/);
  });
});

describe('Kusto source against an emulator with small result limits', () => {
  let emulator: RunningEmulator;
  let client: Client;
  let spark: Session;
  const opts = (extra: Record<string, string>) => ({ kustoCluster: emulator.clusterUrl, kustoDatabase: DB, ...extra });
  const queriesLike = async (fragment: string) => {
    const r = await client.executeMgmt(DB, `.show queries | where Text has '${fragment}' | project Text`);
    return [...r.primaryResults[0]!.rows()].map((row) => String(row.toJSON<{ Text: string }>().Text));
  };

  before(async () => {
    await registerKustoSource();
    emulator = await startEmulator({ autoDeleteIntervalMs: 0, maxResultRows: MAX_ROWS, maxResultBytes: MAX_BYTES, dataManagement: { dmPollIntervalMs: 50 } });
    client = new Client(emulator.clusterUrl);
    await client.executeMgmt(DB, `.create database ${DB} volatile`);
    // 200 narrow rows: over the record limit, under the byte limit.
    await client.executeMgmt(DB, '.set-or-append Narrow <| range id from 1 to 200 step 1');
    // 100 wide rows (~70 bytes each): under the record limit, over the byte limit.
    await client.executeMgmt(DB, '.set-or-append Wide <| range id from 1 to 100 step 1 | extend s = strcat(strrep("x", 60), tostring(id))');
    spark = await Session.builder().master('local[2]').config('kjob.progress', 'off').config('kjob.task.maxAttempts', 1).getOrCreate();
  });
  after(async () => {
    await spark?.stop();
    client?.close();
    await emulator?.stop();
  });

  it('the emulator enforces both configured limits (SDK), and notruncation lifts them', async () => {
    const rowsErr = await client.execute(DB, 'Narrow').catch((e: unknown) => e);
    assert.match(String((rowsErr as Error).message), new RegExp(`internal record count limit ${MAX_ROWS} \\(E_QUERY_RESULT_SET_TOO_LARGE`));
    const bytesErr = await client.execute(DB, 'Wide').catch((e: unknown) => e);
    assert.match(String((bytesErr as Error).message), new RegExp(`internal data size limit ${MAX_BYTES} \\(E_QUERY_RESULT_SET_TOO_LARGE`));
    assert.equal([...(await client.execute(DB, 'Wide | take 50')).primaryResults[0]!.rows()].length, 50, 'under both limits');
    assert.equal([...(await client.execute(DB, 'set notruncation;\nWide')).primaryResults[0]!.rows()].length, 100);
    const props = new ClientRequestProperties();
    props.setOption('notruncation', true);
    assert.equal([...(await client.execute(DB, 'Narrow', props)).primaryResults[0]!.rows()].length, 200);
  });

  it('ForceSingleMode over the byte limit fails naming the limit; cause and resolution survive the task boundary', async () => {
    const err = await spark.read.format('kusto').options(opts({ kustoQuery: 'Wide', readMode: 'ForceSingleMode' })).load().toArrow().catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError, String(err));
    assert.equal(err.taskErrorName, 'KustoRequestError');
    assert.match(err.taskErrorMessage, new RegExp(`internal data size limit ${MAX_BYTES}`));
    const text = err.describe();
    assert.match(text, /Likely cause: The result exceeds the query limits/);
    assert.match(text, /Resolution: Read with readMode=ForceDistributedMode/);
    assert.match(text, /Request id: KJC\.execute;|Request id: \S+/);
    assert.match(text, /Caused by: KustoRequestError: Kusto .*internal data size limit/);
    assert.equal(err.taskError.resolution, err.resolution);
    assert.equal(err.taskError.context['kustoCode'], 'LimitsExceeded');
  });

  it('the automatic mode falls back to Distributed on the byte limit and on the record limit, rows exact', async () => {
    const wide = await spark.read.format('kusto').options(opts({ kustoQuery: 'Wide' })).load().toArrow();
    assert.equal(lastKustoReadReport()?.mode, 'single-fallback-distributed');
    assert.deepEqual([...wide.getChild('id')!].map(Number).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(wide.getChild('s')!.get(0), `${'x'.repeat(60)}${Number(wide.getChild('id')!.get(0))}`);
    const narrow = await spark.read.format('kusto').options(opts({ kustoQuery: 'Narrow' })).load().count();
    assert.equal(lastKustoReadReport()?.mode, 'single-fallback-distributed');
    assert.equal(narrow, 200);
  });

  it('the `| take 0` schema query runs once per read', async () => {
    const marker = 'id != -777';
    await spark.read.format('kusto').options(opts({ kustoQuery: `Narrow | where ${marker}`, readMode: 'ForceDistributedMode' })).load().count();
    const schemaQueries = (await queriesLike(marker)).filter((t) => /\|\s*take\s+0\s*$/.test(t));
    assert.equal(schemaQueries.length, 1, `schema queries: ${JSON.stringify(schemaQueries)}`);
  });
});
