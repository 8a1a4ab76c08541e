/**
 * Where the sink's blobs go (reference §3.5): the cluster's temporary containers from `.get ingestion
 * resources` (through the ingest SDK's resource manager, which caches them for an hour), refreshed and
 * retried (8 attempts, exponential random backoff) when empty or on a transient error (429, 5xx, network),
 * then NoStorageContainersException; a permanent refusal (401/403, bad request) fails at once as
 * KustoRequestException with the service's message; or
 * the user's `kustoIngestionStorageContainer` entries (their SAS verbatim, or a user-delegation SAS
 * valid 8 hours made with the executor's own Azure credential).
 */
import { BlobServiceClient, ContainerClient, ContainerSASPermissions, generateBlobSASQueryParameters } from '@azure/storage-blob';
import type { IngestClient } from 'azure-kusto-ingest';
import { NoStorageContainersException } from '../errors/ingestion-errors.js';
import type { IngestionStorageEntry, IngestionStorageParameters } from '../storage/ingestion-storage.js';
import { exponentialRandomBackoff } from '../polling/backoff.js';
import { isTransientKustoError } from '../errors/transient-kusto-error.js';
import { KustoRequestException } from './engine-client.js';
import { systemClock, type Clock } from '../polling/clock.js';

export const CONTAINER_PROVIDER_ATTEMPTS = 8;

export interface ContainerChoice {
  readonly container: ContainerClient;
  /** Reports the outcome of an upload, so failing accounts rank lower (SDK resource manager). */
  report(success: boolean): void;
}

export async function ingestionContainers(client: IngestClient, options: { requestId: string; clock?: Clock; attempts?: number }): Promise<ContainerChoice[]> {
  const clock = options.clock ?? systemClock;
  const attempts = options.attempts ?? CONTAINER_PROVIDER_ATTEMPTS;
  const rm = client.resourceManager;
  let lastError: unknown;
  for (let attempt = 1; ; attempt++) {
    // tryRefresh hands back the service's own error (getContainers would wrap it in a plain Error that
    // loses the HTTP status and body), so a permanent refusal can be told from a passing one.
    const error = await rm.tryRefresh(false);
    if (error) {
      if (!isTransientResourcesError(error)) throw new KustoRequestException('KJOB.write.ingestionResources', '.get ingestion resources', error, options.requestId);
      lastError = error;
    }
    let containers: { uri: string; accountName: string }[] | null = null;
    if (!error) {
      try {
        containers = await rm.getContainers();
      } catch (e) {
        lastError = e;
      }
    }
    if (containers && containers.length > 0) {
      return containers.map((c) => ({ container: new ContainerClient(c.uri), report: (ok: boolean) => rm.reportResourceUsageResult(c.accountName, ok) }));
    }
    if (attempt >= attempts) throw new NoStorageContainersException({ requestId: options.requestId, ...(lastError === undefined ? {} : { cause: lastError }) });
    // Force a refresh of the SDK's cached resources before the next try.
    rm.ingestClientResources = null;
    rm.ingestClientResourcesLastUpdate = null;
    await clock.sleep(exponentialRandomBackoff(attempt));
  }
}

/**
 * The shared classifier, plus two plain Errors of the SDK's resource manager: its give-up after 4
 * throttled tries (all that is left of the 429s), and an answer missing a resource kind, which is the
 * "no storage" case the retries and NoStorageContainersException are for.
 */
function isTransientResourcesError(e: unknown): boolean {
  return isTransientKustoError(e) || /the request was throttled \d+ times|fetched data returned missing resource/.test(String((e as Error)?.message));
}

const delegationSas = new Map<string, { url: string; expires: number }>();

export async function userContainer(params: IngestionStorageParameters): Promise<ContainerChoice> {
  const entry = params.pick();
  const url = await containerUrl(entry);
  return { container: new ContainerClient(url), report: () => undefined };
}

async function containerUrl(entry: IngestionStorageEntry): Promise<string> {
  const base = `${entry.storageUrl.replace(/\/+$/, '')}/${entry.containerName}`;
  if (entry.sas) return `${base}${entry.sas}`;
  const key = `${base}|${entry.userMsi ?? ''}`;
  const cached = delegationSas.get(key);
  if (cached && cached.expires - Date.now() > 3_600_000) return cached.url;
  const identity = await import('@azure/identity');
  const credential = entry.userMsi ? new identity.ManagedIdentityCredential({ clientId: entry.userMsi }) : new identity.DefaultAzureCredential();
  const service = new BlobServiceClient(entry.storageUrl, credential);
  const startsOn = new Date(Date.now() - 5 * 60_000);
  const expiresOn = new Date(Date.now() + 4 * 7200_000);
  const udk = await service.getUserDelegationKey(startsOn, expiresOn);
  const sas = generateBlobSASQueryParameters({ containerName: entry.containerName, permissions: ContainerSASPermissions.parse('rw'), startsOn, expiresOn }, udk, service.accountName).toString();
  const full = `${base}?${sas}`;
  delegationSas.set(key, { url: full, expires: expiresOn.getTime() });
  return full;
}
