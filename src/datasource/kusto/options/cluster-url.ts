/**
 * `kustoCluster` → engine URL, alias and ingest (DM) URL (reference §2.1).
 *
 * - alias (`mycluster.westus`) → `https://mycluster.westus.kusto.windows.net`;
 * - `https://…` must contain `.kusto.` or `.kustodev.`; an `ingest-` host is turned into its engine
 *   (`https://<alias>.kusto.windows.net`, suffix hard-coded as in the connector), any other is kept;
 * - ingest URL: `kustoIngestionUri`, else `https://ingest-<engine host>`;
 * - the Aria and PlayFab proxies keep their URL and get a fixed alias;
 * - read path only (`allowProxy`): an https URL that does not normalise (Log Analytics, ADE proxies)
 *   is kept raw as both URL and alias.
 *
 * kjob addition: `http://` URLs (the local emulator: `http://127.0.0.1:PORT`, `http://localhost:PORT`,
 * `http://<compose-service>:PORT`) are accepted as given; their ingest URL defaults to the same URL,
 * because the emulator serves the engine and data-management endpoints on one port.
 */
import { InvalidParameterException } from '../errors/parameter-errors.js';

export interface KustoCoordinatesUrls {
  readonly engineUrl: string;
  readonly ingestUrl: string;
  readonly alias: string;
  /** True for a plain-http (emulator) endpoint. */
  readonly local: boolean;
}

const PROXIES: Readonly<Record<string, string>> = {
  'https://kusto.aria.microsoft.com': 'Aria proxy',
  'https://insights.playfab.com': 'PlayFab proxy',
};

function clusterError(cluster: string): InvalidParameterException {
  return new InvalidParameterException(
    `KUSTO_CLUSTER parameter accepts either a full url with https scheme or the cluster'salias and tries to construct the full URL from it. Parameter given: ${cluster}`,
    { option: 'kustoCluster' },
  );
}

function aliasOfHost(host: string): string | undefined {
  const h = host.replace(/^ingest-/, '');
  const cut = [h.indexOf('.kusto.'), h.indexOf('.kustodev.')].filter((i) => i >= 0);
  return cut.length === 0 ? undefined : h.slice(0, Math.min(...cut));
}

export function normalizeClusterUrl(cluster: string, options: { ingestionUri?: string; allowProxy?: boolean } = {}): KustoCoordinatesUrls {
  const raw = cluster.trim();
  if (raw === '') throw new InvalidParameterException('KUSTO_CLUSTER parameter is missing. Must provide a destination cluster name', { option: 'kustoCluster' });
  const lower = raw.toLowerCase().replace(/\/+$/, '');
  if (lower.startsWith('http://')) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw clusterError(cluster);
    }
    const engineUrl = `${url.protocol}//${url.host}`;
    return { engineUrl, ingestUrl: options.ingestionUri?.replace(/\/+$/, '') ?? engineUrl, alias: url.hostname, local: true };
  }
  const ingestOf = (engineUrl: string): string => options.ingestionUri?.replace(/\/+$/, '') ?? `https://ingest-${new URL(engineUrl).host}`;
  const proxy = PROXIES[lower];
  if (proxy) return { engineUrl: lower, ingestUrl: ingestOf(lower), alias: proxy, local: false };
  if (lower.startsWith('https://')) {
    let host: string;
    try {
      host = new URL(lower).host;
    } catch {
      throw clusterError(cluster);
    }
    const alias = aliasOfHost(host);
    if (alias === undefined || alias === '') {
      if (options.allowProxy) return { engineUrl: raw, ingestUrl: options.ingestionUri ?? raw, alias: raw, local: false };
      throw clusterError(cluster);
    }
    const engineUrl = host.startsWith('ingest-') ? `https://${alias}.kusto.windows.net` : lower;
    return { engineUrl, ingestUrl: ingestOf(engineUrl), alias, local: false };
  }
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(lower)) {
    if (options.allowProxy) return { engineUrl: raw, ingestUrl: options.ingestionUri ?? raw, alias: raw, local: false };
    throw clusterError(cluster);
  }
  const alias = aliasOfHost(lower) ?? lower.replace(/^ingest-/, '');
  const engineUrl = `https://${alias}.kusto.windows.net`;
  return { engineUrl, ingestUrl: ingestOf(engineUrl), alias, local: false };
}
