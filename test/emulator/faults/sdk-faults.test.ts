import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'azure-kusto-data';
import { DataFormat, IngestClient, IngestStatusQueues, IngestionProperties, ReportLevel, StreamDescriptor } from 'azure-kusto-ingest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/start-emulator.js';

/** Every fault kind, injected through `.emulator fault ...` or the handle, as a client observes it. */
describe('fault injection observed through the unmodified SDKs', () => {
  let emu: RunningEmulator;
  let kusto: Client;

  before(async () => {
    emu = await startEmulator({ dataManagement: { dmPollIntervalMs: 50 } });
    kusto = new Client(emu.clusterUrl);
    await kusto.executeMgmt('db', '.create table F (a:long)');
    await kusto.executeMgmt('db', '.create table Tmp (a:long)');
  });
  after(async () => {
    kusto.close();
    await emu.stop();
  });

  const status = (e: unknown) => (e as { response?: { status?: number } }).response?.status ?? (e as { cause?: { response?: { status?: number } } }).cause?.response?.status;
  const count = async (t: string) => Number([...(await kusto.execute('db', `${t} | count`)).primaryResults[0]!.rows()][0]!.toJSON<{ Count: number }>().Count);

  it('throttles (429) the next N matching queries, then recovers', async () => {
    await kusto.executeMgmt('db', '.emulator fault throttle 2 on query matching "^F\\\\b"');
    for (let i = 0; i < 2; i++) {
      await assert.rejects(kusto.execute('db', 'F | count'), (e: Error) => e.name === 'ThrottlingError');
    }
    assert.equal(await count('F'), 0);
  });

  it('fails (500/503) mgmt commands matching a pattern; other commands pass', async () => {
    emu.dataManagement.faults.add({ kind: 'request', status: 503, count: 1, endpoint: 'mgmt', pattern: 'show tables' });
    await kusto.executeMgmt('db', '.show databases');
    await assert.rejects(kusto.executeMgmt('db', '.show tables'), (e: unknown) => status(e) === 503);
    await kusto.executeMgmt('db', '.show tables');
    await kusto.executeMgmt('db', '.emulator fault fail 1 status 500 on mgmt matching "show tables"');
    await assert.rejects(kusto.executeMgmt('db', '.show tables'), (e: unknown) => status(e) === 500);
  });

  it('.move extents: fails N times, then moves only part of the extents', async () => {
    for (let i = 0; i < 4; i++) await kusto.executeMgmt('db', `.ingest inline into table Tmp <| ${i}`);
    await kusto.executeMgmt('db', '.emulator fault move-extents fail 2 table Tmp');
    for (let i = 0; i < 2; i++) await assert.rejects(kusto.executeMgmt('db', '.move extents all from table Tmp to table F'), (e: unknown) => (status(e) ?? 0) >= 400);
    assert.equal(await count('F'), 0);
    await kusto.executeMgmt('db', '.emulator fault move-extents partial 1 table Tmp');
    await kusto.executeMgmt('db', '.move extents all from table Tmp to table F');
    const moved = await count('F');
    assert.ok(moved > 0 && moved < 4, `a partial move moved ${moved} of 4`);
    await kusto.executeMgmt('db', '.move extents all from table Tmp to table F');
    assert.equal(await count('F'), 4);
  });

  it('no storage resources: a fresh IngestClient cannot ingest (what the job runner maps to NoStorageContainers)', async () => {
    await kusto.executeMgmt('db', '.emulator fault no-storage 1');
    const client = new IngestClient(emu.clusterUrl);
    try {
      await assert.rejects(client.ingestFromStream(new StreamDescriptor(Buffer.from('1\n') as unknown as ArrayBuffer), { database: 'db', table: 'F', format: DataFormat.CSV }), /Failed to get containers/);
    } finally {
      client.close();
    }
  });

  it('DM faults: a delayed DM, then a failed and a partially succeeded ingestion', async () => {
    const client = new IngestClient(emu.clusterUrl);
    const queues = new IngestStatusQueues(client);
    const props = new IngestionProperties({ database: 'db', table: 'F', format: DataFormat.CSV, reportLevel: ReportLevel.FailuresAndSuccesses, flushImmediately: true });
    const seen = new Map<string, { ok: boolean; m: Record<string, unknown> }>();
    const wait = async (id: string) => {
      for (let i = 0; i < 200 && !seen.has(id); i++) {
        for (const m of await queues.success.pop(32)) seen.set(String((m as { IngestionSourceId?: string }).IngestionSourceId), { ok: true, m: { ...m } });
        for (const m of await queues.failure.pop(32)) seen.set(String((m as { IngestionSourceId?: string }).IngestionSourceId), { ok: false, m: { ...m } });
        if (!seen.has(id)) await new Promise((r) => setTimeout(r, 100));
      }
      return seen.get(id)!;
    };
    const send = async (body: string) => String(((await client.ingestFromStream(new StreamDescriptor(Buffer.from(body) as unknown as ArrayBuffer), props)) as unknown as { ingestionStatus: { IngestionSourceId: string } }).ingestionStatus.IngestionSourceId);
    try {
      await kusto.executeMgmt('db', '.emulator fault dm-delay 1500');
      const t0 = Date.now();
      const delayed = await send('100\n');
      assert.ok((await wait(delayed)).ok);
      assert.ok(Date.now() - t0 >= 1400, 'the DM waited before ingesting');
      await kusto.executeMgmt('db', '.emulator fault dm-delay 0');

      await kusto.executeMgmt('db', '.emulator fault ingestion fail 1 table F');
      const failed = await wait(await send('101\n'));
      assert.equal(failed.ok, false);
      assert.match(String(failed.m['Details']), /fault injection/);
      await kusto.executeMgmt('db', '.emulator fault ingestion partial 1 table F');
      const partial = await wait(await send('102\n'));
      assert.equal(partial.ok, false);
      assert.equal(partial.m['ErrorCode'], 'General_PartialIngestion');
      const listed = await kusto.executeMgmt('db', '.show ingestion failures');
      assert.ok([...listed.primaryResults[0]!.rows()].length >= 2);
    } finally {
      client.close();
    }
  });

  it('lists and clears faults with .emulator faults / .emulator fault clear', async () => {
    await kusto.executeMgmt('db', '.emulator fault throttle 0 on query');
    const list = [...(await kusto.executeMgmt('db', '.emulator faults')).primaryResults[0]!.rows()];
    assert.equal(list.length, 1);
    await assert.rejects(kusto.execute('db', 'F | count'));
    await kusto.executeMgmt('db', '.emulator fault clear');
    assert.ok((await count('F')) >= 0);
  });
});
