/**
 * The driver's end of a Kusto write: `commitWrite` with the commit messages of the accepted attempts,
 * `abortWrite` after a failed stage.
 *
 * Transactional (all-or-nothing): poll every blob's status, drop the staging extents of attempts that
 * were not accepted, move the accepted ones, drop the staging table (also on failure — except a
 * user-supplied tempTableName, which is kept on failure for inspection). Queued and KustoStreaming:
 * nothing to finalize. The summary reports rows, raw and compressed bytes, blobs and their size
 * distribution, extents moved, time per phase and the request id.
 */
import { withRequestId } from './request-id.js';
import { asyncWriteOutcome } from '../../../driver/async-writes.js';
import { releaseQueuedIngestClient } from '../client/ingest-clients.js';
import type { CommitMessage, DriverContext, WriteJob, WriteSummary } from '../../datasource.js';
import { attemptExtentTag } from '../naming/staging-names.js';
import { existingIngestByTagsCommand } from '../kql/extent-commands.js';
import { systemClock, type Clock } from '../polling/clock.js';
import { executorSinkOptions, readWriteState, type KustoWriteState } from './write-state.js';
import type { ResolvedKustoSinkOptions } from '../options/sink-options.js';
import { driverClients, driverOptionsOf, forgetDriverOptions } from './driver-clients.js';
import { moveAcceptedExtents, type MoveResult } from './move-extents.js';
import { pollIngestionStatuses, statusTable } from './status-poller.js';
import { pollOnExecutor } from './polling-task.js';
import { dropStagingTable, releaseAttemptTags, rollBackMovedExtents } from './staging-cleanup.js';
import type { KustoCommitDetail } from './write-task.js';

/** Blobs are most efficient for Kusto between 100 MB and 1 GB of raw data (adx-mon's lesson). */
export const SMALL_BLOB_BYTES = 100 * 1024 * 1024;

export interface BlobSizeStats {
  readonly count: number;
  readonly minRawBytes: number;
  readonly medianRawBytes: number;
  readonly maxRawBytes: number;
  readonly smallBlobs: number;
}

export function blobSizeStats(sizes: readonly number[]): BlobSizeStats {
  const s = [...sizes].sort((a, b) => a - b);
  return { count: s.length, minRawBytes: s[0] ?? 0, medianRawBytes: s[Math.floor(s.length / 2)] ?? 0, maxRawBytes: s[s.length - 1] ?? 0, smallBlobs: s.filter((n) => n < SMALL_BLOB_BYTES).length };
}

function detailOf(m: CommitMessage): KustoCommitDetail {
  return (m.detail ?? { mode: 'unknown', blobs: [] }) as unknown as KustoCommitDetail;
}

/**
 * The outcome of a `writeEnableAsync` write, by its request id: resolves with the summary once the
 * write is finalized (tasks done; Transactional: polled and moved), rejects with its error. Undefined
 * when no async write with that id ran in this process. (The same promise as `save()`'s `outcome`.)
 */
export function kustoAsyncWrite(requestId: string): Promise<WriteSummary> | undefined {
  return asyncWriteOutcome(requestId);
}

export async function commitKustoWrite(job: WriteJob, messages: readonly CommitMessage[], ctx: DriverContext, clock: Clock = systemClock): Promise<WriteSummary> {
  const state = readWriteState(job.state);
  const o = driverOptionsOf(state.requestId, () => executorSinkOptions(state));
  // Forgotten on success only: after a failed commit the runner calls abortWrite, which needs them.
  // (A writeEnableAsync write gets here in the background: the runner runs its stage and commit after save() returned.)
  const summary = await finalizeKustoWrite(state, o, messages, ctx, clock).catch((e: unknown) => {
    throw withRequestId(e, state.requestId);
  });
  forgetDriverOptions(state.requestId);
  return summary;
}

