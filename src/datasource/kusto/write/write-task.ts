/**
 * The executor side of a Kusto write (`writeTask`): Arrow batches → connector CSV → gzip → blob,
 * rolled over at `clientBatchingLimit` MB of raw CSV, each sealed blob queued for ingestion while the
 * next one is written.
 *
 * - Transactional: blobs go to the staging table with table status reporting; every blob carries the
 *   attempt's `drop-by:` tag, so the commit moves only the extents of accepted attempts.
 * - Queued: blobs go to the destination with a deterministic per-blob `ingest-by:` tag and
 *   `ingestIfNotExists`, so a re-run of the same task (same partition, same blob index) is Skipped.
 * - KustoStreaming: streaming-task.ts.
 *
 * Queueing is retried on transient errors (exponential backoff); permanent errors fail the task with
 * the service's message. The commit message names each blob by its ingestion source id only (the
 * driver polls the status table itself: no SAS ever travels back).
 */
import { randomUUID } from 'node:crypto';
import type { RecordBatch, Schema } from 'apache-arrow';
import { BlobDescriptor } from 'azure-kusto-ingest';
import type { CommitMessage, TaskContext, WriteJob } from '../../datasource.js';
import { ArrowCsvEncoder } from '../csv/arrow-csv-encoder.js';
import { blobIngestionProperties } from '../ingest/blob-ingestion-properties.js';
import { attemptTagValue, blobName, queuedBlobIngestByTag } from '../naming/staging-names.js';
import { retryTransient } from '../polling/backoff.js';
import { systemClock } from '../polling/clock.js';
import { isTransientKustoError } from '../errors/transient-kusto-error.js';
import { IngestionServiceException } from '../errors/ingestion-errors.js';
import { executorCredential } from '../client/credentials.js';
import { queuedIngestClient } from '../client/ingest-clients.js';
import { ingestionContainers, userContainer, type ContainerChoice } from '../client/ingestion-storage-provider.js';
import { serviceMessage } from '../client/engine-client.js';
import { queueBlobWithTableReporting } from '../client/table-reported-ingest.js';
import type { ResolvedKustoSinkOptions } from '../options/sink-options.js';
import { BlobUpload, type SealedBlob } from './blob-upload.js';
import { executorSinkOptions, readWriteState, type KustoWriteState } from './write-state.js';
import { streamingWriteTask } from './streaming-task.js';

export const INGEST_ATTEMPTS = 4;

/** One blob in a commit message. */
export interface BlobReport {
  readonly sourceId: string;
  readonly rows: number;
  readonly rawBytes: number;
  readonly compressedBytes: number;
}

export interface KustoCommitDetail {
  readonly mode: string;
  /** Transactional: the `drop-by:` value every extent of this attempt carries. */
  readonly attemptTag?: string;
  readonly blobs: readonly BlobReport[];
  readonly streamedRequests?: number;
}

export async function kustoWriteTask(job: WriteJob, _schema: Schema, batches: AsyncIterable<RecordBatch>, ctx: TaskContext): Promise<CommitMessage> {
  const state = readWriteState(job.state);
  const options = executorSinkOptions(state);
  if (options.writeMode === 'KustoStreaming') return streamingWriteTask(state, options, batches, ctx);
  return blobWriteTask(state, options, batches, ctx);
}

