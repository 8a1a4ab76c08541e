import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkConnectivity } from '../../src/doctor/checks/connectivity.js';
import { checkRoles, rolesOn } from '../../src/doctor/checks/roles.js';
import { checkRequestCommands, guidanceForFailedCommand } from '../../src/doctor/checks/request-commands.js';
import { checkRequestOperations, operationsOfRequest } from '../../src/doctor/checks/request-operations.js';
import { autoDeleteExpiry, checkLeftoverTempTables, isStagingTableOf, leftoverTables, withAutoDelete } from '../../src/doctor/checks/temp-tables.js';
import { checkBatchingPolicy, checkIngestionFailures, checkStreamingPolicy, checkTableExists } from '../../src/doctor/checks/table-checks.js';
import { FAILED_OPERATION_CAUSE, failedOperationResolution } from '../../src/datasource/kusto/errors/operation-errors.js';
import { INGESTION_BATCHING_TIMEOUT_CAUSE, INGESTION_PERMANENT_CAUSE, INGESTION_TRANSIENT_CAUSE } from '../../src/datasource/kusto/errors/ingestion-errors.js';
import { TABLE_NOT_FOUND_CAUSE } from '../../src/datasource/kusto/errors/parameter-errors.js';
import { stagingTableName } from '../../src/datasource/kusto/naming/staging-names.js';
import { afterCleanup, tablesToClean } from '../../src/doctor/cleanup.js';
import { exitCodeOf, reportOf, type Finding } from '../../src/doctor/finding.js';
import { renderReport } from '../../src/doctor/render-report.js';

const NOW = new Date('2026-01-10T12:00:00Z');
const statuses = (fs: readonly Finding[]) => fs.map((f) => f.status);

describe('doctor check: connectivity', () => {
  it('ok when the database is listed; fail (with a near-miss hint) when it is not; info when databases cannot be listed', () => {
    const version = [{ ProductVersion: 'KustoMain 1.0' }];
    assert.deepEqual(statuses(checkConnectivity({ clusterUrl: 'u', database: 'db', version, databases: [{ DatabaseName: 'db' }] })), ['ok', 'ok']);
    const missing = checkConnectivity({ clusterUrl: 'u', database: 'DB', version, databases: [{ DatabaseName: 'db' }] });
    assert.deepEqual(statuses(missing), ['ok', 'fail']);
    assert.match(missing[1]!.title, /did you mean 'db'/);
    assert.ok(missing[1]!.cause && missing[1]!.resolution);
    assert.deepEqual(statuses(checkConnectivity({ clusterUrl: 'u', database: 'db', version, databases: { error: '403' } })), ['ok', 'info']);
  });
});

describe('doctor check: roles', () => {
  it('maps Kusto role rows scoped to the database (or the cluster) to admin / ingestor / viewer', () => {
    assert.deepEqual(rolesOn('db', [{ Scope: 'Database db', Role: 'Viewer' }, { Scope: 'Database other', Role: 'Admin' }]), ['viewer']);
    assert.deepEqual(rolesOn('db', [{ Scope: 'Database db', Role: 'Ingestor' }, { Scope: 'Database db', Role: 'User' }]), ['ingestor', 'viewer']);
    assert.deepEqual(rolesOn('db', [{ Scope: 'Cluster', Role: 'AllDatabasesAdmin' }]), ['admin', 'ingestor', 'viewer']);
  });
  it('ok for admin, info for lesser roles, warn for none, info when the service does not answer', () => {
    assert.deepEqual(statuses(checkRoles('db', { rows: [{ Scope: 'Database db', Role: 'Admin' }] })), ['ok']);
    assert.deepEqual(statuses(checkRoles('db', { rows: [{ Scope: 'Database db', Role: 'Viewer' }] })), ['info']);
    const none = checkRoles('db', { rows: [{ Scope: 'Database other', Role: 'Admin' }] });
    assert.deepEqual(statuses(none), ['warn']);
    assert.match(none[0]!.resolution!, /\.add database \['db'\]/);
    assert.deepEqual(statuses(checkRoles('db', { error: "Management command '.show principal roles' is not supported" })), ['info']);
  });
});

