import type { DriverContext, Log, TaskContext } from '../../src/datasource/datasource.js';

/** Fake driver/task contexts for exercising a DataSource directly, without the runner. */

export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };

export function driverContext(overrides: Partial<DriverContext> = {}): DriverContext {
  return {
    appName: 'test',
    appId: 'app-test',
    jobId: overrides.jobId ?? `job${Math.random().toString(36).slice(2, 10)}`,
    conf: new Map(),
    log: silentLog,
    defaultParallelism: 2,
    ...overrides,
  };
}

export function taskContext(partition: number, overrides: Partial<TaskContext> = {}): TaskContext {
  const jobId = overrides.jobId ?? 'job-test';
  const attempt = overrides.attempt ?? 0;
  return {
    appId: 'app-test',
    jobId,
    stageId: 0,
    partition,
    numPartitions: overrides.numPartitions ?? 1,
    attempt,
    attemptId: `${jobId}.0.${partition}.${attempt}`,
    executorId: 'exec-test',
    conf: new Map(),
    log: silentLog,
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** Drains an async iterable into an array. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
