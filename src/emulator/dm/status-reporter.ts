import type { QueueServiceClient } from '@azure/storage-queue';
import { TableClient, AzureNamedKeyCredential } from '@azure/data-tables';
import type { StorageAccount } from './storage-account.js';
import type { DmResourceNames } from './ingestion-resources.js';
import type { BlobOutcome } from './status-messages.js';
import { reportTargets, statusQueueMessage, statusTableUpdate } from './status-messages.js';
import type { StatusTableRef } from './queue-message.js';

/**
 * Posts outcomes to the success/failure queues and merges them into the status-table row that the
 * ingest SDK created (`Pending`). Throws when a report could not be written, so the DM loop keeps the
 * message and retries instead of losing the outcome.
 */
export class StatusReporter {
  private readonly tableClients = new Map<string, TableClient>();

  constructor(
    private readonly account: StorageAccount,
    private readonly queues: QueueServiceClient,
    private readonly names: DmResourceNames,
    private readonly tableCa: string | Buffer | undefined,
  ) {}

  async report(outcome: BlobOutcome, reportLevel: number, reportMethod: number, statusRow: StatusTableRef | undefined): Promise<void> {
    const targets = reportTargets(outcome, reportLevel, reportMethod, statusRow !== undefined);
    if (targets.table && statusRow) await this.updateRow(outcome, statusRow);
    if (targets.queue) {
      const { queue, text } = statusQueueMessage(outcome);
      const name = queue === 'success' ? this.names.successQueue : this.names.failedQueue;
      await this.queues.getQueueClient(name).sendMessage(text);
    }
  }

  private async updateRow(outcome: BlobOutcome, ref: StatusTableRef): Promise<void> {
    // The SDK's copy of the connection string lost the account path segment; the row lives in the
    // table named by its `tn=` parameter (ours by default) in this account.
    const tn = new URLSearchParams(ref.tableConnectionString.split('?')[1] ?? '').get('tn') ?? this.names.statusTable;
    const client = this.tableClient(tn);
    // Merge-upsert: updates the SDK's Pending row, or creates it if the SDK's create was lost.
    await client.upsertEntity({ partitionKey: ref.partitionKey, rowKey: ref.rowKey, ...statusTableUpdate(outcome) }, 'Merge');
  }

  private tableClient(name: string): TableClient {
    let c = this.tableClients.get(name);
    if (!c) {
      c = new TableClient(this.account.tableEndpoint, name, new AzureNamedKeyCredential(this.account.accountName, this.account.accountKey), {
        allowInsecureConnection: this.account.tableEndpoint.startsWith('http:'),
        ...(this.tableCa === undefined ? {} : { tlsOptions: { ca: this.tableCa } }),
      });
      this.tableClients.set(name, c);
    }
    return c;
  }
}
