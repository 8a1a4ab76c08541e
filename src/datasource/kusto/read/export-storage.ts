/**
 * Where a Distributed read exports to (reference §4.4 step 3): the user's `transientStorage`, or the
 * containers Kusto hands out with `.show export containers` on the DM endpoint (NetDefaultDB), split
 * at `?` into container URL and SAS. Those are cached per ingest URL for 2 h and fetched with up to
 * 8 attempts on transient errors, as the connector does.
 */
import { NoStorageContainersException } from '../errors/ingestion-errors.js';
import { isTransientKustoError } from '../errors/transient-kusto-error.js';
import type { KustoEngineClient } from '../client/engine-client.js';
import { retryTransient } from '../polling/backoff.js';
import { systemClock, type Clock } from '../polling/clock.js';
import { TransientStorageParameters, transientCredentialFromSasUrl } from '../storage/transient-storage.js';

export const EXPORT_CONTAINERS_CACHE_MS = 2 * 60 * 60 * 1000;
export const EXPORT_CONTAINERS_ATTEMPTS = 8;

const cache = new Map<string, { at: number; storage: TransientStorageParameters }>();

/** Forgets cached export containers (tests; a cluster whose containers were rotated). */
export function clearExportContainersCache(): void {
  cache.clear();
}

export async function exportContainers(dm: KustoEngineClient, clock: Clock = systemClock): Promise<TransientStorageParameters> {
  const hit = cache.get(dm.url);
  if (hit && clock.now() - hit.at < EXPORT_CONTAINERS_CACHE_MS) return hit.storage;
  const rows = await retryTransient(() => dm.mgmt('NetDefaultDB', '.show export containers', { activity: 'KJOB.read.exportContainers' }), {
    attempts: EXPORT_CONTAINERS_ATTEMPTS,
    isTransient: isTransientKustoError,
    clock,
  });
  const urls = rows.map((r) => Object.values(r)[0]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (urls.length === 0) throw new NoStorageContainersException({ context: { endpoint: dm.url, command: '.show export containers' } });
  const storage = new TransientStorageParameters(urls.map((u) => transientCredentialFromSasUrl(u)));
  cache.set(dm.url, { at: clock.now(), storage });
  return storage;
}
