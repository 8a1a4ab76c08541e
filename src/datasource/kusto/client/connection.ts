/**
 * Connection strings for the Kusto SDKs, and the one place where the SDKs' endpoint checks are
 * adapted to the emulator:
 * - azure-kusto-data refuses hosts outside the well-known Kusto suffixes, except loopback
 *   (wire-protocol §2.3). A plain-http endpoint (the emulator, e.g. `http://kusto:8080` under
 *   docker-compose) is added to the SDK's trusted hosts by exact name;
 * - IngestClient rewrites `host` to `ingest-host` unless the host is an IP / localhost (§2.5), which
 *   breaks `http://kusto:8080` and `http://[::1]:…`; ingest-clients.ts passes `autoCorrectEndpoint=false`,
 *   since our ingest URL is always resolved already.
 */
import { KustoConnectionStringBuilder, kustoTrustedEndpoints, MatchRule } from 'azure-kusto-data';
import type { TokenCredential } from '@azure/identity';

const trusted = new Set<string>();

/** Trusts an http (emulator) host with the data SDK; https hosts keep the SDK's own rules. */
export function trustEmulatorHost(url: string): void {
  const u = new URL(url);
  if (u.protocol !== 'http:') return;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (trusted.has(host)) return;
  trusted.add(host);
  kustoTrustedEndpoints.addTrustedHosts([new MatchRule(host, true)], false);
}

export function connectionString(url: string, credential: TokenCredential | undefined): KustoConnectionStringBuilder {
  trustEmulatorHost(url);
  return credential ? KustoConnectionStringBuilder.withTokenCredential(url, credential) : new KustoConnectionStringBuilder(url);
}
