// A Distributed Kusto read on the BullMQ backend with two executor processes; one is SIGKILLed as
// soon as it starts reading an exported file. The lost task is retried on the survivor and the read
// returns every row exactly once.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Session } from '../../../../src/driver/session.js';
import { lastKustoReadReport } from '../../../../src/datasource/kusto/read/index.js';
import { testRedisUrl, uniqueTestPrefix } from '../../../support/redis.js';
import { startCluster, type ExecutorProcess } from '../../../cluster/support/cluster-processes.js';
import { startKustoTestCluster, type KustoTestCluster } from './support.js';

describe('Kusto Distributed read on BullMQ with an executor killed mid-read', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('kusto-kill');
  let k: KustoTestCluster;
  let spark: Session;
  let executors: ExecutorProcess[] = [];
  let stop: () => Promise<void> = async () => undefined;
  // The export's SAS travels sealed: the driver and the executors share the task secret key.
  const key = randomBytes(32).toString('base64');
  const savedKey = process.env['KJOB_TASK_SECRET_KEY'];

  before(async () => {
    process.env['KJOB_TASK_SECRET_KEY'] = key;
    k = await startKustoTestCluster('killdb');
    await k.mgmt('.set-or-append Rows <| range id from 1 to 400000 step 1 | extend s = strcat("row-", tostring(id))');
    ({ executors, stop } = await startCluster(url, prefix, [{ id: 'survivor', env: { KJOB_TASK_SECRET_KEY: key } }, { id: 'victim', env: { LOG_LEVEL: 'debug', KJOB_TASK_SECRET_KEY: key } }]));
    spark = await Session.builder().master(url).config('kjob.redis.prefix', prefix).config('kjob.progress', 'off').config('kjob.task.maxAttempts', 4).getOrCreate();
  });
  after(async () => {
    await spark?.stop();
    await stop();
    await k?.stop();
    if (savedKey === undefined) delete process.env['KJOB_TASK_SECRET_KEY'];
    else process.env['KJOB_TASK_SECRET_KEY'] = savedKey;
  });

  it('returns exactly the rows', async () => {
    const [survivor, victim] = executors as [ExecutorProcess, ExecutorProcess];
    const read = spark.read
      .format('kusto')
      .options({ kustoCluster: k.emulator.clusterUrl, kustoDatabase: k.db, kustoQuery: 'Rows', readMode: 'ForceDistributedMode', numPartitions: '8', partitionColumn: 'id' })
      .load()
      .toArrow();
    const killer = (async () => {
      const deadline = Date.now() + 60_000;
      while (!victim.log.some((l) => l.includes('"task started"'))) {
        if (Date.now() > deadline) throw new Error('the victim never started a task');
        await new Promise((r) => setTimeout(r, 5));
      }
      victim.child.kill('SIGKILL');
    })();
    const [t] = await Promise.all([read, killer]);
    assert.equal(lastKustoReadReport()?.mode, 'distributed');
    assert.equal(await victim.exited(), null, 'the victim died of the signal');
    assert.equal(t.numRows, 400_000);
    const seen = new Uint8Array(400_001);
    for (const v of t.getChild('id')!) seen[Number(v)]! += 1;
    assert.ok(seen.subarray(1).every((c) => c === 1), 'every row exactly once');
    assert.ok(
      survivor.log.some((l) => l.includes('"task finished"') && /"attempt":[1-9]/.test(l)),
      'the killed executor\'s task was retried on the survivor',
    );
  });
});
