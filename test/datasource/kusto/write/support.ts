/**
 * Shared set-up of the Kusto sink tests: one emulator per test file, started with the test harness's
 * certificate directory (scripts/run-tests.mjs exports KJOB_TEST_CERT_DIR and trusts the certificate
 * through NODE_EXTRA_CA_CERTS), so the driver's status-table poller reaches the https table endpoint.
 */
import { Client } from 'azure-kusto-data';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/start-emulator.js';

export async function startSinkTestEmulator(): Promise<RunningEmulator> {
  const certificateDir = process.env['KJOB_TEST_CERT_DIR'];
  if (!certificateDir || !process.env['NODE_EXTRA_CA_CERTS']) {
    throw new Error('Run through scripts/run-tests.mjs (or export NODE_EXTRA_CA_CERTS and KJOB_TEST_CERT_DIR from scripts/ensure-test-cert.ts)');
  }
  return startEmulator({
    defaultBatchingPolicy: { maximumBatchingTimeSpanMs: 200, maximumNumberOfItems: 500, maximumRawDataSizeMB: 1024 },
    autoDeleteIntervalMs: 0,
    dataManagement: { dmPollIntervalMs: 50, certificateDir },
  });
}

export class KustoProbe {
  readonly #client: Client;
  constructor(url: string) {
    this.#client = new Client(url);
  }
  async rows(db: string, text: string): Promise<Record<string, unknown>[]> {
    const res = text.startsWith('.') ? await this.#client.executeMgmt(db, text) : await this.#client.execute(db, text);
    return [...res.primaryResults[0]!.rows()].map((r) => r.toJSON<Record<string, unknown>>());
  }
  async count(db: string, table: string): Promise<number> {
    const r = await this.rows(db, `['${table}'] | count`);
    return Number(r[0]!['Count']);
  }
  async tables(db: string): Promise<string[]> {
    const r = await this.rows(db, '.show tables');
    return r.map((x) => String(x['TableName']));
  }
  close(): void {
    this.#client.close();
  }
}

export function sinkOptions(clusterUrl: string, table: string, extra: Record<string, string> = {}): Record<string, string> {
  return { kustoCluster: clusterUrl, kustoDatabase: 'db', kustoTable: table, ...extra };
}
