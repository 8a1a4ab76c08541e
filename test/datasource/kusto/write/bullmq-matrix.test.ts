// The Kusto sink on the BullMQ backend (real Redis, two real executor processes, one cluster for the
// whole file): every write mode × tableCreateOptions × adjustSchema, and pollingOnDriver=false polling
// as a task on one of the executor processes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../../../src/driver/session.js';
import type { RunningEmulator } from '../../../../src/emulator/start-emulator.js';
import { testRedisUrl, uniqueTestPrefix } from '../../../support/redis.js';
import { startCluster } from '../../../cluster/support/cluster-processes.js';
import { KustoProbe, sinkOptions, startSinkTestEmulator } from './support.js';

const EXECUTORS = ['kmx-1', 'kmx-2'];
let emu: RunningEmulator;
let probe: KustoProbe;
let spark: Session;
let stopCluster: () => Promise<void> = async () => undefined;

before(async () => {
  emu = await startSinkTestEmulator();
  probe = new KustoProbe(emu.clusterUrl);
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('kusto-sink-matrix');
  ({ stop: stopCluster } = await startCluster(url, prefix, EXECUTORS.map((id) => ({ id }))));
  spark = await Session.builder().appName('kusto sink bullmq').master(url).config('kjob.redis.prefix', prefix).config('kjob.progress', 'off').config('kjob.task.maxAttempts', 2).getOrCreate();
});
after(async () => {
  await spark?.stop();
  await stopCluster();
  probe?.close();
  await emu?.stop();
});

const small = () => spark.createDataFrame([{ id: 1, name: 'a' }, { id: 2, name: 'b"c, d' }, { id: 3, name: null }], 'id bigint, name string', { partitions: 2 });

async function waitForCount(table: string, expected: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  let n = 0;
  while (Date.now() < deadline && (n = await probe.count('db', table)) < expected) await new Promise((r) => setTimeout(r, 200));
  assert.equal(n, expected);
}

describe('Kusto sink on BullMQ: mode × tableCreateOptions × adjustSchema', () => {
  for (const writeMode of ['Transactional', 'Queued', 'KustoStreaming'] as const) {
    it(`${writeMode}: CreateIfNotExist/NoAdjustment creates, FailIfNotExist/FailIfNotMatch appends, GenerateDynamicCsvMapping maps by name`, async () => {
      const table = `BM_${writeMode}`;
      const write = (extra: Record<string, string>, t = table) => small().write.format('kusto').options(sinkOptions(emu.clusterUrl, t, { writeMode, ...extra })).mode('append').save();
      await write({ tableCreateOptions: 'CreateIfNotExist', adjustSchema: 'NoAdjustment' });
      await write({ tableCreateOptions: 'FailIfNotExist', adjustSchema: 'FailIfNotMatch' });
      await waitForCount(table, 6);
      assert.deepEqual((await probe.rows('db', `['${table}'] | where id == 2 | project name`)).map((r) => r['name']), ['b"c, d', 'b"c, d']);
      await assert.rejects(write({ tableCreateOptions: 'FailIfNotExist' }, `${table}_missing`), (e: Error) => e.name === 'TableNotFoundException');

      const mapped = `${table}_map`;
      await probe.rows('db', `.create table ['${mapped}'] (name:string, id:long, extra:string)`);
      if (writeMode === 'KustoStreaming') {
        await assert.rejects(write({ adjustSchema: 'GenerateDynamicCsvMapping' }, mapped), /GenerateDynamicCsvMapping cannot be used with Spark streaming ingestion/);
        await assert.rejects(write({ adjustSchema: 'FailIfNotMatch' }, mapped), (e: Error) => e.name === 'SchemaMatchException');
        return;
      }
      await write({ adjustSchema: 'GenerateDynamicCsvMapping' }, mapped);
      await waitForCount(mapped, 3);
      const rows = await probe.rows('db', `['${mapped}'] | order by id asc | project id, name, extra`);
      assert.deepEqual(rows.map((r) => [Number(r['id']), r['name'], r['extra']]), [[1, 'a', ''], [2, 'b"c, d', ''], [3, '', '']]);
    });
  }

  it('pollingOnDriver=false: an executor process polls the ingestion; rows exact', async () => {
    const r = await small().write.format('kusto').options(sinkOptions(emu.clusterUrl, 'BM_Polled', { tableCreateOptions: 'CreateIfNotExist', pollingOnDriver: 'false' })).mode('append').save();
    const polledBy = (r.detail as { ingestionPolledBy?: string }).ingestionPolledBy;
    assert.ok(EXECUTORS.includes(String(polledBy)), `polled by ${polledBy}`);
    assert.equal(await probe.count('db', 'BM_Polled'), 3);
  });
});
