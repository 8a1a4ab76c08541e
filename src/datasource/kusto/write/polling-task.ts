/**
 * `pollingOnDriver=false` (reference §3.6.4, §3.8): the ingestion-status polling of a write runs as a
 * task on an executor (DataSource.runSinkTask, one more single-task stage of the write's job) and the
 * driver only moves extents. The payload is the secret-free job state and the blobs' source ids; the
 * executor resolves its own credential and reads the status table through its own `.get ingestion
 * resources` (no SAS travels).
 */
import type { DriverContext, TaskContext } from '../../datasource.js';
import { executorCredential } from '../client/credentials.js';
import { InvalidParameterException } from '../errors/parameter-errors.js';
import { systemClock } from '../polling/clock.js';
import { observeIngestionStatuses, raiseIngestionVerdict, statusTable, type PollObservation, type PolledBlob } from './status-poller.js';
import type { ResolvedKustoSinkOptions } from '../options/sink-options.js';
import { executorSinkOptions, readWriteState, type KustoWriteState } from './write-state.js';

export interface PollingTaskPayload {
  readonly kind: 'pollIngestion';
  readonly state: KustoWriteState;
  readonly blobs: readonly PolledBlob[];
  /** The table the blobs were ingested into (staging, or the destination for Queued). */
  readonly table: string;
}

/** What the executor saw (raw failed records, a timeout); the driver judges it, so errors are the driver's own. */
export interface PollingTaskResult extends PollObservation {
  readonly executorId: string;
}

/** Executor side. */
export async function runKustoSinkTask(payload: Readonly<Record<string, unknown>>, ctx: TaskContext): Promise<Readonly<Record<string, unknown>>> {
  const p = payload as unknown as PollingTaskPayload;
  if (p.kind !== 'pollIngestion' || !Array.isArray(p.blobs) || typeof p.table !== 'string') {
    throw new InvalidParameterException(`Unknown Kusto sink task ${JSON.stringify(p.kind)}; run the same kjob version on driver and executors`);
  }
  const state = readWriteState(p.state as unknown as Record<string, unknown>);
  const o = executorSinkOptions(state);
  const credential = await executorCredential(state.executorAuth, process.env, { localEndpoint: o.coordinates.local });
  const authKey = state.executorAuth.kind === 'none' ? 'none' : `${state.executorAuth.kind}:${ctx.executorId}`;
  const table = await statusTable(o, credential, authKey);
  ctx.log.info({ requestId: state.requestId, blobs: p.blobs.length }, 'polling ingestion statuses on this executor (pollingOnDriver=false)');
  // Failed ingestions and timeouts are results, not task failures: re-running the task could not change them.
  const seen = await observeIngestionStatuses({ table, blobs: p.blobs, sink: o, stagingTable: p.table, clock: systemClock, log: ctx.log }, false);
  return { executorId: ctx.executorId, ...seen } satisfies PollingTaskResult;
}

/** Driver side: runs the polling task and raises its verdict as the driver's poller would; undefined when the runner offers no sink tasks (then the driver polls). */
export async function pollOnExecutor(state: KustoWriteState, sink: ResolvedKustoSinkOptions, blobs: readonly PolledBlob[], table: string, ctx: DriverContext): Promise<PollingTaskResult | undefined> {
  if (!ctx.runSinkTask) return undefined;
  const payload: PollingTaskPayload = { kind: 'pollIngestion', state, blobs: blobs.map((b) => ({ sourceId: b.sourceId, partition: b.partition })), table };
  const result = (await ctx.runSinkTask(payload as unknown as Record<string, unknown>)) as unknown as PollingTaskResult;
  raiseIngestionVerdict(result, sink, table);
  return result;
}
