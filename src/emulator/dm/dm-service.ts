import { randomUUID } from 'node:crypto';
import { BlobClient } from '@azure/storage-blob';
import type { QueueServiceClient, DequeuedMessageItem } from '@azure/storage-queue';
import { KustoServiceError } from '../contracts.js';
import type { EmulatorEngine, IngestItem, IngestionBatchingPolicy } from '../contracts.js';
import type { FaultRegistry } from '../faults/fault-registry.js';
import { childLogger } from '../../util/logger.js';
import { redact } from '../../util/redact.js';
import { BatchingAggregator, type SealedBatch } from './batching-aggregator.js';
import { decompressBlob } from './decompress.js';
import type { IngestionFailureLog } from './ingestion-failure-log.js';
import type { DmResourceNames } from './ingestion-resources.js';
import { IngestionMessageError, parseIngestionMessage, type IngestionMessage } from './queue-message.js';
import type { BlobOutcome } from './status-messages.js';
import { withoutSas } from './status-messages.js';
import type { StatusReporter } from './status-reporter.js';

/**
 * The emulated data-management service: drains the ready-for-aggregation queues, aggregates blobs
 * per table under the batching policy, ingests each sealed batch as one extent per distinct
 * (tags, creationTime), and reports every outcome.
 *
 * Nothing is lost: a queue message is deleted only after its outcome was recorded and reported; a
 * message that cannot even be parsed is still recorded in `.show ingestion failures` (and reported
 * when its Id could be read). On stop, messages still waiting for their batch are made visible again.
 */
export interface DmServiceOptions {
  readonly engine: EmulatorEngine;
  readonly queues: QueueServiceClient;
  readonly names: DmResourceNames;
  readonly reporter: StatusReporter;
  readonly faults: FaultRegistry;
  readonly failures: IngestionFailureLog;
  /** Queue polling period. Default 200 ms. */
  readonly pollIntervalMs?: number;
  /** Used when the engine cannot give a policy (e.g. the table does not exist yet). */
  readonly fallbackPolicy?: IngestionBatchingPolicy;
  readonly now?: () => number;
}

interface Queued {
  readonly message: IngestionMessage;
  readonly queue: string;
  readonly messageId: string;
  popReceipt: string;
}

/** Long enough for any batching window: a message stays hidden while its batch waits. */
const VISIBILITY_SECONDS = 2 * 3600;
const REPORT_ATTEMPTS = 3;

export class DmService {
  private readonly aggregator = new BatchingAggregator<Queued>();
  private readonly log = childLogger({ component: 'emulator-dm' });
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private tickInFlight: Promise<void> | undefined;
  private readonly pollMs: number;
  /** Count of messages processed, for tests and diagnostics. */
  processed = 0;

  constructor(private readonly o: DmServiceOptions) {
    this.now = o.now ?? Date.now;
    this.pollMs = o.pollIntervalMs ?? 200;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling, finishes the batch in flight, and hands waiting messages back to their queue. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.tickInFlight;
    for (const batch of this.aggregator.drain()) {
      for (const item of batch.items) {
        await this.o.queues
          .getQueueClient(item.payload.queue)
          .updateMessage(item.payload.messageId, item.payload.popReceipt, undefined, 0)
          .catch(() => undefined);
      }
    }
  }

  /** Blobs waiting for their batch, per table. */
  pending(): ReturnType<BatchingAggregator<Queued>['pending']> {
    return this.aggregator.pending();
  }

