import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client, ClientRequestProperties } from 'azure-kusto-data';
import { DataFormat, IngestClient, IngestionProperties, StreamDescriptor } from 'azure-kusto-ingest';
import { exportCommand } from '../../src/datasource/kusto/kql/export-command.js';
import { alterAutoDeletePolicyCommand } from '../../src/datasource/kusto/kql/table-commands.js';
import { stagingTableName } from '../../src/datasource/kusto/naming/staging-names.js';
import { KustoEngineClient, closeEngineClients } from '../../src/datasource/kusto/client/engine-client.js';
import { ManualClock } from '../../src/datasource/kusto/polling/clock.js';
import { runDoctor, reportOf, type DoctorReport, type Finding } from '../../src/doctor/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator.js';
import { runDoctorCommand } from '../../src/cli/commands/doctor.js';
import { resolveDoctorOptions } from '../../src/cli/commands/doctor-options.js';

const ROOT = new URL('../..', import.meta.url).pathname;
/** The staging table's auto_delete expiry, as the sink sets it (7 days after the write started). */
const EXPIRY = new Date(Date.now() + 7 * 86_400_000);

/** `kjob doctor` as a user runs it: a child process, its stdout and exit code. */
function doctor(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/kjob.js', 'doctor', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const byCheck = (r: DoctorReport, check: Finding['check']) => r.findings.filter((f) => f.check === check);

/**
 * The Done-means scenario: a job left a staging table behind, an ingestion into the destination
 * failed, the destination batches for a day, and the job's distributed read (an export sent with its
 * request id) failed. `kjob doctor` finds each, and `--cleanup --yes` drops the staging table.
 */
describe('kjob doctor against the emulator', () => {
  let emu: RunningEmulator;
  let kusto: Client;
  const db = 'doc';
  const requestId = `job-${randomUUID()}`;
  const staging = stagingTableName({ appName: 'nightly', table: 'Dest', requestId });
  const otherStaging = stagingTableName({ appName: 'nightly', table: 'Dest', requestId: 'some-other-job' });
  const tableNames = async () => (await rowsOf(db, '.show tables')).map((r) => String(r['TableName']));
  const rowsOf = async (database: string, text: string) => [...(await kusto.executeMgmt(database, text)).primaryResults[0]!.rows()].map((r) => r.toJSON<Record<string, unknown>>());

  before(async () => {
    emu = await startEmulator({ dataManagement: { dmPollIntervalMs: 50 } });
    kusto = new Client(emu.clusterUrl);
    await kusto.executeMgmt(db, '.create table Dest (a:long)');
    await kusto.executeMgmt(db, `.alter table Dest policy ingestionbatching '{"MaximumBatchingTimeSpan":"1.00:00:00","MaximumNumberOfItems":500,"MaximumRawDataSizeMB":1024}'`);
    // The job's leftover staging table, with rows; and one of another job.
    const crp = (activity: string) => {
      const p = new ClientRequestProperties();
      p.clientRequestId = `${requestId};${activity};${randomUUID()};0`;
      return p;
    };
    await kusto.executeMgmt(db, `.create table ['${staging}'] (a:long) with(hidden=true)`, crp('KJOB.prepareWrite.createStaging'));
    await kusto.executeMgmt(db, `.ingest inline into table ['${staging}'] <| 1\n2\n3`, crp('KJOB.write'));
    await kusto.executeMgmt(db, alterAutoDeletePolicyCommand(staging, EXPIRY));
    await kusto.executeMgmt(db, `.create table ['${otherStaging}'] (a:long)`);
    // A failed queued ingestion into the destination (flushed at once, past the day-long batching).
    await kusto.executeMgmt(db, '.emulator fault ingestion fail 1 table Dest');
    const ingest = new IngestClient(emu.clusterUrl);
    try {
      await ingest.ingestFromStream(new StreamDescriptor(Buffer.from('7\n') as unknown as ArrayBuffer), new IngestionProperties({ database: db, table: 'Dest', format: DataFormat.CSV, flushImmediately: true }));
    } finally {
      ingest.close();
    }
    // The job's single-mode read query, failed (unknown table).
    await assert.rejects(kusto.execute(db, 'NoSuchTable | count', crp('KJOB.read.single')));
    // The job's export, failed by the emulator.
    await kusto.executeMgmt(db, '.emulator fault export fail 1');
    const container = String((await rowsOf('NetDefaultDB', '.show export containers'))[0]!['StorageRoot']);
    const [base, sas] = container.split('?') as [string, string];
    const op = await kusto.executeMgmt(db, exportCommand({ query: 'Dest', targets: [{ kind: 'sas', containerUrl: base, sas: `?${sas}` }], directory: `${db}/dir1/`, partitionIndex: 0 }), crp('KJOB.read.export'));
    const operationId = String([...op.primaryResults[0]!.rows()][0]!.toJSON<{ OperationId: string }>().OperationId);
    for (let i = 0; i < 200; i++) {
      const failures = await rowsOf(db, ".show ingestion failures | where Table == 'Dest'");
      const state = (await rowsOf(db, `.show operations ${operationId}`))[0]!['State'];
      if (failures.length > 0 && state !== 'InProgress') break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  after(async () => {
    kusto.close();
    closeEngineClients();
    await emu.stop();
  });

  // In process (the spawned CLI is exercised by the report and cleanup tests below): same options, same code path.
  it('--json: finds the failed query and export by request id, the leftover table, the ingestion failure and the long batching policy; exit 1', async () => {
    let stdout = '';
    const code = await runDoctorCommand(resolveDoctorOptions({ cluster: emu.clusterUrl, database: db, requestId, table: 'Dest', json: true }, {}), { write: (t) => void (stdout += t), note: () => undefined, interactive: false, confirm: async () => false });
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as DoctorReport;
    assert.equal(report.ok, false);
    assert.deepEqual(byCheck(report, 'connectivity').map((f) => f.status), ['ok', 'ok']);
    assert.deepEqual(byCheck(report, 'roles').map((f) => f.status), ['info'], 'the emulator without auth does not answer .show principal roles');

    const commands = byCheck(report, 'commands');
    assert.equal(commands[0]!.status, 'info');
    assert.match(commands[0]!.title, /^4 command\(s\)\/queries for request id '.*', 1 failed$/);
    const failedQuery = commands.filter((f) => f.status === 'fail');
    assert.equal(failedQuery.length, 1);
    assert.match(failedQuery[0]!.title, /^Query Failed: NoSuchTable \| count$/);
    assert.match(failedQuery[0]!.detail!, /NoSuchTable/);
    const failedOps = byCheck(report, 'operations').filter((f) => f.status === 'fail');
    assert.equal(failedOps.length, 1);
    assert.match(failedOps[0]!.title, /Failed$/);
    assert.match(failedOps[0]!.detail!, /fault injection/);
    assert.match(failedOps[0]!.resolution!, /\.show operations [0-9a-f-]{36}/);

    const temp = byCheck(report, 'temp-tables');
    assert.equal(temp[0]!.status, 'warn');
    const tables = temp[0]!.data!['tables'] as { name: string; rows: number; ofRequest: boolean; ageMs?: number; autoDeleteOn?: string | null }[];
    assert.deepEqual(tables.map((t) => [t.name, t.rows, t.ofRequest, t.autoDeleteOn]).sort(), [[otherStaging, 0, false, null], [staging, 3, true, EXPIRY.toISOString()]].sort());
    assert.ok(tables.find((t) => t.name === staging)!.ageMs! >= 0);

    assert.deepEqual(byCheck(report, 'table').map((f) => f.status), ['ok']);
    const failures = byCheck(report, 'ingestion-failures');
    assert.equal(failures[0]!.status, 'fail');
    assert.match(failures[0]!.detail!, /fault injection/);
    const batching = byCheck(report, 'batching-policy');
    assert.equal(batching[0]!.status, 'warn');
    assert.equal(batching[0]!.data!['batchingMs'], 86_400_000);
    // `info` is also what a check the service refused reports: the title says the policy was read and is absent.
    const streaming = byCheck(report, 'streaming-policy');
    assert.deepEqual(streaming.map((f) => f.status), ['info']);
    assert.equal(streaming[0]!.title, "Streaming ingestion is not configured for 'Dest'");
    for (const f of report.findings.filter((x) => x.status === 'fail')) assert.ok(f.cause && f.resolution, `${f.title} carries cause and resolution`);
  });

  const inProcess = () => {
    // Transient-error backoff sleeps return at once: an unreachable cluster fails fast.
    const engine = new KustoEngineClient(emu.clusterUrl, undefined, { requestId: 'doctor-test', clock: new ManualClock(Date.now()) });
    return { mgmt: (d: string, c: string, activity: string) => engine.mgmt(d, c, { activity }) };
  };

  it('a request id holding a quote finds nothing (it is a literal, not KQL)', async () => {
    const run = await runDoctor(inProcess(), { clusterUrl: emu.clusterUrl, database: db, requestId: "x' or 1==1 or '", sinceMs: 3_600_000, timeoutLimitSeconds: 172_800 });
    const commands = run.findings.filter((f) => f.check === 'commands');
    assert.deepEqual(commands.map((f) => f.status), ['warn']);
    assert.match(commands[0]!.title, /No commands or queries found/);
  });

  it('a missing table fails with the sink\'s guidance; a clean database reports ok', async () => {
    await kusto.executeMgmt('clean', '.create table Good (a:long)');
    const missing = await runDoctor(inProcess(), { clusterUrl: emu.clusterUrl, database: 'clean', table: 'Nope', sinceMs: 3_600_000, timeoutLimitSeconds: 172_800 });
    assert.deepEqual(missing.findings.filter((f) => f.check === 'table').map((f) => f.status), ['fail']);
    assert.equal(missing.findings.filter((f) => f.check === 'ingestion-failures').length, 0, 'no table, no further table checks');
    const clean = await runDoctor(inProcess(), { clusterUrl: emu.clusterUrl, database: 'clean', table: 'Good', sinceMs: 3_600_000, timeoutLimitSeconds: 172_800 });
    const report = reportOf(clean.findings);
    assert.equal(report.ok, true, JSON.stringify(report.findings.filter((f) => f.status !== 'ok' && f.status !== 'info')));
    assert.deepEqual(clean.leftovers, []);
    const unknown = await runDoctor(inProcess(), { clusterUrl: emu.clusterUrl, database: 'nosuchdb', table: 'T', sinceMs: 3_600_000, timeoutLimitSeconds: 172_800 });
    assert.deepEqual(unknown.findings.map((f) => [f.check, f.status]), [['connectivity', 'ok'], ['connectivity', 'fail']], 'nothing else is checked in a database the caller cannot see');
  });

  it('an unreachable cluster is a DoctorConnectionError; a bad flag exits 2 naming it', async () => {
    const dead = new KustoEngineClient('http://127.0.0.1:9', undefined, { requestId: 'doctor-test', clock: new ManualClock(Date.now()) });
    await assert.rejects(runDoctor({ mgmt: (d, c, activity) => dead.mgmt(d, c, { activity }) }, { clusterUrl: 'http://127.0.0.1:9', database: db, sinceMs: 1000, timeoutLimitSeconds: 60 }), (e: Error) => e.name === 'DoctorConnectionError' && /Could not reach database 'doc' on http:\/\/127\.0\.0\.1:9/.test(e.message));
    const bad = await doctor(['--cluster', emu.clusterUrl, '--database', db, '--since', 'yesterday']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since 'yesterday' is not a duration/);
  });

  it('the human report (✔ / ✘ / ! lines, each ✘ with cause and fix); --cleanup without a terminal nor --yes refuses (exit 2) and drops nothing', async () => {
    const { code, stdout, stderr } = await doctor(['--cluster', emu.clusterUrl, '--database', db, '--request-id', requestId, '--table', 'Dest', '--cleanup']);
    assert.equal(code, 2);
    assert.match(stderr, /--cleanup would drop 1 table\(s\) but there is no terminal to confirm on[\s\S]*--cleanup --yes/);
    const lines = stdout.split('\n');
    assert.match(lines[0]!, /^kjob doctor: http:\/\/127\.0\.0\.1:\d+, database 'doc' \(no authentication/);
    assert.ok(lines.some((l) => /^✔ Connected to /.test(l)));
    assert.ok(lines.some((l) => /^! 2 leftover sparkTempTable_\* table\(s\) in 'doc'/.test(l)));
    const failed = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('✘ '));
    assert.equal(failed.length, 3, stdout);
    for (const [, i] of failed) {
      const block = lines.slice(i + 1, lines.findIndex((l, j) => j > i && !l.startsWith('    ')));
      assert.ok(block.some((l) => l.startsWith('    cause: ')) && block.some((l) => l.startsWith('    fix:   ')), `cause and fix after ${lines[i]}`);
    }
    assert.match(stdout, /Problems found: 3 failed, 2 warning\(s\)/);
    assert.ok((await tableNames()).includes(staging));
  });

  it('on a terminal, --cleanup lists the tables and asks: no drops nothing, yes drops', async () => {
    const ttyStaging = stagingTableName({ appName: 'tty', table: 'Dest', requestId: 'tty-job' });
    await kusto.executeMgmt(db, `.create table ['${ttyStaging}'] (a:long)`);
    const io = (answer: boolean) => {
      const out = { written: '', noted: '', questions: [] as string[] };
      return { out, io: { write: (t: string) => void (out.written += t), note: (t: string) => void (out.noted += t), interactive: true, confirm: async (q: string) => (out.questions.push(q), answer) } };
    };
    const no = io(false);
    assert.equal(await runDoctorCommand(resolveDoctorOptions({ cluster: emu.clusterUrl, database: db, cleanup: true, json: true }, {}), no.io), 1, 'the leftovers stay: a problem');
    assert.equal(no.out.questions.length, 1);
    assert.match(no.out.questions[0]!, /^Drop these 3 table\(s\) from 'doc'\?/);
    assert.match(no.out.noted, new RegExp(`${staging} \\(3 row\\(s\\)\\)`));
    assert.deepEqual(byCheck(JSON.parse(no.out.written) as DoctorReport, 'cleanup').map((f) => f.title), ['Cleanup not confirmed: nothing dropped']);
    assert.ok((await tableNames()).includes(ttyStaging));

    const yes = io(true);
    await runDoctorCommand(resolveDoctorOptions({ cluster: emu.clusterUrl, database: db, requestId: 'tty-job', cleanup: true, json: true }, {}), yes.io);
    assert.match(yes.out.questions[0]!, /^Drop these 1 table\(s\)/);
    const names = await tableNames();
    assert.ok(!names.includes(ttyStaging) && names.includes(staging) && names.includes(otherStaging));
  });

  it('--cleanup --yes drops the request\'s staging table, not another job\'s', async () => {
    const { code, stdout, stderr } = await doctor(['--cluster', emu.clusterUrl, '--database', db, '--request-id', requestId, '--cleanup', '--yes', '--json']);
    const report = JSON.parse(stdout) as DoctorReport;
    assert.deepEqual(byCheck(report, 'cleanup').map((f) => [f.status, f.title]), [['ok', `Dropped ${staging} (3 row(s))`]], stderr);
    const remaining = byCheck(report, 'temp-tables').filter((f) => f.status === 'warn');
    assert.deepEqual((remaining[0]!.data!['tables'] as { name: string }[]).map((t) => t.name), [otherStaging]);
    assert.equal(code, 1, 'the failed export of the request is still reported');
    const after = await tableNames();
    assert.ok(!after.includes(staging));
    assert.ok(after.includes(otherStaging) && after.includes('Dest'));
  });
});