async function finalizeKustoWrite(state: KustoWriteState, o: ResolvedKustoSinkOptions, messages: readonly CommitMessage[], ctx: DriverContext, clock: Clock): Promise<WriteSummary> {
  const started = clock.now();
  const phases: Record<string, number> = {};
  if (state.prepareMs !== undefined) phases['prepareMs'] = state.prepareMs;
  if (state.preparedAt !== undefined) phases['tasksMs'] = Math.max(0, Date.now() - state.preparedAt);
  const blobs = messages.flatMap((m) => detailOf(m).blobs.map((b) => ({ ...b, partition: m.partition })));
  const rows = messages.reduce((n, m) => n + m.rows, 0);
  const bytes = messages.reduce((n, m) => n + m.bytes, 0);
  const compressed = blobs.reduce((n, b) => n + b.compressedBytes, 0);
  const sizes = blobSizeStats(blobs.map((b) => b.rawBytes));
  if (sizes.smallBlobs > sizes.count / 2 && bytes >= 2 * SMALL_BLOB_BYTES) {
    ctx.log.warn({ requestId: state.requestId, ...sizes }, 'most blobs are under 100 MB of raw CSV: Kusto ingests 100 MB–1 GB blobs most efficiently; use fewer, larger partitions (coalesce/repartition) or raise clientBatchingLimit');
  }
  let move: MoveResult | undefined;
  let skippedByTags: string[] | undefined;
  let polledBy: string | undefined;
  let attemptTagsReleased: boolean | undefined;
  // pollingOnDriver=false given: an executor polls (a task of this job); the driver only moves extents.
  const poll = async (table: string): Promise<void> => {
    const remote = o.pollingOnExecutor ? await pollOnExecutor(state, o, blobs, table, ctx) : undefined;
    if (remote) {
      polledBy = remote.executorId;
      return;
    }
    const { credential, authKey } = await driverClients(o);
    await pollIngestionStatuses({ table: await statusTable(o, credential, authKey), blobs, sink: o, stagingTable: table, clock, log: ctx.log });
    polledBy = 'driver';
  };
  if (o.writeMode === 'Queued' && state.queuedWaitForIngestion && blobs.length > 0) {
    const t = clock.now();
    await poll(o.table);
    phases['pollIngestionMs'] = clock.now() - t;
  }
  if (o.writeMode === 'Transactional' && state.stagingTable) {
    const { engine } = await driverClients(o);
    let ok = false;
    try {
      if (blobs.length === 0) {
        ctx.log.info({ requestId: state.requestId }, `write to Kusto table '${o.table}' finished with no data written`);
      } else {
        let t = clock.now();
        await poll(state.stagingTable);
        phases['pollIngestionMs'] = clock.now() - t;
        t = clock.now();
        // Every accepted attempt, also those that wrote no blob: its tag selects nothing, harmlessly.
        const acceptedTags = messages.map((m) => extentTagOfMessage(m, state.requestId));
        // The user's ingestIfNotExists is checked again before the move (reference §3.9): another write
        // may have landed one of the tags while the tasks ran. Then nothing moves; the staging is dropped.
        const ifNotExists = o.ingestionProperties?.ingestIfNotExists ?? [];
        const found = ifNotExists.length === 0 ? [] : await engine.mgmt(o.coordinates.database, existingIngestByTagsCommand(o.table, ifNotExists), { activity: 'KJOB.commitWrite.ingestIfNotExists' });
        if (found.length > 0) {
          skippedByTags = found.map((r) => String(r['Tag']));
          ctx.log.info({ requestId: state.requestId, tags: skippedByTags }, `Ingestion skipped: Provided ingest-by tags are present in the destination table: '${o.table}'`);
        } else {
          try {
            move = await moveAcceptedExtents({ engine, sink: o, stagingTable: state.stagingTable, acceptedTags, startedAt: new Date(state.startedAt), clock, log: ctx.log });
          } catch (e) {
            // All-or-nothing: extents already moved carry this write's attempt tags; take them back out.
            await rollBackMovedExtents(engine, o, acceptedTags, ctx.log);
            throw e;
          }
          if (move.extentsMoved > 0) attemptTagsReleased = await releaseAttemptTags(engine, o, acceptedTags, clock, ctx.log);
        }
        phases['moveExtentsMs'] = clock.now() - t;
      }
      ok = true;
    } finally {
      if (ok || o.tempTableName === undefined) await dropStagingTable(engine, o, state.stagingTable, ctx.log);
      else ctx.log.warn({ requestId: state.requestId, table: o.tempTableName }, 'the write failed; the user-supplied temp table is kept for inspection');
    }
  }
  // The driver's status-table client of a write with credentials is per write (driver-clients.ts).
  if (o.auth.kind !== 'none') releaseQueuedIngestClient(o.coordinates.ingestUrl, `driver:${o.requestId}`);
  phases['commitMs'] = clock.now() - started;
  const detail = {
    requestId: state.requestId,
    writeMode: o.writeMode,
    table: o.table,
    compressedBytes: compressed,
    blobs: sizes,
    extentsMoved: move?.extentsMoved ?? 0,
    extentsDroppedFromOtherAttempts: move?.extentsDropped ?? 0,
    moveRetries: move?.retries ?? 0,
    streamedRequests: messages.reduce((n, m) => n + (detailOf(m).streamedRequests ?? 0), 0),
    phases,
    ...(skippedByTags ? { skippedByIngestIfNotExists: skippedByTags } : {}),
    ...(polledBy ? { ingestionPolledBy: polledBy } : {}),
    ...(attemptTagsReleased !== undefined ? { attemptTagsReleased } : {}),
  };
  ctx.log.info(detail, 'Kusto write committed');
  return { rows, bytes, detail };
}

/** The full extent tag of a commit message's attempt (its own report, else rebuilt from the attempt id). */
function extentTagOfMessage(m: CommitMessage, requestId: string): string {
  const tag = detailOf(m).attemptTag;
  return tag !== undefined ? `drop-by:${tag}` : attemptExtentTag(requestId, m.partition, Number(m.attemptId.split('.').pop()));
}

export async function abortKustoWrite(job: WriteJob, _messages: readonly CommitMessage[], ctx: DriverContext): Promise<void> {
  if (job.skip) return;
  const state = readWriteState(job.state);
  const o = driverOptionsOf(state.requestId, () => executorSinkOptions(state));
  forgetDriverOptions(state.requestId);
  if (o.writeMode !== 'Transactional' || !state.stagingTable) return;
  if (o.tempTableName !== undefined) {
    ctx.log.warn({ requestId: state.requestId, table: o.tempTableName }, 'the write failed; the user-supplied temp table is kept for inspection');
    return;
  }
  const { engine } = await driverClients(o);
  await dropStagingTable(engine, o, state.stagingTable, ctx.log);
}