describe('doctor check: commands of a request id', () => {
  const row = (state: string, text: string, reason = '', started = '2026-01-10T11:00:00Z') => ({ ClientActivityId: 'r1;KJOB.x;u;0', CommandType: 'X', Text: text, State: state, FailureReason: reason, StartedOn: started, RootActivityId: 'root-1' });
  it('warns when nothing is found', () => {
    assert.deepEqual(statuses(checkRequestCommands('r1', [])), ['warn']);
  });
  it('lists commands oldest first; ok when none failed', () => {
    const fs = checkRequestCommands('r1', [row('Completed', '.b', '', '2026-01-10T11:00:02Z'), row('Completed', '.a')]);
    assert.deepEqual(statuses(fs), ['ok']);
    assert.deepEqual((fs[0]!.data!['commands'] as { text: string }[]).map((c) => c.text), ['.a', '.b']);
  });
  it('each failed command is a fail with the guide\'s cause and fix, chosen by command and reason', () => {
    const fs = checkRequestCommands('r1', [row('Completed', '.create table T (a:long)'), row('Failed', '.move extents all from table A to table B', 'boom')]);
    assert.deepEqual(statuses(fs), ['info', 'fail']);
    assert.equal(fs[1]!.detail, 'boom');
    assert.match(fs[1]!.cause!, /Move extents kept failing/);
    assert.match(guidanceForFailedCommand('.create table T (a:long)', "Principal 'x' is not authorized").cause, /role/);
    assert.match(guidanceForFailedCommand('.export async to parquet ("u") <| T', 'no').cause, /export/);
  });
});

describe('doctor check: async operations of a request id', () => {
  const commands = [{ ClientActivityId: 'r1;KJOB.read;u;0', RootActivityId: 'AAAA-root', StartedOn: '2026-01-10T11:00:00Z' }];
  const op = (id: string, state: string, root: string, status = '') => ({ OperationId: id, Operation: 'DataExportToFile', State: state, Status: status, RootActivityId: root, StartedOn: '2026-01-10T11:00:01Z' });
  it('links operations to the request by the RootActivityId of its commands', () => {
    const mine = operationsOfRequest(commands, [op('1', 'Completed', 'aaaa-root'), op('2', 'Completed', 'r1;KJOB.read;u;0'), op('3', 'Failed', 'other')]);
    assert.deepEqual(mine.map((o) => o['OperationId']), ['1']);
  });
  it('Failed / Throttled / Abandoned are fails with the FailedOperationException guidance; InProgress is info; none is info', () => {
    const fs = checkRequestOperations('r1', commands, [op('1', 'Completed', 'aaaa-root'), op('2', 'Failed', 'AAAA-root', 'storage refused'), op('3', 'Throttled', 'aaaa-root'), op('4', 'Abandoned', 'aaaa-root'), op('5', 'InProgress', 'aaaa-root')], NOW);
    assert.deepEqual(statuses(fs), ['ok', 'fail', 'fail', 'fail', 'info']);
    assert.equal(fs[1]!.cause, FAILED_OPERATION_CAUSE);
    assert.equal(fs[1]!.resolution, failedOperationResolution('2'));
    assert.equal(fs[1]!.detail, 'storage refused');
    assert.match(fs[2]!.cause!, /throttled/);
    assert.match(fs[4]!.title, /InProgress for 59m/);
    assert.deepEqual(statuses(checkRequestOperations('r1', commands, [op('9', 'Failed', 'zzz')])), ['info']);
  });
});

