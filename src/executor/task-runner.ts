import type { RecordBatch } from 'apache-arrow';
import { batchesToBase64 } from '../arrow/ipc-base64.js';
import { schemaFromJson } from '../arrow/schema-json.js';
import type { TaskContext } from '../datasource/datasource.js';
import { getDataSource } from '../datasource/registry.js';
import { ConfigError, KjobError, PlanError } from '../errors/kjob-error.js';
import { assertNever } from '../plan/expr-name.js';
import { partitionFunctionNames, validateTaskPlan, type CollectOutput, type CountOutput, type TaskPlan } from '../plan/task-plan.js';
import { TASK_PROTOCOL_VERSION, type TaskDescription, type TaskResult } from '../protocol/task.js';
import { childLogger } from '../util/logger.js';
import { importJobModule } from './job-module.js';
import { openInput, type InputMetrics } from './open-input.js';
import { getForeachPartitionFunction, isPartitionFunctionRegistered } from './partition-functions.js';

/** Where and how this attempt runs (from the backend). */
export interface RunTaskContext {
  readonly executorId: string;
  readonly signal: AbortSignal;
  /** 0-based attempt number. */
  readonly attempt: number;
}

/** A task description this executor cannot run (other protocol version, malformed payload). */
export class InvalidTaskDescriptionError extends KjobError {
  override name = 'InvalidTaskDescriptionError';
  constructor(message: string) {
    super('PLAN_INVALID', `Invalid task description: ${message}`, { resolution: 'Run the same kjob version on the driver and the executors.' });
  }
}

/**
 * Runs one task attempt: reads the task's splits, applies its narrow operations batch by batch and
 * produces its output (collected rows as Arrow IPC, a count, a sink commit message, or nothing for
 * foreachPartition). The very same function runs under every backend (inline, local[N], redis).
 */
export async function runTask(desc: TaskDescription, rc: RunTaskContext): Promise<TaskResult> {
  const started = Date.now();
  validateDescription(desc);
  const plan = validateTaskPlan(desc.plan);
  await ensurePartitionFunctions(plan, desc);
  const attemptId = `${desc.jobId}.${desc.stageId}.${desc.partition}.${rc.attempt}`;
  const ctx: TaskContext = {
    appId: desc.appId,
    jobId: desc.jobId,
    stageId: desc.stageId,
    partition: desc.partition,
    numPartitions: desc.numPartitions,
    attempt: rc.attempt,
    attemptId,
    executorId: rc.executorId,
    conf: new Map(Object.entries(desc.conf)),
    log: childLogger({ component: 'task', appId: desc.appId, jobId: desc.jobId, stageId: desc.stageId, partition: desc.partition, attempt: rc.attempt }),
    signal: rc.signal,
  };
  const metrics: InputMetrics = { rowsRead: 0, bytesRead: 0 };
  const env = { nowMicros: BigInt(plan.nowMicros) };
  const batches = openInput(plan.input, ctx, env, metrics);
  let rowsWritten = 0;
  let bytesWritten = 0;
  let output: unknown;
  const out = plan.output;
  switch (out.kind) {
    case 'collect': {
      const collected: RecordBatch[] = [];
      let rows = 0;
      let bytes = 0;
      const maxBytes = maxResultBytes(desc.conf);
      for await (const b of batches) {
        rc.signal.throwIfAborted();
        collected.push(b);
        rows += b.numRows;
        bytes += (b.data as unknown as { byteLength?: number }).byteLength ?? 0;
        if (bytes > maxBytes)
          throw new ConfigError(`The collected rows of partition ${desc.partition} exceed ${maxBytes} bytes (${MAX_RESULT_CONF})`, {
            context: { option: MAX_RESULT_CONF, partition: desc.partition },
            resolution: 'Write the result with df.write…save() instead of collecting it, collect fewer rows (limit, filter, select), or raise the session config.',
          });
      }
      const ipc = collected.length ? batchesToBase64(collected[0]!.schema, collected) : null;
      output = { ipc, rows } satisfies CollectOutput;
      rowsWritten = rows;
      break;
    }
    case 'count': {
      let count = 0;
      for await (const b of batches) {
        rc.signal.throwIfAborted();
        count += b.numRows;
      }
      output = { count } satisfies CountOutput;
      break;
    }
    case 'write': {
      const ds = await getDataSource(out.job.format);
      if (!ds.writeTask) throw new PlanError(`The '${out.job.format}' data source cannot be written`);
      const message = await ds.writeTask(out.job, schemaFromJson(out.schema), batches, ctx);
      rowsWritten = message.rows;
      bytesWritten = message.bytes;
      output = message;
      break;
    }
    case 'foreach': {
      await getForeachPartitionFunction(out.name)(batches, ctx);
      output = null;
      break;
    }
    case 'sinkTask': {
      const ds = await getDataSource(out.format);
      if (!ds.runSinkTask) throw new PlanError(`The '${out.format}' data source has no sink task`);
      output = await ds.runSinkTask(out.payload, ctx);
      break;
    }
    default:
      assertNever(out);
  }
  return {
    partition: desc.partition,
    attempt: rc.attempt,
    attemptId,
    executorId: rc.executorId,
    metrics: { rowsRead: metrics.rowsRead, rowsWritten, bytesRead: metrics.bytesRead, bytesWritten, durationMs: Date.now() - started },
    output,
  };
}

