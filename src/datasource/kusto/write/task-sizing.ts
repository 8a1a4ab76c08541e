/**
 * The driver's sizing of Kusto write tasks (DataSource.planWriteTasks): consecutive small task inputs
 * are read by one task, so its blobs approach the 100 MB–1 GB of raw data Kusto ingests best
 * (adx-mon's lesson: reference adx-mon-ingestor.md) without starving parallelism:
 *
 *   target raw CSV per task = clamp(estimated total / defaultParallelism, 100 MB, 1 GB)
 *
 * then consecutive inputs are grouped while the group stays at or under the target (a huge input stays
 * alone; an input of unknown size is never grouped). At or above parallelism × 100 MB this gives at
 * least `defaultParallelism` tasks; below it the data is small and fewer, ≥ 100 MB tasks win.
 * Estimates are the splits' `estimatedBytes` times the measured CSV expansion of their format
 * (bench/kusto-write.ts expansion); filters are not accounted for (a filtered write makes smaller blobs).
 * KustoStreaming is not regrouped (its requests are ≤ streamingIngestSizeInMB whatever the task size).
 */
import type { DriverContext, WriteJob } from '../../datasource.js';
import type { LeafSpec, TaskInput } from '../../../plan/task-plan.js';
import { sizeWriteTasks } from '../../../plan/write-task-sizing.js';
import { InvalidParameterException } from '../errors/parameter-errors.js';
import { executorSinkOptions, readWriteState } from './write-state.js';

const MB = 1024 * 1024;
export const TASK_TARGET_MIN_BYTES = 100 * MB;
export const TASK_TARGET_MAX_BYTES = 1024 * MB;

/** Session conf: `auto` (default) sizes Kusto write tasks; `off` keeps one task per planned partition. */
export const TASK_SIZING_CONF = 'kjob.kusto.writeTaskSizing';
/** Session conf: a fixed target of raw CSV MB per write task instead of the clamp (tuning and tests). */
export const TASK_TARGET_MB_CONF = 'kjob.kusto.writeTaskTargetMB';

/**
 * Connector CSV bytes per estimated source byte, measured on the flights data
 * (`npx tsx bench/kusto-write.ts expansion`): compressed Parquet 8.5, Arrow IPC 0.82, CSV 1.16.
 */
export function csvExpansionFactor(leaf: LeafSpec): number {
  if (leaf.kind === 'LocalData') return 0.82;
  if (leaf.kind === 'Range') return 1;
  if (leaf.format === 'parquet') return 8.5;
  if (leaf.format === 'csv') return 1.16;
  return 1;
}

export function planKustoWriteTasks(inputs: readonly TaskInput[], job: WriteJob, ctx: DriverContext): readonly TaskInput[] {
  const sizing = (ctx.conf.get(TASK_SIZING_CONF) ?? 'auto').toLowerCase();
  if (sizing !== 'auto' && sizing !== 'off') throw new InvalidParameterException(`Session config ${TASK_SIZING_CONF} must be 'auto' or 'off', got '${sizing}'`, { option: TASK_SIZING_CONF });
  const state = readWriteState(job.state);
  if (sizing === 'off' || executorSinkOptions(state).writeMode === 'KustoStreaming') return inputs;
  const fixed = ctx.conf.get(TASK_TARGET_MB_CONF);
  let min = TASK_TARGET_MIN_BYTES;
  let max = TASK_TARGET_MAX_BYTES;
  if (fixed !== undefined) {
    const mb = Number(fixed);
    if (!(mb > 0)) throw new InvalidParameterException(`Session config ${TASK_TARGET_MB_CONF} must be a positive number of MB, got '${fixed}'`, { option: TASK_TARGET_MB_CONF });
    min = max = mb * MB;
  }
  const sized = sizeWriteTasks(inputs, { factor: csvExpansionFactor, parallelism: ctx.defaultParallelism, minBytes: min, maxBytes: max });
  if (sized.inputs.length !== inputs.length) {
    ctx.log.info({ requestId: state.requestId, partitions: inputs.length, tasks: sized.inputs.length, estimatedRawMB: Math.round(sized.estimatedBytes / MB), targetRawMB: Math.round(sized.targetBytes / MB) }, 'Kusto write: small partitions grouped into fewer write tasks for bigger blobs');
  }
  return sized.inputs;
}
