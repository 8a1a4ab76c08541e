/**
 * The Transactional commit's move (reference §3.6 step 4), exactly-once: first the extents of every
 * attempt the scheduler did not accept are dropped from the staging table, then the extents of the
 * accepted attempts are moved with `.move async extents`, each operation polled with `.show
 * operations` (caps 4 s / 30 s); failures retry with the batch halved and the delay doubled up to
 * 3 minutes (MoveExtentsPolicy), until RetriesExhaustedException. With a materialized view on the
 * destination the move sets a new ingestion time.
 */
import type { Log } from '../../datasource.js';
import { FailedOperationException, TimeoutAwaitingPendingOperationException } from '../errors/operation-errors.js';
import { countExtentsCommand, countTaggedExtentsCommand, dropExtentsNotTaggedCommand, moveTaggedExtentsCommand } from '../kql/extent-commands.js';
import { showOperationDetailsCommand, showOperationsCommand } from '../kql/operation-commands.js';
import { countClusterNodesCommand, countMaterializedViewsOnTableCommand, disableMergePolicyCommand } from '../kql/table-commands.js';
import { operationState } from '../polling/ingestion-status.js';
import { initialMoveBatchSize, MoveExtentsPolicy } from '../polling/move-extents-policy.js';
import { ASYNC_OPERATION_CADENCE, pollUntil } from '../polling/poll-cadence.js';
import type { Clock } from '../polling/clock.js';
import type { KustoEngineClient } from '../client/engine-client.js';
import type { ResolvedKustoSinkOptions } from '../options/sink-options.js';

export interface MoveResult {
  readonly extentsMoved: number;
  readonly extentsDropped: number;
  readonly moveCommands: number;
  readonly retries: number;
}

function countOf(rows: Record<string, unknown>[]): number {
  const v = rows[0] ? Object.values(rows[0])[0] : 0;
  return Number(v ?? 0);
}

export async function awaitOperation(engine: KustoEngineClient, database: string, operationId: string, o: { timeoutMs: number; clock: Clock; requestId: string }): Promise<void> {
  const outcome = await pollUntil<ReturnType<typeof operationState>>({
    cadence: ASYNC_OPERATION_CADENCE,
    timeoutMs: o.timeoutMs,
    clock: o.clock,
    poll: async () => {
      const rows = await engine.mgmt(database, showOperationsCommand(operationId), { activity: 'KJOB.commit.showOperations' });
      return operationState(rows[rows.length - 1] as { State?: unknown; Status?: unknown } | undefined);
    },
    isDone: (s) => s !== 'pending',
  });
  if (!outcome.done) throw new TimeoutAwaitingPendingOperationException(operationId, { requestId: o.requestId });
  const s = outcome.value;
  if (typeof s === 'object') throw new FailedOperationException(operationId, s.failed.state, s.failed.status, { requestId: o.requestId });
}

export async function moveAcceptedExtents(options: {
  readonly engine: KustoEngineClient;
  readonly sink: ResolvedKustoSinkOptions;
  readonly stagingTable: string;
  /** Full extent tags (`drop-by:…`) of the accepted attempts. */
  readonly acceptedTags: readonly string[];
  readonly startedAt: Date;
  readonly clock: Clock;
  readonly log: Log;
}): Promise<MoveResult> {
  const { engine, sink, stagingTable, acceptedTags, clock, log } = options;
  const db = sink.coordinates.database;
  const mgmt = (command: string, activity: string) => engine.mgmt(db, command, { activity: `KJOB.commit.${activity}` });
  await mgmt(disableMergePolicyCommand(stagingTable), 'mergePolicy');
  const before = countOf(await mgmt(countExtentsCommand(stagingTable), 'countExtents'));
  await mgmt(dropExtentsNotTaggedCommand(stagingTable, acceptedTags), 'dropOtherAttempts');
  const total = countOf(await mgmt(countTaggedExtentsCommand(stagingTable, acceptedTags), 'countExtents'));
  const dropped = Math.max(0, before - total);
  if (dropped > 0) log.info({ requestId: sink.requestId, dropped }, 'dropped staging extents of attempts that were not accepted');
  if (total === 0) return { extentsMoved: 0, extentsDropped: dropped, moveCommands: 0, retries: 0 };

  const perNode = sink.debug.maximalExtentsCountForSplitMergePerNode;
  const nodes = total > perNode ? countOf(await mgmt(countClusterNodesCommand(), 'countNodes')) : 1;
  const mv = countOf(await mgmt(countMaterializedViewsOnTableCommand(sink.table), 'materializedViews')) > 0;
  const policy = new MoveExtentsPolicy({ batchSize: initialMoveBatchSize(total, nodes, perNode), maxRetriesOnMoveExtents: sink.debug.maxRetriesOnMoveExtents });
  let commands = 0;
  let retries = 0;
  for (;;) {
    const left = countOf(await mgmt(countTaggedExtentsCommand(stagingTable, acceptedTags), 'countExtents'));
    if (left === 0) break;
    try {
      commands++;
      const rows = await mgmt(
        moveTaggedExtentsCommand({
          table: sink.table,
          stagingTable,
          tags: acceptedTags,
          createdOnFrom: options.startedAt,
          createdOnTo: new Date(clock.now() + 60_000),
          setNewIngestionTime: mv,
          ...(policy.batchSize !== undefined ? { maxExtents: policy.batchSize } : {}),
        }),
        'moveExtents',
      );
      const operationId = String(Object.values(rows[0] ?? {})[0] ?? '');
      await awaitOperation(engine, db, operationId, { timeoutMs: sink.timeoutLimitSeconds < 0 ? -1 : sink.timeoutLimitMs, clock, requestId: sink.requestId });
      const details = await mgmt(showOperationDetailsCommand(operationId), 'moveDetails');
      const failedRow = details.find((r) => Object.values(r)[1] === 'Failed' || String(Object.values(r)[2] ?? '').trim() !== '');
      if (failedRow) throw new FailedOperationException(operationId, 'Failed', String(Object.values(failedRow)[2] ?? ''), { requestId: sink.requestId });
      if (details.length === 0) {
        const still = countOf(await mgmt(countTaggedExtentsCommand(stagingTable, acceptedTags), 'countExtents'));
        if (still >= left) throw new FailedOperationException(operationId, 'Completed', `Some extents were not processed and we got an empty move result '${left}'`, { requestId: sink.requestId });
        policy.onSuccess(left - still);
      } else policy.onSuccess(details.length);
    } catch (e) {
      if (e instanceof TimeoutAwaitingPendingOperationException) throw e;
      retries++;
      const { sleepMs } = policy.onFailure(e);
      log.warn({ requestId: sink.requestId, retry: policy.retries, sleepMs, err: (e as Error).message }, 'moving extents failed; retrying');
      await clock.sleep(sleepMs);
    }
  }
  return { extentsMoved: policy.movedExtents, extentsDropped: dropped, moveCommands: commands, retries };
}