describe('doctor check: leftover staging tables', () => {
  const name = stagingTableName({ appName: 'my app', table: 'T', requestId: 'req-1' });
  const rows = [
    { TableName: name, TotalRowCount: 3, TotalExtents: 1, MinExtentsCreationTime: '2026-01-08T12:00:00Z' },
    { TableName: 'sparkTempTable_x_T_other', TotalRowCount: 0, TotalExtents: 0, MinExtentsCreationTime: null },
    { TableName: 'Regular', TotalRowCount: 10 },
  ];
  it('finds the sink\'s staging names (and which belong to a request id), with age and rows', () => {
    assert.ok(isStagingTableOf(name, 'req-1'));
    assert.ok(!isStagingTableOf(name, 'req-2'));
    const fs = checkLeftoverTempTables('db', leftoverTables(rows, NOW, 'req-1'));
    assert.deepEqual(statuses(fs), ['warn']);
    const tables = fs[0]!.data!['tables'] as { name: string; rows: number; ageMs?: number; ofRequest: boolean }[];
    assert.deepEqual(tables.map((t) => [t.name, t.rows, t.ageMs, t.ofRequest]), [[name, 3, 2 * 86_400_000, true], ['sparkTempTable_x_T_other', 0, undefined, false]]);
    assert.match(fs[0]!.detail!, /3 row\(s\), data 2d old {2}← this request/);
    assert.ok(fs[0]!.cause && fs[0]!.resolution);
  });
  it('ok when there are none', () => {
    assert.deepEqual(statuses(checkLeftoverTempTables('db', leftoverTables([{ TableName: 'Regular' }], NOW))), ['ok']);
  });
  it('shows when the auto_delete policy removes each table (or that it has none)', () => {
    assert.equal(autoDeleteExpiry('{"ExpiryDate": "2026-01-15T12:00:00.0000000Z","DeleteIfNotEmpty": true }'), '2026-01-15T12:00:00.000Z');
    assert.equal(autoDeleteExpiry('null'), null);
    assert.equal(autoDeleteExpiry({ ExpiryDate: 'soon' }), null);
    const tables = withAutoDelete(leftoverTables(rows, NOW, 'req-1'), new Map([[name, '2026-01-15T12:00:00.000Z'], ['sparkTempTable_x_T_other', null]]));
    const detail = checkLeftoverTempTables('db', tables)[0]!.detail!;
    assert.match(detail, new RegExp(`${name} {2}3 row\\(s\\), data 2d old, auto-deleted 2026-01-15 12:00 UTC {2}← this request`));
    assert.match(detail, /sparkTempTable_x_T_other {2}0 row\(s\), no data, no auto_delete policy$/m);
  });
  it('cleanup targets only the request\'s tables when a request id is given; a full cleanup clears the warning', () => {
    const fs = checkLeftoverTempTables('db', leftoverTables(rows, NOW, 'req-1'));
    const leftovers = fs[0]!.data!['tables'] as Parameters<typeof tablesToClean>[0];
    assert.deepEqual(tablesToClean(leftovers, 'req-1').map((t) => t.name), [name]);
    assert.equal(tablesToClean(leftovers, undefined).length, 2);
    const partial = afterCleanup(fs, [{ check: 'cleanup', status: 'ok', title: 'Dropped', data: { table: name } }], leftovers);
    assert.deepEqual(statuses(partial), ['warn', 'ok']);
    assert.ok(!partial[0]!.detail!.includes(name));
    const full = afterCleanup(fs, [name, 'sparkTempTable_x_T_other'].map((t) => ({ check: 'cleanup' as const, status: 'ok' as const, title: 'Dropped', data: { table: t } })), leftovers);
    assert.deepEqual(statuses(full), ['ok', 'ok']);
  });
});

describe('doctor checks of a table', () => {
  it('a missing table fails with the sink\'s TableNotFound guidance', () => {
    assert.deepEqual(statuses(checkTableExists('db', 'T', [{ TableName: 'T' }])), ['ok']);
    const fs = checkTableExists('db', 'T', [{ TableName: 't' }]);
    assert.deepEqual(statuses(fs), ['fail']);
    assert.equal(fs[0]!.cause, TABLE_NOT_FOUND_CAUSE);
  });
  it('ingestion failures: none is ok; permanent and transient ones fail with the matching cause, newest first', () => {
    assert.deepEqual(statuses(checkIngestionFailures('T', [], 6 * 3_600_000)), ['ok']);
    const rows = [
      { FailedOn: '2026-01-10T10:00:00Z', OperationId: 'op-old', ErrorCode: 'BadRequest_InvalidBlob', FailureKind: 'Permanent', Details: 'bad csv' },
      { FailedOn: '2026-01-10T11:00:00Z', OperationId: 'op-new', ErrorCode: 'General_TransientFailure', FailureKind: 'Transient', Details: 'retry' },
    ];
    const fs = checkIngestionFailures('T', rows, 86_400_000);
    assert.deepEqual(statuses(fs), ['fail']);
    assert.equal(fs[0]!.cause, INGESTION_PERMANENT_CAUSE);
    assert.match(fs[0]!.resolution!, /'op-new'/);
    assert.match(fs[0]!.title, /2 ingestion failure\(s\) for 'T' in the last 1d/);
    assert.equal(checkIngestionFailures('T', [rows[1]!], 1000)[0]!.cause, INGESTION_TRANSIENT_CAUSE);
  });
  it('batching policy: long against timeoutLimit warns; short, default and database-level are judged too', () => {
    const policy = (span: string) => JSON.stringify({ MaximumBatchingTimeSpan: span, MaximumNumberOfItems: 500 });
    const long = checkBatchingPolicy({ table: 'T', tablePolicy: policy('1.00:00:00'), databasePolicy: null, timeoutLimitSeconds: 172_800 });
    assert.deepEqual(statuses(long), ['warn']);
    assert.equal(long[0]!.cause, INGESTION_BATCHING_TIMEOUT_CAUSE);
    assert.match(long[0]!.detail!, /may come close/);
    assert.match(checkBatchingPolicy({ table: 'T', tablePolicy: policy('00:30:00'), databasePolicy: null, timeoutLimitSeconds: 600 })[0]!.detail!, /time out/);
    assert.deepEqual(statuses(checkBatchingPolicy({ table: 'T', tablePolicy: policy('00:00:30'), databasePolicy: null, timeoutLimitSeconds: 172_800 })), ['ok']);
    const dflt = checkBatchingPolicy({ table: 'T', tablePolicy: 'null', databasePolicy: null, timeoutLimitSeconds: 172_800 });
    assert.deepEqual([dflt[0]!.status, dflt[0]!.data!['source'], dflt[0]!.data!['batchingMs']], ['ok', 'default', 300_000]);
    const fromDb = checkBatchingPolicy({ table: 'T', tablePolicy: null, databasePolicy: policy('00:20:00'), timeoutLimitSeconds: 3600 });
    assert.deepEqual([fromDb[0]!.status, fromDb[0]!.data!['source']], ['warn', 'database']);
    assert.deepEqual(statuses(checkBatchingPolicy({ table: 'T', tablePolicy: policy('1.00:00:00'), databasePolicy: null, timeoutLimitSeconds: -1 })), ['ok']);
    assert.deepEqual(statuses(checkBatchingPolicy({ table: 'T', tablePolicy: policy('soon'), databasePolicy: null, timeoutLimitSeconds: 60 })), ['warn']);
  });
  it('streaming policy: enabled (table or database) is ok, otherwise info', () => {
    assert.deepEqual(statuses(checkStreamingPolicy({ table: 'T', tablePolicy: '{"IsEnabled":true}', databasePolicy: null })), ['ok']);
    assert.deepEqual(statuses(checkStreamingPolicy({ table: 'T', tablePolicy: null, databasePolicy: { IsEnabled: true } })), ['ok']);
    const off = checkStreamingPolicy({ table: 'T', tablePolicy: '{"IsEnabled":false}', databasePolicy: { IsEnabled: true } });
    assert.deepEqual([off[0]!.status, off[0]!.data!['source']], ['info', 'table']);
    assert.match(checkStreamingPolicy({ table: 'T', tablePolicy: 'null', databasePolicy: 'null' })[0]!.title, /not configured/);
  });
});

