/**
 * KustoStreaming on an executor (reference §3.8): CSV chunks of at most `streamingIngestSizeInMB`
 * (default 4 MiB) cut on row boundaries (a single row larger than the limit is sent alone), each sent
 * through ManagedStreamingIngestClient, which tries streaming 3 times and then falls back to queued
 * ingestion. Above 100 MiB per task a warning recommends Queued. Not exactly-once: a retried task
 * streams its rows again (streaming ingestion has no tags).
 */
import type { RecordBatch } from 'apache-arrow';
import { StreamDescriptor } from 'azure-kusto-ingest';
import type { CommitMessage, TaskContext } from '../../datasource.js';
import { ArrowCsvEncoder } from '../csv/arrow-csv-encoder.js';
import { blobIngestionProperties } from '../ingest/blob-ingestion-properties.js';
import { executorCredential } from '../client/credentials.js';
import { managedStreamingIngestClient } from '../client/ingest-clients.js';
import { serviceMessage } from '../client/engine-client.js';
import { IngestionServiceException } from '../errors/ingestion-errors.js';
import type { ResolvedKustoSinkOptions } from '../options/sink-options.js';
import type { KustoWriteState } from './write-state.js';

/** The connector's WarnStreamingBytes: above this much CSV per task, a warning recommends Queued. */
export const WARN_STREAMING_BYTES = 100 * 1024 * 1024;
/** Session conf: the warning threshold in bytes instead of WARN_STREAMING_BYTES (tests and tuning). */
export const STREAMING_WARN_BYTES_CONF = 'kjob.kusto.streamingWarnBytes';

export function streamingWarnBytes(conf: ReadonlyMap<string, string>): number {
  const n = Number(conf.get(STREAMING_WARN_BYTES_CONF) ?? WARN_STREAMING_BYTES);
  return Number.isFinite(n) && n >= 0 ? n : WARN_STREAMING_BYTES;
}

export async function streamingWriteTask(state: KustoWriteState, options: ResolvedKustoSinkOptions, batches: AsyncIterable<RecordBatch>, ctx: TaskContext): Promise<CommitMessage> {
  const credential = await executorCredential(state.executorAuth, process.env, { localEndpoint: options.coordinates.local });
  const client = managedStreamingIngestClient(options.coordinates.engineUrl, options.coordinates.ingestUrl, credential, state.executorAuth.kind === 'none' ? 'none' : `${state.executorAuth.kind}:${ctx.executorId}`);
  const props = blobIngestionProperties(options, { sealedOnRollOver: false });
  const encoder = new ArrowCsvEncoder({ timeZone: options.timeZone });
  const limit = options.streamingIngestSizeBytes;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let pendingRows = 0;
  let rows = 0;
  let bytes = 0;
  let requests = 0;

  const send = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const body = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    try {
      // A Buffer (not a Readable) is always streamed first, whatever its size (wire-protocol §4.3).
      await client.ingestFromStream(new StreamDescriptor(body as unknown as ArrayBuffer), props);
    } catch (e) {
      throw new IngestionServiceException(`Streaming ingestion into '${options.table}' failed: ${serviceMessage(e)}`, { requestId: state.requestId, cause: e, context: { partition: ctx.partition } });
    }
    requests++;
    rows += pendingRows;
    bytes += body.length;
    pendingRows = 0;
  };

  for await (const batch of batches) {
    ctx.signal.throwIfAborted();
    let row = 0;
    while (row < batch.numRows) {
      const r = encoder.encode(batch, row, limit - pendingBytes, 'exclude');
      // The encoder always takes the call's first row; if that row overflows what is pending, the
      // pending rows go first and the row starts the next chunk (alone if it exceeds the limit itself).
      if (pendingBytes > 0 && pendingBytes + r.bytes > limit) await send();
      pending.push(...r.chunks);
      pendingBytes += r.bytes;
      pendingRows += r.nextRow - row;
      row = r.nextRow;
      if (pendingBytes >= limit || row < batch.numRows) await send();
    }
  }
  await send();
  if (bytes > streamingWarnBytes(ctx.conf)) ctx.log.warn({ requestId: state.requestId, partition: ctx.partition, bytes }, `Total of ${bytes} bytes were ingested in the batch. Please consider 'Queued' writeMode for ingestion.`);
  return { attemptId: ctx.attemptId, partition: ctx.partition, rows, bytes, detail: { mode: 'KustoStreaming', blobs: [], streamedRequests: requests } };
}