/** Session config capping the rows one collect task may return. @defaultValue 1 GiB (as Spark's spark.driver.maxResultSize) */
export const MAX_RESULT_CONF = 'kjob.driver.maxResultSize';

function maxResultBytes(conf: Readonly<Record<string, string>>): number {
  const text = conf[MAX_RESULT_CONF] ?? conf['spark.driver.maxResultSize'];
  if (text === undefined) return 1024 ** 3;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)b?\s*$/i.exec(text);
  if (!m) throw new ConfigError(`Session config ${MAX_RESULT_CONF} must be a size such as 512m or 2g, got '${text}'`, { context: { option: MAX_RESULT_CONF } });
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Number(m[1]) * unit;
}

/** Imports the job module when the plan needs partition functions this process does not have yet. */
async function ensurePartitionFunctions(plan: TaskPlan, desc: TaskDescription): Promise<void> {
  const needed: [string, 'map' | 'foreach'][] = [...partitionFunctionNames(plan.input)].map((n) => [n, 'map']);
  if (plan.output.kind === 'foreach') needed.push([plan.output.name, 'foreach']);
  const missing = needed.filter(([n, k]) => !isPartitionFunctionRegistered(n, k));
  if (missing.length && desc.jobModule) await importJobModule(desc.jobModule);
}

function validateDescription(d: unknown): asserts d is TaskDescription {
  if (typeof d !== 'object' || d === null) throw new InvalidTaskDescriptionError('not an object');
  const o = d as Record<string, unknown>;
  if (o['v'] !== TASK_PROTOCOL_VERSION) throw new InvalidTaskDescriptionError(`protocol version ${JSON.stringify(o['v'])}, this executor speaks ${TASK_PROTOCOL_VERSION}`);
  for (const k of ['appId', 'appName', 'jobId'] as const) if (typeof o[k] !== 'string') throw new InvalidTaskDescriptionError(`'${k}' must be a string`);
  for (const k of ['stageId', 'partition', 'numPartitions'] as const)
    if (typeof o[k] !== 'number' || !Number.isInteger(o[k]) || (o[k] as number) < 0) throw new InvalidTaskDescriptionError(`'${k}' must be a non-negative integer`);
  if (o['jobModule'] !== undefined && typeof o['jobModule'] !== 'string') throw new InvalidTaskDescriptionError("'jobModule' must be a string");
  if (typeof o['conf'] !== 'object' || o['conf'] === null) throw new InvalidTaskDescriptionError("'conf' must be an object");
}
