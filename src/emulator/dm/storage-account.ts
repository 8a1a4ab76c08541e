import { StorageSharedKeyCredential, generateBlobSASQueryParameters, ContainerSASPermissions } from '@azure/storage-blob';
import { StorageSharedKeyCredential as QueueKeyCredential, generateQueueSASQueryParameters, QueueSASPermissions } from '@azure/storage-queue';
import { AzureNamedKeyCredential, generateTableSas } from '@azure/data-tables';
import { KustoServiceError } from '../contracts.js';

/**
 * The storage account the emulator's data-management half works in: the in-process Azurite, or an
 * account given by connection string (the docker-compose cluster runs its own Azurite).
 *
 * Endpoints are path-style (`http://host:port/<account>`), which is what Azurite serves and what the
 * ingest SDK accepts. SAS tokens are signed with the account key, because Azurite rejects anonymous
 * writes and bad signatures.
 */
export interface StorageAccount {
  readonly accountName: string;
  readonly accountKey: string;
  /** Without trailing slash, including the account path segment for path-style endpoints. */
  readonly blobEndpoint: string;
  readonly queueEndpoint: string;
  readonly tableEndpoint: string;
}

/** Azurite's well-known development account (public, documented by Microsoft: not a secret). */
export const DEV_ACCOUNT_NAME = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** SAS tokens outlive any test or job run; the SDK caches resources for an hour. */
const SAS_LIFETIME_MS = 7 * 24 * 3600 * 1000;

export function devStorageAccount(endpoints: { blob: string; queue: string; table: string }): StorageAccount {
  const withAccount = (origin: string) => `${origin.replace(/\/+$/, '')}/${DEV_ACCOUNT_NAME}`;
  return {
    accountName: DEV_ACCOUNT_NAME,
    accountKey: DEV_ACCOUNT_KEY,
    blobEndpoint: withAccount(endpoints.blob),
    queueEndpoint: withAccount(endpoints.queue),
    tableEndpoint: withAccount(endpoints.table),
  };
}

export function toConnectionString(account: StorageAccount): string {
  const protocol = account.blobEndpoint.startsWith('https:') ? 'https' : 'http';
  return [
    `DefaultEndpointsProtocol=${protocol}`,
    `AccountName=${account.accountName}`,
    `AccountKey=${account.accountKey}`,
    `BlobEndpoint=${account.blobEndpoint}`,
    `QueueEndpoint=${account.queueEndpoint}`,
    `TableEndpoint=${account.tableEndpoint}`,
  ].join(';') + ';';
}

/** Parses an account-key connection string (SAS-only connection strings cannot sign new SAS). */
export function parseConnectionString(text: string): StorageAccount {
  const fields = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  if (fields.get('usedevelopmentstorage') === 'true') {
    return devStorageAccount({ blob: 'http://127.0.0.1:10000', queue: 'http://127.0.0.1:10001', table: 'http://127.0.0.1:10002' });
  }
  const accountName = fields.get('accountname');
  const accountKey = fields.get('accountkey');
  if (!accountName || !accountKey) {
    throw new KustoServiceError(400, 'BadRequest_InvalidArgument', 'The storage connection string needs AccountName and AccountKey (the emulator signs SAS tokens with the key).');
  }
  const protocol = fields.get('defaultendpointsprotocol') ?? 'https';
  const suffix = fields.get('endpointsuffix') ?? 'core.windows.net';
  const endpoint = (kind: 'blob' | 'queue' | 'table') =>
    (fields.get(`${kind}endpoint`) ?? `${protocol}://${accountName}.${kind}.${suffix}`).replace(/\/+$/, '');
  return { accountName, accountKey, blobEndpoint: endpoint('blob'), queueEndpoint: endpoint('queue'), tableEndpoint: endpoint('table') };
}

function expiry(): { startsOn: Date; expiresOn: Date } {
  const now = Date.now();
  // Start a few minutes in the past: clock skew between the client and the storage service.
  return { startsOn: new Date(now - 5 * 60_000), expiresOn: new Date(now + SAS_LIFETIME_MS) };
}

/** `<blobEndpoint>/<container>?<SAS racwdl>` */
export function containerSasUrl(account: StorageAccount, container: string): string {
  const sas = generateBlobSASQueryParameters(
    { containerName: container, permissions: ContainerSASPermissions.parse('racwdl'), ...expiry() },
    new StorageSharedKeyCredential(account.accountName, account.accountKey),
  ).toString();
  return `${account.blobEndpoint}/${container}?${sas}`;
}

/** `<queueEndpoint>/<queue>?<SAS raup>` */
export function queueSasUrl(account: StorageAccount, queue: string): string {
  const sas = generateQueueSASQueryParameters(
    { queueName: queue, permissions: QueueSASPermissions.parse('raup'), ...expiry() },
    new QueueKeyCredential(account.accountName, account.accountKey),
  ).toString();
  return `${account.queueEndpoint}/${queue}?${sas}`;
}

/** `<tableEndpoint>/<table>?<SAS raud, tn=table>` */
export function tableSasUrl(account: StorageAccount, table: string): string {
  const sas = generateTableSas(table, new AzureNamedKeyCredential(account.accountName, account.accountKey), {
    permissions: { query: true, add: true, update: true, delete: true },
    ...expiry(),
  });
  return `${account.tableEndpoint}/${table}?${sas.replace(/^\?/, '')}`;
}