async function blobWriteTask(state: KustoWriteState, options: ResolvedKustoSinkOptions, batches: AsyncIterable<RecordBatch>, ctx: TaskContext): Promise<CommitMessage> {
  const credential = await executorCredential(state.executorAuth, process.env, { localEndpoint: options.coordinates.local });
  const client = queuedIngestClient(options.coordinates.ingestUrl, credential, state.executorAuth.kind === 'none' ? 'none' : `${state.executorAuth.kind}:${ctx.executorId}`);
  const transactional = options.writeMode === 'Transactional';
  const attemptTag = transactional ? attemptTagValue(state.requestId, ctx.partition, ctx.attempt) : undefined;
  const encoder = new ArrowCsvEncoder({ timeZone: options.timeZone });
  const limit = options.clientBatchingLimitBytes;

  let containers: ContainerChoice[] | undefined;
  const nextContainer = async (index: number): Promise<ContainerChoice> => {
    if (options.ingestionStorage) return userContainer(options.ingestionStorage);
    containers ??= await ingestionContainers(client, { requestId: state.requestId, attempts: containerAttempts(ctx.conf) });
    return containers[index % containers.length]!;
  };

  const reports: BlobReport[] = [];
  const queued: Promise<void>[] = [];
  let blobIndex = 0;
  let current: { upload: BlobUpload; choice: ContainerChoice } | undefined;

  const queue = (sealed: SealedBlob, index: number, sealedOnRollOver: boolean): Promise<void> => {
    const sourceId = randomUUID();
    const dedupTag = transactional ? undefined : queuedBlobIngestByTag(state.requestId, ctx.partition, index);
    const props = blobIngestionProperties(options, {
      ...(state.stagingTable ? { stagingTable: state.stagingTable } : {}),
      sealedOnRollOver,
      ...(attemptTag ? { attemptTag } : {}),
      ...(dedupTag ? { dedupTag } : {}),
    });
    if (state.queuedWaitForIngestion) {
      // Opt-in: the driver waits for these blobs in the status table (the connector could not report them).
      props.reportLevel = 2 as typeof props.reportLevel;
      props.reportMethod = 1 as typeof props.reportMethod;
    }
    reports.push({ sourceId, rows: sealed.rows, rawBytes: sealed.rawBytes, compressedBytes: sealed.compressedBytes });
    const tableReported = props.reportMethod !== undefined && (props.reportMethod as number) !== 0;
    const send = () =>
      tableReported
        ? queueBlobWithTableReporting(client, { url: sealed.urlWithSas, rawSize: sealed.rawBytes, sourceId }, props)
        : client.ingestFromBlob(new BlobDescriptor(sealed.urlWithSas, sealed.rawBytes, sourceId), props).then(() => undefined);
    return retryTransient(send, {
      attempts: INGEST_ATTEMPTS,
      isTransient: (e) => isTransientKustoError(e) || /Failed to send message to queue|Failed to get/i.test(String((e as Error)?.message)),
      clock: systemClock,
      onRetry: (e, attempt, delayMs) => ctx.log.warn({ attempt, delayMs, err: serviceMessage(e) }, 'queueing a blob for ingestion failed; retrying'),
    }).then(
      // Which attempt queued which tag: what a retried or killed attempt left behind can be traced.
      () => ctx.log.debug({ partition: ctx.partition, attempt: ctx.attempt, blobIndex: index, blob: sealed.name, tag: attemptTag ?? dedupTag, rawBytes: sealed.rawBytes }, 'blob queued for ingestion'),
      (e: unknown) => {
        throw new IngestionServiceException(`Queueing blob ${sealed.name} for ingestion into '${props.table}' failed: ${serviceMessage(e)}`, { requestId: state.requestId, cause: e, context: { partition: ctx.partition, blob: sealed.name } });
      },
    );
  };

  const seal = async (sealedOnRollOver: boolean): Promise<void> => {
    if (!current) return;
    const { upload, choice } = current;
    current = undefined;
    let sealed: SealedBlob;
    try {
      sealed = await upload.seal();
      choice.report(true);
    } catch (e) {
      choice.report(false);
      throw new IngestionServiceException(`Uploading blob ${upload.name} failed: ${serviceMessage(e)}`, { requestId: state.requestId, cause: e, retryable: isTransientKustoError(e), context: { partition: ctx.partition } });
    }
    const p = queue(sealed, blobIndex, sealedOnRollOver);
    p.catch(() => undefined); // awaited below; avoids an unhandled rejection while the next blob is written
    queued.push(p);
    blobIndex++;
  };

  try {
    for await (const batch of batches) {
      ctx.signal.throwIfAborted();
      let row = 0;
      while (row < batch.numRows) {
        if (!current) {
          const choice = await nextContainer(blobIndex);
          const name = blobName({ database: options.coordinates.database, stagingTable: state.blobNamePrefix, partition: ctx.partition, attempt: ctx.attempt, blobIndex });
          current = { upload: new BlobUpload(choice.container, name, state.gzipLevel, ctx.signal), choice };
        }
        const budget = limit - current.upload.rawBytes;
        const r = encoder.encode(batch, row, budget, 'include');
        await current.upload.write(r.chunks, r.nextRow - row);
        row = r.nextRow;
        if (current.upload.rawBytes >= limit) await seal(true);
      }
    }
    await seal(false);
    await Promise.all(queued);
  } catch (e) {
    current?.upload.abort();
    await Promise.allSettled(queued);
    throw e;
  }
  if (reports.length === 0) ctx.log.warn({ partition: ctx.partition }, 'empty partition: no blob written');
  const rows = reports.reduce((n, b) => n + b.rows, 0);
  const bytes = reports.reduce((n, b) => n + b.rawBytes, 0);
  const detail: KustoCommitDetail = { mode: options.writeMode, ...(attemptTag ? { attemptTag } : {}), blobs: reports };
  return { attemptId: ctx.attemptId, partition: ctx.partition, rows, bytes, detail: detail as unknown as Record<string, unknown> };
}

/** Session conf: attempts at getting temporary storage before NoStorageContainersException. @defaultValue 8 */
export const CONTAINER_ATTEMPTS_CONF = 'kjob.kusto.storageAttempts';

function containerAttempts(conf: ReadonlyMap<string, string>): number {
  const n = Number(conf.get(CONTAINER_ATTEMPTS_CONF) ?? 8);
  return Number.isInteger(n) && n >= 1 ? n : 8;
}
