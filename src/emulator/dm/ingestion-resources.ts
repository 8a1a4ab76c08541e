import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { QueueServiceClient, StorageSharedKeyCredential as QueueKeyCredential } from '@azure/storage-queue';
import { TableServiceClient, AzureNamedKeyCredential } from '@azure/data-tables';
import type { StorageAccount } from './storage-account.js';
import { containerSasUrl, queueSasUrl, tableSasUrl } from './storage-account.js';

/**
 * The storage resources the emulated data-management service hands out, and their creation.
 *
 * Several temp containers and ready queues are handed out (as the real service does), so the
 * SDK's ranking and fallback between resources has something to choose from.
 */
export interface DmResourceNames {
  readonly readyQueues: readonly string[];
  readonly failedQueue: string;
  readonly successQueue: string;
  readonly tempContainers: readonly string[];
  readonly statusTable: string;
  readonly exportContainers: readonly string[];
}

/** `prefix` lets several emulators share one storage account (lower-case letters and digits). */
export function dmResourceNames(prefix = ''): DmResourceNames {
  const p = prefix.toLowerCase().replace(/[^a-z0-9]/g, '');
  return {
    readyQueues: [`${p}readyforaggregation-secured-0`, `${p}readyforaggregation-secured-1`],
    failedQueue: `${p}failedingestions`,
    successQueue: `${p}successfulingestions`,
    tempContainers: [`${p}tempstorage-0`, `${p}tempstorage-1`, `${p}tempstorage-2`],
    statusTable: `${p}ingestionsstatus`,
    exportContainers: [`${p}exportstorage-0`, `${p}exportstorage-1`],
  };
}

export interface StorageClients {
  readonly blobs: BlobServiceClient;
  readonly queues: QueueServiceClient;
  readonly tables: TableServiceClient;
}

/** `tableCa`: the PEM of a self-signed table certificate this process must trust (in-process Azurite). */
export function storageClients(account: StorageAccount, tableCa?: string | Buffer): StorageClients {
  return {
    blobs: new BlobServiceClient(account.blobEndpoint, new StorageSharedKeyCredential(account.accountName, account.accountKey)),
    queues: new QueueServiceClient(account.queueEndpoint, new QueueKeyCredential(account.accountName, account.accountKey)),
    tables: new TableServiceClient(account.tableEndpoint, new AzureNamedKeyCredential(account.accountName, account.accountKey), {
      // The emulator's own client may talk to an http table endpoint (external Azurite); only the
      // SDK's status-table client insists on https.
      allowInsecureConnection: account.tableEndpoint.startsWith('http:'),
      ...(tableCa === undefined ? {} : { tlsOptions: { ca: tableCa } }),
    }),
  };
}

/** Creates every container, queue and table (idempotent). */
export async function createDmResources(clients: StorageClients, names: DmResourceNames): Promise<void> {
  await Promise.all([
    ...[...names.tempContainers, ...names.exportContainers].map((c) => clients.blobs.getContainerClient(c).createIfNotExists()),
    ...[...names.readyQueues, names.failedQueue, names.successQueue].map((q) => clients.queues.getQueueClient(q).createIfNotExists()),
    clients.tables.createTable(names.statusTable),
  ]);
}

export type ResourceTypeName =
  | 'SecuredReadyForAggregationQueue'
  | 'FailedIngestionsQueue'
  | 'SuccessfulIngestionsQueue'
  | 'TempStorage'
  | 'IngestionsStatusTable';

/** Rows of `.get ingestion resources`: [ResourceTypeName, StorageRoot with SAS]. */
export function ingestionResourceRows(account: StorageAccount, names: DmResourceNames): [ResourceTypeName, string][] {
  return [
    ...names.readyQueues.map((q): [ResourceTypeName, string] => ['SecuredReadyForAggregationQueue', queueSasUrl(account, q)]),
    ['FailedIngestionsQueue', queueSasUrl(account, names.failedQueue)],
    ['SuccessfulIngestionsQueue', queueSasUrl(account, names.successQueue)],
    ...names.tempContainers.map((c): [ResourceTypeName, string] => ['TempStorage', containerSasUrl(account, c)]),
    ['IngestionsStatusTable', tableSasUrl(account, names.statusTable)],
  ];
}

/** Rows of `.show export containers`: one SAS URL per export container. */
export function exportContainerUrls(account: StorageAccount, names: DmResourceNames): string[] {
  return names.exportContainers.map((c) => containerSasUrl(account, c));
}
