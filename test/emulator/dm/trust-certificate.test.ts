import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'azure-kusto-data';
import { DataFormat, IngestClient, IngestionProperties, ReportLevel, ReportMethod, StreamDescriptor } from 'azure-kusto-ingest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/start-emulator.js';
import { trustEmulatorCertificate } from '../../../src/emulator/dm/trust-certificate.js';

/** Table reporting in the same process, trusting the table certificate without NODE_EXTRA_CA_CERTS. */
describe('trustEmulatorCertificate (in-process table reporting)', () => {
  let emu: RunningEmulator;
  let untrust: (() => void) | undefined;
  before(async () => {
    emu = await startEmulator({ dataManagement: { dmPollIntervalMs: 50 } });
    const k = new Client(emu.clusterUrl);
    await k.executeMgmt('db', '.create table S (a:long)');
    k.close();
  });
  after(async () => {
    untrust?.();
    await emu.stop();
  });

  it('without trust the SDK cannot read the status row; with it the row goes Pending → Succeeded', async () => {
    const props = new IngestionProperties({ database: 'db', table: 'S', format: DataFormat.CSV, reportLevel: ReportLevel.FailuresAndSuccesses, reportMethod: ReportMethod.Table, flushImmediately: true });
    const client = new IngestClient(emu.clusterUrl);
    try {
      const untrusted = await client.ingestFromStream(new StreamDescriptor(Buffer.from('1\n') as unknown as ArrayBuffer), props);
      await assert.rejects(untrusted.getIngestionStatusCollection(), /self-signed|certificate/i);

      untrust = trustEmulatorCertificate(emu.dataManagement.caCertPath!);
      const result = await client.ingestFromStream(new StreamDescriptor(Buffer.from('2\n') as unknown as ArrayBuffer), props);
      let row = (await result.getIngestionStatusCollection()) as unknown as Record<string, unknown>;
      for (let i = 0; i < 100 && row['Status'] === 'Pending'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        row = (await result.getIngestionStatusCollection()) as unknown as Record<string, unknown>;
      }
      assert.equal(row['Status'], 'Succeeded');
    } finally {
      client.close();
    }
  });
});
