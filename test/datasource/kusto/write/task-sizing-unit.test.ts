import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planKustoWriteTasks, TASK_SIZING_CONF, TASK_TARGET_MB_CONF } from '../../../../src/datasource/kusto/write/task-sizing.js';
import { KUSTO_WRITE_STATE_VERSION } from '../../../../src/datasource/kusto/write/write-state.js';
import type { DriverContext, WriteJob } from '../../../../src/datasource/datasource.js';
import type { TaskInput } from '../../../../src/plan/task-plan.js';

const MB = 1024 * 1024;
const job = (writeMode: string): WriteJob => ({
  format: 'kusto',
  state: { v: KUSTO_WRITE_STATE_VERSION, options: { kustoCluster: 'http://127.0.0.1:1', kustoDatabase: 'db', kustoTable: 'T', writeMode }, executorAuth: { kind: 'none' }, stagingTable: undefined, blobNamePrefix: 'x', gzipLevel: 1, startedAt: new Date().toISOString(), requestId: 'r' },
});
const logs: string[] = [];
const ctx = (conf: Record<string, string> = {}): DriverContext => ({
  appName: 'a', appId: 'a', jobId: 'j', conf: new Map(Object.entries(conf)), defaultParallelism: 2,
  log: { debug: () => {}, info: (_o, m) => void logs.push(String(m)), warn: () => {}, error: () => {} },
});
const parquet = (bytes: number): TaskInput => ({ kind: 'split', leaf: { kind: 'Scan', format: 'parquet', options: {}, schema: { fields: [] } as never }, split: { estimatedBytes: bytes } });

describe('Kusto write-task sizing', () => {
  it('groups Transactional and Queued inputs, using the Parquet expansion (8.5×)', () => {
    // 40 × 1 MB of Parquet ≈ 340 MB of CSV: target = clamp(170 MB, 100 MB, 1 GB) → 2 or 3 tasks, not 40.
    const inputs = Array.from({ length: 40 }, () => parquet(MB));
    for (const mode of ['Transactional', 'Queued']) {
      const out = planKustoWriteTasks(inputs, job(mode), ctx());
      assert.ok(out.length >= 2 && out.length <= 3, `${mode}: ${out.length} tasks`);
    }
    assert.ok(logs.some((l) => /grouped into fewer write tasks/.test(l)));
  });
  it('KustoStreaming and writeTaskSizing=off keep one task per partition', () => {
    const inputs = Array.from({ length: 5 }, () => parquet(1000));
    assert.equal(planKustoWriteTasks(inputs, job('KustoStreaming'), ctx()).length, 5);
    assert.equal(planKustoWriteTasks(inputs, job('Transactional'), ctx({ [TASK_SIZING_CONF]: 'off' })).length, 5);
  });
  it('writeTaskTargetMB fixes the target; bad values are refused naming the key', () => {
    const inputs = Array.from({ length: 10 }, () => parquet(MB / 8.5));
    assert.equal(planKustoWriteTasks(inputs, job('Transactional'), ctx({ [TASK_TARGET_MB_CONF]: '2' })).length, 5);
    assert.throws(() => planKustoWriteTasks(inputs, job('Transactional'), ctx({ [TASK_TARGET_MB_CONF]: 'x' })), /kjob\.kusto\.writeTaskTargetMB/);
    assert.throws(() => planKustoWriteTasks(inputs, job('Transactional'), ctx({ [TASK_SIZING_CONF]: 'sometimes' })), /kjob\.kusto\.writeTaskSizing/);
  });
});
