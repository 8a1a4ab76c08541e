import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { ContainerClient } from '@azure/storage-blob';
import { readParquet } from 'parquet-wasm/node';
import { Client } from 'azure-kusto-data';
import { exportCommand } from '../../../src/datasource/kusto/kql/export-command.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/start-emulator.js';

/** `.export` through the unmodified data SDK: real Parquet in Azurite, tracked by `.show operations`. */
describe('.export through the unmodified SDK', () => {
  let emu: RunningEmulator;
  let kusto: Client;
  let containerUrl: string;

  const N = 3000;
  before(async () => {
    emu = await startEmulator({});
    kusto = new Client(emu.clusterUrl);
    await kusto.executeMgmt('db', '.create table E (id:long, name:string, ts:datetime, v:real)');
    const lines = Array.from({ length: N }, (_, i) => `${i},"n ${i} ü ""q""",${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString()},${i / 4}`);
    await kusto.executeMgmt('db', `.ingest inline into table E <|\n${lines.join('\n')}`);
    const containers = await kusto.executeMgmt('NetDefaultDB', '.show export containers');
    containerUrl = String([...containers.primaryResults[0]!.rows()][0]!.toJSON<{ StorageRoot: string }>().StorageRoot);
  });
  after(async () => {
    kusto.close();
    await emu.stop();
  });

  const one = <T>(r: Awaited<ReturnType<Client['executeMgmt']>>) => [...r.primaryResults[0]!.rows()].map((x) => x.toJSON<T>());

  async function waitForOperation(id: string, timeoutMs = 20_000): Promise<{ State: string; Status: string }> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const op = one<{ State: string; Status: string }>(await kusto.executeMgmt('db', `.show operations ${id}`))[0]!;
      if (op.State !== 'InProgress' || Date.now() > until) return op;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  function exportText(dir: string, sizeLimitMb?: string): string {
    const [base, sas] = containerUrl.split('?') as [string, string];
    return exportCommand({
      query: 'E | where id >= 0',
      targets: [{ kind: 'sas', containerUrl: base, sas: `?${sas}` }],
      directory: dir,
      partitionIndex: 0,
      ...(sizeLimitMb ? { exportOptions: { sizeLimit: sizeLimitMb } } : {}),
    });
  }

  it('async export to parquet (the job runner command) writes files that read back with the exact rows', async () => {
    const res = await kusto.executeMgmt('db', exportText('db/dir_a/'));
    const opId = one<{ OperationId: string }>(res)[0]!.OperationId;
    const op = await waitForOperation(opId);
    assert.equal(op.State, 'Completed', op.Status);
    const details = one<{ Path: string; NumRecords: number }>(await kusto.executeMgmt('db', `.show operation ${opId} details`));
    assert.ok(details.length >= 1);
    assert.equal(details.reduce((s, d) => s + Number(d.NumRecords), 0), N);

    const container = new ContainerClient(containerUrl);
    const got: { id: bigint; name: string; ts: number; v: number }[] = [];
    for await (const b of container.listBlobsFlat({ prefix: 'db/dir_a/' })) {
      const bytes = await container.getBlockBlobClient(b.name).downloadToBuffer();
      for (const r of arrow.tableFromIPC(readParquet(bytes).intoIPCStream())) got.push(r.toJSON() as never);
    }
    assert.equal(got.length, N);
    got.sort((a, b) => Number(a.id - b.id));
    for (const i of [0, 1, 1234, N - 1]) {
      const r = got[i]!;
      assert.equal(Number(r.id), i);
      assert.equal(r.name, `n ${i} ü "q"`);
      // Parquet TIMESTAMP(MICROS, UTC), as the service exports datetime (Arrow JS reads it back as ms).
      assert.equal(Number(r.ts), Date.UTC(2024, 0, 1) + i * 60_000);
      assert.equal(r.v, i / 4);
    }
  });

  it('sync export to csv returns Path, NumRecords and SizeInBytes', async () => {
    const [base, sas] = containerUrl.split('?') as [string, string];
    const res = await kusto.executeMgmt('db', `.export to csv ("${base}" h@"?${sas}") with (namePrefix="csv/e", includeHeaders="all") <| E | where id < 10`);
    const files = one<{ Path: string; NumRecords: number; SizeInBytes: number }>(res);
    assert.equal(files.length, 1);
    assert.equal(Number(files[0]!.NumRecords), 10);
    assert.ok(Number(files[0]!.SizeInBytes) > 0);
    assert.ok(!files[0]!.Path.includes('sig='));
  });

  it('export faults: fail ends the operation Failed; timeout holds it InProgress, then fails it', async () => {
    await kusto.executeMgmt('db', '.emulator fault export fail 1');
    const failed = one<{ OperationId: string }>(await kusto.executeMgmt('db', exportText('db/dir_f/')))[0]!.OperationId;
    const f = await waitForOperation(failed);
    assert.equal(f.State, 'Failed');
    assert.match(f.Status, /fault injection/);

    await kusto.executeMgmt('db', '.emulator fault export timeout 1 after 1500');
    const slow = one<{ OperationId: string }>(await kusto.executeMgmt('db', exportText('db/dir_t/')))[0]!.OperationId;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(one<{ State: string }>(await kusto.executeMgmt('db', `.show operations ${slow}`))[0]!.State, 'InProgress');
    const t = await waitForOperation(slow);
    assert.equal(t.State, 'Failed');
    assert.match(t.Status, /timed out/);
  });

  it('the no-storage fault returns no export containers', async () => {
    await kusto.executeMgmt('db', '.emulator fault no-storage 1');
    assert.equal(one(await kusto.executeMgmt('NetDefaultDB', '.show export containers')).length, 0);
    assert.equal(one(await kusto.executeMgmt('NetDefaultDB', '.show export containers')).length, 2);
  });
});
