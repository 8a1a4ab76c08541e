// The Kusto sink on the BullMQ backend (real Redis, two real executor processes, one cluster for the
// whole file): every write mode × tableCreateOptions × adjustSchema (the same case table as local[2]),
// the Arrow types round trip, and pollingOnDriver=false polling as a task on one of the executor processes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../../../src/driver/session.js';
import type { RunningEmulator } from '../../../../src/emulator/start-emulator.js';
import { testRedisUrl, uniqueTestPrefix } from '../../../support/redis.js';
import { startCluster } from '../../../cluster/support/cluster-processes.js';
import { KustoProbe, sinkOptions, startSinkTestEmulator } from './support.js';
import { createMatrixTables, matrixCases, runMatrixCase } from './matrix-cases.js';
import { ROUND_TRIP_CASES, runRoundTrip } from './types-cases.js';

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

const MATRIX = matrixCases('B');

describe('Kusto sink on BullMQ: mode × tableCreateOptions × adjustSchema (matrix-cases.ts)', () => {
  before(() => createMatrixTables(probe, MATRIX));
  for (const c of MATRIX) it(c.title, () => runMatrixCase(spark, emu.clusterUrl, probe, c));
});

describe('Kusto sink on BullMQ: Arrow types round trip across the task boundary (types-cases.ts)', () => {
  // Executor processes rebuild the plan from schema JSON and the rows from Arrow IPC: each type must survive both.
  for (const c of ROUND_TRIP_CASES) it(`${c.name}: every value read back exactly`, () => runRoundTrip(spark, emu.clusterUrl, probe, c, `BM_Types_${c.name}`));
});

describe('Kusto sink on BullMQ: polling on an executor', () => {
  it('pollingOnDriver=false: an executor process polls the ingestion; rows exact', async () => {
    const r = await small().write.format('kusto').options(sinkOptions(emu.clusterUrl, 'BM_Polled', { tableCreateOptions: 'CreateIfNotExist', pollingOnDriver: 'false' })).mode('append').save();
    const polledBy = (r.detail as { ingestionPolledBy?: string }).ingestionPolledBy;
    assert.ok(EXECUTORS.includes(String(polledBy)), `polled by ${polledBy}`);
    assert.equal(await probe.count('db', 'BM_Polled'), 3);
  });
});
