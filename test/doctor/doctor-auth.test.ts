import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, KustoConnectionStringBuilder } from 'azure-kusto-data';
import { KustoEngineClient, closeEngineClients } from '../../src/datasource/kusto/client/engine-client.js';
import { StaticTokenCredential } from '../../src/datasource/kusto/client/credentials.js';
import { runDoctor, type DoctorReport } from '../../src/doctor/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator.js';
import { runDoctorCommand } from '../../src/cli/commands/doctor.js';
import { resolveDoctorOptions } from '../../src/cli/commands/doctor-options.js';
import type { KjobError } from '../../src/errors/kjob-error.js';

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

  it('KUSTO_ACCESS_TOKEN is the credential and never shows; a refused one is a connection error (exit 2 in the CLI)', async () => {
    const run = async (token: string) => {
      let out = '';
      const io = { write: (t: string) => void (out += t), note: (t: string) => void (out += t), interactive: false, confirm: async () => false };
      try {
        return { code: await runDoctorCommand(resolveDoctorOptions({ cluster: emu.clusterUrl, database: 'adb', json: true }, { KUSTO_ACCESS_TOKEN: token }), io), out, err: undefined };
      } catch (err) {
        return { code: undefined, out, err: err as KjobError };
      }
    };
    const ok = await run('tok-view-s3cr3t');
    assert.equal(ok.code, 0, ok.out);
    const report = JSON.parse(ok.out) as DoctorReport;
    assert.match(report.findings[0]!.title, /^Connected to/);
    const refused = await run('tok-unknown-s3cr3t');
    assert.equal(refused.err?.name, 'DoctorConnectionError');
    assert.match(refused.err!.message, /HTTP 401/);
    for (const text of [ok.out, refused.out, refused.err!.describe()]) assert.ok(!text.includes('s3cr3t'), text);
  });
});
