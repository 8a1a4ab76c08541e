import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Client } from 'azure-kusto-data';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/start-emulator.js';

const run = promisify(execFile);

/**
 * Table-based status reporting (ReportMethod.Table) through the unmodified ingest SDK: the SDK writes
 * the Pending row into the https status table, the emulator's DM updates it, and the SDK's
 * getIngestionStatusCollection() shows the final state. Runs the client in a child process started
 * with NODE_EXTRA_CA_CERTS, as a user of `kjob emulator` would.
 */
describe('status table reporting through the unmodified SDK', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ dataManagement: { dmPollIntervalMs: 50 } });
    const k = new Client(emu.clusterUrl);
    await k.executeMgmt('db', '.create table S (a:long, b:string)');
    k.close();
  });
  after(async () => emu.stop());

  it('moves the Pending row to Succeeded, or Failed with details', async () => {
    assert.ok(emu.dataManagement.caCertPath);
    assert.match(emu.dataManagement.tableEndpoint, /^https:/);
    const script = fileURLToPath(new URL('./support/table-status-client.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: emu.dataManagement.caCertPath, CLUSTER_URL: emu.clusterUrl },
      timeout: 90_000,
    });
    const results = stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; firstStatus: string; final: Record<string, unknown> });
    const ok = results.find((r) => r.name === 'ok')!;
    assert.equal(ok.final['Status'], 'Succeeded');
    assert.equal(ok.final['Table'], 'S');
    const bad = results.find((r) => r.name === 'bad')!;
    assert.equal(bad.final['Status'], 'Failed');
    assert.ok(String(bad.final['Details']).length > 0);
    assert.equal(bad.final['FailureStatus'], 'Permanent');
    assert.ok(String(bad.final['ErrorCode']).length > 0);
    const k = new Client(emu.clusterUrl);
    const count = await k.execute('db', 'S | count');
    k.close();
    assert.equal([...count.primaryResults[0]!.rows()][0]!.toJSON<{ Count: number }>().Count, 1);
  });
});
