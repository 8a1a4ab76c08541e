import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { tableFromBase64 } from '../../src/arrow/ipc-base64.js';
import { runTask } from '../../src/executor/task-runner.js';
import { isPartitionFunctionRegistered, registerPartitionFunction } from '../../src/executor/partition-functions.js';
import { projectBatch } from '../../src/executor/eval/batch-ops.js';
import { col, lit, upper } from '../../src/plan/functions.js';
import { localDataNode } from '../../src/datasource/memory/local-data.js';
import type { PlanNode } from '../../src/plan/plan-node.js';
import { planStageInputs } from '../../src/plan/stage-planner.js';
import type { CollectOutput, TaskOutput } from '../../src/plan/task-plan.js';
import { TASK_PROTOCOL_VERSION, type TaskDescription } from '../../src/protocol/task.js';

const rc = { executorId: 'test-exec', signal: new AbortController().signal, attempt: 0 };

async function descriptions(plan: PlanNode, output: TaskOutput, jobModule?: string): Promise<TaskDescription[]> {
  const inputs = await planStageInputs(plan, async () => {
    throw new Error('no scans');
  });
  return inputs.map((input, partition) => ({
    v: TASK_PROTOCOL_VERSION,
    appId: 'app-test',
    appName: 'test',
    jobId: 'job-1',
    stageId: 0,
    partition,
    numPartitions: inputs.length,
    conf: {},
    ...(jobModule ? { jobModule } : {}),
    plan: { v: 1, input, output, nowMicros: '0' },
  }));
}

const rowsOf = (out: unknown) => {
  const o = out as CollectOutput;
  return o.ipc ? tableFromBase64(o.ipc).toArray().map((r) => r.toJSON()) : [];
};

describe('runTask', () => {
  const plan: PlanNode = {
    kind: 'Project',
    exprs: [col('name').expr, upper('name').alias('u').expr, col('n').multiply(2).alias('n2').expr, lit('x"y\n').alias('q').expr],
    input: {
      kind: 'Filter',
      condition: col('n').gt(1).expr,
      input: localDataNode([{ name: 'ä', n: 1 }, { name: 'b,"c"', n: 2 }, { name: null, n: 3 }], { partitions: 2 }),
    },
  };

  it('runs a plan that went through JSON and returns the same result as the original', async () => {
    const descs = await descriptions(plan, { kind: 'collect' });
    const copies = descs.map((d) => JSON.parse(JSON.stringify(d)) as TaskDescription);
    assert.deepEqual(copies, descs);
    const direct = await Promise.all(descs.map((d) => runTask(d, rc)));
    const viaJson = await Promise.all(copies.map((d) => runTask(d, rc)));
    assert.deepEqual(direct.map((r) => rowsOf(r.output)), viaJson.map((r) => rowsOf(r.output)));
    assert.deepEqual(direct.flatMap((r) => rowsOf(r.output)), [
      { name: 'b,"c"', u: 'B,"C"', n2: 4, q: 'x"y\n' },
      { name: null, u: null, n2: 6, q: 'x"y\n' },
    ]);
    assert.equal(direct[0]!.attemptId, 'job-1.0.0.0');
    assert.equal(direct[1]!.metrics.rowsRead, 2);
  });

  it('counts without materialising rows', async () => {
    const [d] = await descriptions({ kind: 'Range', start: '0', end: '1000000', step: '1', partitions: 1 }, { kind: 'count' });
    const r = await runTask(d!, rc);
    assert.deepEqual(r.output, { count: 1_000_000 });
    assert.equal(r.metrics.rowsRead, 1_000_000);
  });

  it('rejects descriptions from another protocol version or of the wrong shape, naming the problem', async () => {
    const [d] = await descriptions(plan, { kind: 'collect' });
    await assert.rejects(runTask({ ...d!, v: 2 as never }, rc), /Invalid task description: protocol version 2, this executor speaks 1/);
    await assert.rejects(runTask({ ...d!, partition: -1 }, rc), /'partition' must be a non-negative integer/);
    await assert.rejects(runTask({ ...d!, plan: { ...(d!.plan as object), v: 9 } }, rc), /Invalid task plan: version 9/);
    await assert.rejects(runTask({ ...d!, plan: { ...(d!.plan as object), output: { kind: 'print' } } }, rc), /unknown output kind "print"/);
    await assert.rejects(runTask({ ...d!, plan: { ...(d!.plan as object), input: { kind: 'group', inputs: [], ops: [{ kind: 'Sort' }] } } }, rc), /input.ops\[0\] has an unknown kind/);
    await assert.rejects(runTask(null as never, rc), /not an object/);
  });

  it('caps what one collect task returns (kjob.driver.maxResultSize)', async () => {
    const [d] = await descriptions({ kind: 'Range', start: '0', end: '200000', step: '1', partitions: 1 }, { kind: 'collect' });
    await assert.rejects(runTask({ ...d!, conf: { 'kjob.driver.maxResultSize': '100k' } }, rc), { name: 'ConfigError', message: /exceed 102400 bytes \(kjob.driver.maxResultSize\)/ });
    await assert.rejects(runTask({ ...d!, conf: { 'kjob.driver.maxResultSize': 'lots' } }, rc), /must be a size such as 512m/);
    const ok = await runTask({ ...d!, conf: { 'spark.driver.maxResultSize': '2m' } }, rc);
    assert.equal((ok.output as CollectOutput).rows, 200000);
  });
  it('stops when the task is aborted', async () => {
    const [d] = await descriptions({ kind: 'Range', start: '0', end: '100000000', step: '1', partitions: 1 }, { kind: 'count' });
    const ac = new AbortController();
    ac.abort(new Error('cancelled by test'));
    await assert.rejects(runTask(d!, { ...rc, signal: ac.signal }), /cancelled by test/);
  });

  it('imports the job module for partition functions and stops its script at getOrCreate', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/job-module-fixture.ts', import.meta.url));
    assert.equal(isPartitionFunctionRegistered('fixtureKeepEven', 'map'), false);
    const descs = await descriptions({ kind: 'MapPartitions', name: 'fixtureKeepEven', input: { kind: 'Range', start: '0', end: '10', step: '1', partitions: 2 } }, { kind: 'collect' }, fixture);
    const results = await Promise.all(descs.map((d) => runTask(d, rc)));
    assert.deepEqual(results.flatMap((r) => rowsOf(r.output)).map((r) => r['id']), [0n, 2n, 4n, 6n, 8n]);
    assert.equal((globalThis as Record<string, unknown>)['__fixtureJobRan'], undefined);
  });

  it('refuses a partition whose batches change type midway', async () => {
    registerPartitionFunction('shapeShifter', async function* (batches) {
      let k = 0;
      for await (const b of batches) yield projectBatch(b, [(k++ === 0 ? col('id') : col('id').cast('string')).alias('id').expr], { nowMicros: 0n });
    });
    const [d] = await descriptions({ kind: 'MapPartitions', name: 'shapeShifter', input: { kind: 'Range', start: '0', end: '100000', step: '1', partitions: 1 } }, { kind: 'collect' });
    await assert.rejects(runTask(d!, rc), { code: 'SCHEMA_MISMATCH', message: /column 'id' is string instead of int64/ });
  });
  it('fails clearly when a partition function is not registered anywhere', async () => {
    const [d] = await descriptions({ kind: 'MapPartitions', name: 'ghost', input: { kind: 'Range', start: '0', end: '1', step: '1', partitions: 1 } }, { kind: 'collect' });
    await assert.rejects(runTask(d!, rc), /No mapPartitions function named 'ghost' is registered/);
  });
});