  /** One polling round; exposed so tests can drive the loop deterministically. */
  async tick(): Promise<void> {
    for (const queue of this.o.names.readyQueues) {
      const client = this.o.queues.getQueueClient(queue);
      const got = await client.receiveMessages({ numberOfMessages: 32, visibilityTimeout: VISIBILITY_SECONDS });
      for (const m of got.receivedMessageItems) await this.accept(queue, m);
    }
    for (const batch of this.aggregator.due(this.now())) await this.ingest(batch);
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.tickInFlight = this.tick()
        .catch((e: unknown) => this.log.warn({ err: redact(String((e as Error)?.message ?? e)) }, 'DM polling round failed; retrying'))
        .finally(() => {
          this.tickInFlight = undefined;
          this.schedule(this.pollMs);
        });
    }, delay);
    this.timer.unref?.();
  }

  private async accept(queue: string, m: DequeuedMessageItem): Promise<void> {
    let message: IngestionMessage;
    try {
      message = parseIngestionMessage(m.messageText);
    } catch (e) {
      await this.rejectMessage(queue, m, e);
      return;
    }
    const size = message.rawDataSize ?? (await blobLength(message.blobPath));
    const policy = this.policyFor(message.database, message.table);
    const item = { queue, messageId: m.messageId, popReceipt: m.popReceipt, message };
    const sealed = this.aggregator.add({ database: message.database, table: message.table, sizeBytes: size, flushImmediately: message.flushImmediately, payload: item }, policy, this.now());
    for (const b of sealed) await this.ingest(b);
  }

  private policyFor(database: string, table: string): IngestionBatchingPolicy {
    try {
      return this.o.engine.effectiveBatchingPolicy(database, table);
    } catch {
      return this.o.fallbackPolicy ?? { maximumBatchingTimeSpanMs: 10_000, maximumNumberOfItems: 500, maximumRawDataSizeMB: 1024 };
    }
  }

  /** A message that could not be parsed: recorded, reported if possible, then removed (it would never parse). */
  private async rejectMessage(queue: string, m: DequeuedMessageItem, e: unknown): Promise<void> {
    const err = e instanceof IngestionMessageError ? e : new IngestionMessageError(String((e as Error)?.message ?? e), 'BadRequest_InvalidMessage', {});
    const p = err.partial;
    const outcome: BlobOutcome = {
      operationId: randomUUID(),
      database: p.database ?? '',
      table: p.table ?? '',
      sourceId: p.id ?? m.messageId,
      sourcePath: p.blobPath ? withoutSas(p.blobPath) : `queue://${queue}/${m.messageId}`,
      rootActivityId: randomUUID(),
      status: 'Failed',
      at: new Date(this.now()),
      errorCode: err.errorCode,
      details: redact(err.message),
      failureStatus: 'Permanent',
    };
    this.record(outcome, '');
    await this.reportWithRetry(outcome, p.reportLevel ?? 0, p.reportMethod ?? 0, p.id ? p.statusTable : undefined);
    await this.o.queues.getQueueClient(queue).deleteMessage(m.messageId, m.popReceipt).catch(() => undefined);
    this.processed++;
  }

  private async ingest(batch: SealedBatch<Queued>): Promise<void> {
    const delay = this.o.faults.dmDelayMs;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const operationId = randomUUID();
    const outcomes = new Map<Queued, Omit<BlobOutcome, 'operationId' | 'database' | 'table' | 'sourceId' | 'sourcePath' | 'rootActivityId' | 'at'>>();
    const ready: { q: Queued; item: IngestItem; partial: boolean }[] = [];

    // ingest-by tags claimed by earlier blobs of this same batch count as present too.
    const claimed = new Set<string>();
    for (const { payload: q } of batch.items) {
      const m = q.message;
      const skipped = m.ingestIfNotExists.find((tag) => claimed.has(tag) || this.o.engine.hasIngestByTag(m.database, m.table, tag));
      if (skipped !== undefined) {
        outcomes.set(q, { status: 'Skipped', errorCode: 'Skipped_IngestByTagAlreadyExists', details: `Ingestion skipped: the tag 'ingest-by:${skipped}' is already present on an extent of table '${m.table}'.`, failureStatus: 'Permanent' });
        continue;
      }
      for (const t of m.tags) if (t.startsWith('ingest-by:')) claimed.add(t.slice('ingest-by:'.length));
      const fault = this.o.faults.takeIngestionFault(m.database, m.table);
      if (fault?.mode === 'fail') {
        outcomes.set(q, { status: 'Failed', errorCode: fault.transient ? 'General_TransientIngestionFailure' : 'General_InjectedIngestionFailure', details: `Ingestion failed (emulator fault injection #${fault.id}).`, failureStatus: fault.transient ? 'Transient' : 'Permanent' });
        continue;
      }
      try {
        const downloaded = await new BlobClient(m.blobPath).downloadToBuffer();
        const { data } = decompressBlob(downloaded, withoutSas(m.blobPath));
        ready.push({
          q,
          partial: fault?.mode === 'partial',
          item: {
            data,
            format: m.format,
            ...(m.mapping ? { mapping: m.mapping } : {}),
            ...(m.mappingReference ? { mappingReference: m.mappingReference } : {}),
            ignoreFirstRecord: m.ignoreFirstRecord,
            ...(m.validationImplications !== undefined ? { validationImplications: m.validationImplications } : {}),
            sourceId: m.id,
            sourcePath: withoutSas(m.blobPath),
          },
        });
      } catch (e) {
        const status = (e as { statusCode?: number }).statusCode;
        const notFound = status === 404;
        outcomes.set(q, {
          status: 'Failed',
          errorCode: notFound ? 'Download_SourceNotFound' : (e as Error).name === 'BlobFormatError' ? 'BadRequest_InvalidBlob' : 'Download_UnknownError',
          details: redact(`Could not read blob ${withoutSas(m.blobPath)}: ${(e as Error).message}`),
          failureStatus: notFound || (e as Error).name === 'BlobFormatError' ? 'Permanent' : 'Transient',
        });
      }
    }

    // One extent per distinct (tags, creationTime): blobs with different extent properties are never merged.
    const groups = new Map<string, typeof ready>();
    for (const r of ready) {
      const key = JSON.stringify([[...r.q.message.tags].sort(), r.q.message.creationTime?.toISOString() ?? null]);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(r);
    }
    for (const group of groups.values()) {
      const first = group[0]!.q.message;
      try {
        const result = await this.o.engine.ingestBatch(first.database, first.table, group.map((g) => g.item), {
          tags: first.tags,
          ...(first.creationTime ? { creationTime: first.creationTime } : {}),
        });
        group.forEach((g, i) => {
          const o = result.outcomes[i];
          if (!o) {
            outcomes.set(g.q, { status: 'Failed', errorCode: 'Internal_MissingOutcome', details: 'The engine returned no outcome for this blob.', failureStatus: 'Transient' });
            return;
          }
          if (g.partial && o.status === 'Succeeded') {
            outcomes.set(g.q, { status: 'PartiallySucceeded', errorCode: 'General_PartialIngestion', details: 'Some records were dropped (emulator fault injection).', failureStatus: 'Permanent', extentId: result.extentId });
            return;
          }
          // As the service does: a blob none of whose records could be ingested failed, it did not partially succeed.
          const status = o.status === 'PartiallySucceeded' && o.rows === 0 ? 'Failed' : o.status;
          outcomes.set(g.q, {
            status,
            ...(o.errorCode ? { errorCode: o.errorCode } : {}),
            ...(o.details ? { details: o.details } : {}),
            ...(status !== 'Succeeded' ? { failureStatus: 'Permanent' as const } : {}),
            extentId: result.extentId,
          });
        });
      } catch (e) {
        const ks = e instanceof KustoServiceError ? e : undefined;
        for (const g of group) {
          outcomes.set(g.q, {
            status: 'Failed',
            errorCode: ks?.code ?? 'General_IngestionFailed',
            details: redact(String((e as Error)?.message ?? e)),
            failureStatus: ks && !ks.permanent ? 'Transient' : 'Permanent',
          });
        }
      }
    }

    for (const { payload: q } of batch.items) {
      const m = q.message;
      const o = outcomes.get(q)!;
      const outcome: BlobOutcome = {
        ...o,
        operationId,
        database: m.database,
        table: m.table,
        sourceId: m.id,
        sourcePath: withoutSas(m.blobPath),
        rootActivityId: randomUUID(),
        at: new Date(this.now()),
      };
      this.record(outcome, ingestionPropertiesText(m));
      await this.reportWithRetry(outcome, m.reportLevel, m.reportMethod, m.statusTable);
      await this.o.queues.getQueueClient(q.queue).deleteMessage(q.messageId, q.popReceipt).catch((e: unknown) => {
        this.log.warn({ err: redact(String((e as Error)?.message ?? e)), sourceId: m.id }, 'could not delete a processed ingestion message');
      });
      this.processed++;
    }
  }

  private record(o: BlobOutcome, properties: string): void {
    if (o.status !== 'Failed' && o.status !== 'PartiallySucceeded') return;
    this.o.failures.record({
      operationId: o.operationId,
      database: o.database,
      table: o.table,
      failedOn: o.at,
      ingestionSourcePath: o.sourcePath,
      details: o.details ?? '',
      failureKind: o.failureStatus ?? 'Permanent',
      rootActivityId: o.rootActivityId,
      errorCode: o.errorCode ?? 'General_IngestionFailed',
      shouldRetry: o.failureStatus === 'Transient',
      ingestionSourceId: o.sourceId,
      ingestionProperties: properties,
      status: o.status,
    });
  }

  private async reportWithRetry(o: BlobOutcome, level: number, method: number, row: IngestionMessage['statusTable']): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.o.reporter.report(o, level, method, row);
        return;
      } catch (e) {
        if (attempt >= REPORT_ATTEMPTS) {
          // The outcome is still in `.show ingestion failures` when it was a failure; log the rest.
          this.log.error({ err: redact(String((e as Error)?.message ?? e)), sourceId: o.sourceId, status: o.status }, 'could not report an ingestion outcome');
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }
}

async function blobLength(url: string): Promise<number> {
  try {
    return (await new BlobClient(url).getProperties()).contentLength ?? 0;
  } catch {
    // The download will fail later and report the real error.
    return 0;
  }
}

function ingestionPropertiesText(m: IngestionMessage): string {
  return JSON.stringify({
    format: m.format,
    ...(m.mappingReference ? { ingestionMappingReference: m.mappingReference } : {}),
    ...(m.mapping ? { ingestionMapping: m.mapping } : {}),
    ...(m.tags.length ? { tags: m.tags } : {}),
    ...(m.ingestIfNotExists.length ? { ingestIfNotExists: m.ingestIfNotExists } : {}),
    ...(m.creationTime ? { creationTime: m.creationTime.toISOString() } : {}),
    flushImmediately: m.flushImmediately,
    ignoreFirstRecord: m.ignoreFirstRecord,
  });
}