describe('doctor report', () => {
  const fs: Finding[] = [
    { check: 'connectivity', status: 'ok', title: 'Connected' },
    { check: 'temp-tables', status: 'warn', title: 'leftovers', detail: 'a\nb', cause: 'killed jobs', resolution: 'drop them' },
  ];
  it('a warning is a problem unless ignoreWarnings; a failure always; info never', () => {
    assert.deepEqual([reportOf(fs).ok, exitCodeOf(reportOf(fs))], [false, 1]);
    assert.deepEqual([reportOf(fs, { ignoreWarnings: true }).ok, exitCodeOf(reportOf(fs, { ignoreWarnings: true }))], [true, 0]);
    assert.equal(reportOf([...fs, { check: 'table', status: 'fail', title: 'x' }], { ignoreWarnings: true }).ok, false);
    assert.equal(reportOf([fs[0]!, { check: 'roles', status: 'info', title: 'refused', cause: 'c' }]).ok, true);
  });
  it('renders ✔ / ✘ / ! lines with indented details, cause and fix', () => {
    const text = renderReport(reportOf([...fs, { check: 'table', status: 'fail', title: 'gone', cause: 'c', resolution: 'r' }]), 'head');
    assert.equal(text, ['head', '✔ Connected', '! leftovers', '    a', '    b', '    cause: killed jobs', '    fix:   drop them', '✘ gone', '    cause: c', '    fix:   r', '', 'Problems found: 1 failed, 1 warning(s), 1 ok.', ''].join('\n'));
  });
});

describe('doctor output never carries a secret the service echoes', () => {
  it('command texts, failure reasons, operation statuses and ingestion details are redacted', () => {
    const sas = 'https://acct.blob.core.windows.net/c?sv=2024&sig=SECRETSIG';
    const commands = checkRequestCommands('r1', [{ ClientActivityId: 'r1;a;u;0', CommandType: 'DataExportToFile', Text: `.export async to parquet ("${sas}") <| T`, State: 'Failed', FailureReason: `403 on ${sas}`, StartedOn: '2026-01-10T11:00:00Z', RootActivityId: 'g' }]);
    const ops = checkRequestOperations('r1', [{ RootActivityId: 'g' }], [{ OperationId: 'o', Operation: 'DataExportToFile', State: 'Failed', Status: `refused ${sas}`, RootActivityId: 'g' }]);
    const failures = checkIngestionFailures('T', [{ FailedOn: '2026-01-10T11:00:00Z', OperationId: 'x', FailureKind: 'Permanent', Details: `bad blob ${sas}`, IngestionSourcePath: sas }], 1000);
    const all = JSON.stringify([commands, ops, failures]);
    assert.ok(all.includes('sig=<redacted>'), 'the redaction marker is there');
    assert.ok(!all.includes('SECRETSIG'), all);
  });
});
