import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'azure-kusto-data';
import { DataFormat, IngestClient, IngestionProperties, ReportLevel, ReportMethod, StreamDescriptor } from 'azure-kusto-ingest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator.js';
import { trustEmulatorCertificate } from '../../src/util/tls-trust.js';
import { Session } from '../../src/driver/session.js';

/** Table reporting in the same process, trusting the table certificate without NODE_EXTRA_CA_CERTS. */
describe('trustEmulatorCertificate (in-process table reporting)', () => {
  let emu: RunningEmulator;
  let untrust: (() => void) | undefined;
  before(async () => {
    // A certificate of its own (not the harness's NODE_EXTRA_CA_CERTS one): only the patch can trust it.
    emu = await startEmulator({ defaultBatchingPolicy: { maximumBatchingTimeSpanMs: 200, maximumNumberOfItems: 500, maximumRawDataSizeMB: 1024 }, dataManagement: { dmPollIntervalMs: 50 } });
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

  it('local[N] executor threads trust it too: a Transactional write polled on an executor (pollingOnDriver=false)', async () => {
    untrust ??= trustEmulatorCertificate(emu.dataManagement.caCertPath!);
    const spark = await Session.builder().appName('tls trust threads').master('local[2]').config('kjob.task.maxAttempts', 1).getOrCreate();
    try {
      const df = spark.createDataFrame(Array.from({ length: 20 }, (_, i) => ({ id: i })), 'id bigint', { partitions: 2 });
      const options = { kustoCluster: emu.clusterUrl, kustoDatabase: 'db', kustoTable: 'Threads', tableCreateOptions: 'CreateIfNotExist', pollingOnDriver: 'false', timeoutLimit: '60' };
      const r = await df.write.format('kusto').options(options).mode('append').save();
      assert.match(String((r.detail as { ingestionPolledBy?: string }).ingestionPolledBy), /^local-\d+$/, 'polled in a worker thread');
      assert.equal(r.rows, 20);
    } finally {
      await spark.stop();
    }
  });
});
