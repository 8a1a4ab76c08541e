/**
 * Queued and managed-streaming ingest clients (azure-kusto-ingest), cached per (ingest URL, engine
 * URL, auth) for the life of the process, as the connector's client cache does. The SDK's resource
 * manager caches `.get ingestion resources` for an hour; `IngestionStorage` below re-reads it when a
 * container fails.
 *
 * Construction notes (wire-protocol §2.5, §4.3):
 * - `autoCorrectEndpoint=false` always: the ingest URL is already resolved (options/cluster-url.ts),
 *   and the SDK's rewrite would turn `http://kusto:8080` into `http://ingest-kusto:8080`;
 * - ManagedStreamingIngestClient gets explicit engine and DM connection strings (its
 *   `fromDmConnectionString` throws for anything not `https://ingest-…`). It streams first (3 tries,
 *   1 s then 2 s apart) and falls back to queued ingestion; it treats every streaming error as
 *   transient, so permanent streaming failures surface only as queued-ingestion failures.
 */
import { IngestClient, ManagedStreamingIngestClient } from 'azure-kusto-ingest';
import type { TokenCredential } from '@azure/identity';
import { connectionString } from './connection.js';

const queued = new Map<string, IngestClient>();
const managed = new Map<string, ManagedStreamingIngestClient>();

export function queuedIngestClient(ingestUrl: string, credential: TokenCredential | undefined, authKey: string): IngestClient {
  const key = `${ingestUrl}|${authKey}`;
  let c = queued.get(key);
  if (!c) {
    c = new IngestClient(connectionString(ingestUrl, credential), undefined, false);
    queued.set(key, c);
  }
  return c;
}

export function managedStreamingIngestClient(engineUrl: string, ingestUrl: string, credential: TokenCredential | undefined, authKey: string): ManagedStreamingIngestClient {
  const key = `${engineUrl}|${ingestUrl}|${authKey}`;
  let c = managed.get(key);
  if (!c) {
    c = new ManagedStreamingIngestClient(connectionString(engineUrl, credential), connectionString(ingestUrl, credential), undefined, false);
    managed.set(key, c);
  }
  return c;
}

/** Closes and forgets one queued ingest client (the driver's per-write client with a credential). */
export function releaseQueuedIngestClient(ingestUrl: string, authKey: string): void {
  const key = `${ingestUrl}|${authKey}`;
  queued.get(key)?.close();
  queued.delete(key);
}

export function closeIngestClients(): void {
  for (const c of queued.values()) c.close();
  for (const c of managed.values()) c.close();
  queued.clear();
  managed.clear();
}
