import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, KustoConnectionStringBuilder } from 'azure-kusto-data';
import { Session } from '../../../../src/driver/session.js';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/start-emulator.js';
import { sinkOptions } from './support.js';

/**
 * A permanent refusal of `.get ingestion resources` through the runner: the emulator in auth mode, the
 * driver with an admin token (prepare succeeds), the executors with their own token of a principal
 * that may only view (KUSTO_ACCESS_TOKEN, read by local[2]'s worker threads from the environment).
 */
describe('executors refused temporary storage (403)', () => {
  let emu: RunningEmulator;
  let admin: Client;
  let spark: Session;
  const previousToken = process.env['KUSTO_ACCESS_TOKEN'];

  before(async () => {
    emu = await startEmulator({
      warmUp: false,
      autoDeleteIntervalMs: 0,
      auth: { tokens: { 'tok-admin': 'aadapp=admin-app', 'tok-view': 'aadapp=viewer-app' }, clusterAdmins: ['aadapp=admin-app'] },
      ...(process.env['KJOB_TEST_CERT_DIR'] ? { dataManagement: { certificateDir: process.env['KJOB_TEST_CERT_DIR'] } } : {}),
    });
    admin = new Client(KustoConnectionStringBuilder.withAccessToken(emu.clusterUrl, 'tok-admin'));
    await admin.executeMgmt('db', '.create table R (id:long, name:string)');
    await admin.executeMgmt('db', ".add database db viewers ('aadapp=viewer-app') 'read only'");
    process.env['KUSTO_ACCESS_TOKEN'] = 'tok-view';
    spark = await Session.builder().appName('kusto 403').master('local[2]').config('kjob.task.maxAttempts', 1).config('kjob.kusto.storageAttempts', 3).getOrCreate();
  });
  after(async () => {
    if (previousToken === undefined) delete process.env['KUSTO_ACCESS_TOKEN'];
    else process.env['KUSTO_ACCESS_TOKEN'] = previousToken;
    await spark?.stop();
    admin?.close();
    await emu?.stop();
  });

  it('the task fails with KustoRequestException (HTTP 403, the service message), not NoStorageContainersException', async () => {
    const df = spark.createDataFrame([{ id: 1, name: 'a' }], 'id bigint, name string');
    const write = df.write.format('kusto').options(sinkOptions(emu.clusterUrl, 'R', { accessToken: 'tok-admin' })).mode('append').save();
    await assert.rejects(write, (e: Error & { taskErrorName?: string; taskErrorMessage?: string; taskError?: Error & { likelyCause?: string; requestId?: string }; requestId?: string }) => {
      assert.equal(e.name, 'TaskFailedError');
      assert.equal(e.taskErrorName, 'KustoRequestException');
      assert.match(String(e.taskErrorMessage), /^Kusto KJOB\.write\.ingestionResources failed \(HTTP 403\): Principal 'aadapp=viewer-app' is not authorized .*Database Ingestor role \(ingestors\)\. Command: \.get ingestion resources$/s);
      assert.match(e.taskError?.likelyCause ?? '', /Ingestor for ingestion/);
      assert.match(String(e.requestId), /^[0-9a-f-]{36}$/);
      assert.equal(e.taskError?.requestId, e.requestId);
      for (const secret of ['tok-view', 'tok-admin']) assert.ok(!`${e.message}\n${e.stack}\n${JSON.stringify(e)}`.includes(secret), secret);
      return true;
    });
    const staging = [...(await admin.executeMgmt('db', '.show tables')).primaryResults[0]!.rows()].map((r) => String(r.toJSON<{ TableName: string }>().TableName)).filter((t) => t.startsWith('sparkTempTable_'));
    assert.deepEqual(staging, []);
  });
});
