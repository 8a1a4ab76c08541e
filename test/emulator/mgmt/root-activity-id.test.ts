import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ClientRequestProperties } from 'azure-kusto-data';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/start-emulator.js';

/**
 * `.show commands` and `.show operations` share the request's RootActivityId (a guid), so a command can
 * be linked to the async operation it started, and KQL over `.show operations` works (a client request
 * id in the guid column used to break every `| where`).
 */
describe('RootActivityId links a command to its async operation', () => {
  let emu: RunningEmulator;
  let kusto: Client;
  const rows = async (text: string, props?: ClientRequestProperties) => [...(await kusto.executeMgmt('ra', text, props)).primaryResults[0]!.rows()].map((r) => r.toJSON<Record<string, unknown>>());
  const crp = (id: string) => {
    const p = new ClientRequestProperties();
    p.clientRequestId = id;
    return p;
  };

  before(async () => {
    emu = await startEmulator({});
    kusto = new Client(emu.clusterUrl);
    await kusto.executeMgmt('ra', '.create table T (a:long)');
  });
  after(async () => {
    kusto.close();
    await emu.stop();
  });

  it('the same guid in both tables, different per request, and | where over .show operations works', async () => {
    const op1 = String((await rows('.ingest async inline into table T <| 1', crp('job-a;KJOB.x;1;0')))[0]!['OperationId']);
    const op2 = String((await rows('.ingest async inline into table T <| 2', crp('job-b;KJOB.x;2;0')))[0]!['OperationId']);
    const command = await rows(".show commands | where ClientActivityId == 'job-a;KJOB.x;1;0'");
    assert.equal(command.length, 1);
    const root = String(command[0]!['RootActivityId']);
    assert.match(root, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const linked = await rows(`.show operations | where RootActivityId == '${root}'`);
    assert.deepEqual(linked.map((o) => o['OperationId']), [op1]);
    const other = await rows(`.show operations ${op2}`);
    assert.notEqual(String(other[0]!['RootActivityId']), root);
  });
});
