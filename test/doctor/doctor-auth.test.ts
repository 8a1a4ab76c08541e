import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Client, KustoConnectionStringBuilder } from 'azure-kusto-data';
import { KustoEngineClient, closeEngineClients } from '../../src/datasource/kusto/client/engine-client.js';
import { StaticTokenCredential } from '../../src/datasource/kusto/client/credentials.js';
import { runDoctor, type DoctorReport } from '../../src/doctor/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Against the emulator's auth mode: a bearer token from KUSTO_ACCESS_TOKEN, kept out of the output; a refused one exits 2. */
describe('kjob doctor with auth', () => {
  let emu: RunningEmulator;
  const TOKENS = { 'tok-admin-s3cr3t': 'aadapp=admin-app', 'tok-view-s3cr3t': 'aadapp=viewer-app', 'tok-none-s3cr3t': 'aadapp=stranger' };

  before(async () => {
    emu = await startEmulator({ auth: { tokens: TOKENS, clusterAdmins: ['aadapp=admin-app'] } });
    const admin = new Client(KustoConnectionStringBuilder.withAccessToken(emu.clusterUrl, 'tok-admin-s3cr3t'));
    try {
      await admin.executeMgmt('adb', '.create table T (a:long)');
      await admin.executeMgmt('adb', ".add database adb viewers ('aadapp=viewer-app')");
    } finally {
      admin.close();
    }
  });
  after(async () => {
    closeEngineClients();
    await emu.stop();
  });

  it('roles: the emulator has no .show principal roles, so the check is informational and nothing else is affected', async () => {
    const engine = new KustoEngineClient(emu.clusterUrl, new StaticTokenCredential('tok-view-s3cr3t'), { requestId: 'doctor-auth', cacheKey: 'viewer' });
    const run = await runDoctor({ mgmt: (d, c, activity) => engine.mgmt(d, c, { activity }) }, { clusterUrl: emu.clusterUrl, database: 'adb', table: 'T', sinceMs: 3_600_000, timeoutLimitSeconds: 172_800 });
    assert.deepEqual(run.findings.filter((f) => f.check === 'roles').map((f) => f.status), ['info']);
    assert.deepEqual(run.findings.filter((f) => f.check === 'table').map((f) => f.status), ['ok']);
  });

  it('a refused credential is a connection error (exit 2); the token from KUSTO_ACCESS_TOKEN never shows', async () => {
    const run = (token: string) =>
      new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['bin/kjob.js', 'doctor', '--cluster', emu.clusterUrl, '--database', 'adb', '--json'], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent', KUSTO_ACCESS_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.once('error', reject);
        child.once('exit', (code) => resolve({ code, out }));
      });
    const ok = await run('tok-view-s3cr3t');
    assert.equal(ok.code, 0, ok.out);
    const report = JSON.parse(ok.out) as DoctorReport;
    assert.deepEqual(report.findings.find((f) => f.check === 'roles')?.status, 'info');
    const refused = await run('tok-unknown-s3cr3t');
    assert.equal(refused.code, 2);
    assert.match(refused.out, /DoctorConnectionError/);
    for (const out of [ok.out, refused.out]) assert.ok(!out.includes('s3cr3t'), out);
  });
});
