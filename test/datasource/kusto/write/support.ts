/**
 * Shared set-up of the Kusto sink tests: one emulator per test file, started with the test harness's
 * certificate directory (scripts/run-tests.mjs exports KJOB_TEST_CERT_DIR and trusts the certificate
 * through NODE_EXTRA_CA_CERTS), so the driver's status-table poller reaches the https table endpoint.
 */
import { after, before } from 'node:test';
import { Client } from 'azure-kusto-data';
import { Session } from '../../../../src/driver/session.js';
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
  /** The Transactional staging tables (`sparkTempTable_*`) left in `db`. */
  async stagingTables(db: string): Promise<string[]> {
    return (await this.tables(db)).filter((t) => t.startsWith('sparkTempTable_'));
  }
  close(): void {
    this.#client.close();
  }
}

/** What a task's error looks like on the driver: TaskFailedError carrying the executor's error. */
export type TaskFailure = Error & {
  taskErrorName?: string;
  taskErrorMessage?: string;
  taskError: Error & { likelyCause?: string; resolution?: string; requestId?: string };
  resolution?: string;
  requestId?: string;
};

export function sinkOptions(clusterUrl: string, table: string, extra: Record<string, string> = {}): Record<string, string> {
  return { kustoCluster: clusterUrl, kustoDatabase: 'db', kustoTable: table, ...extra };
}

export interface SinkTestContext {
  readonly emu: RunningEmulator;
  readonly spark: Session;
  readonly probe: KustoProbe;
}

/**
 * The before/after pair every sink test file needs: an emulator, a probe on it and a local[2] session
 * with the file's own conf; `setUp` runs once they exist (tables, policies). Fields are read lazily,
 * inside the tests, after `before` has filled them.
 */
export function useSinkTestContext(
  appName: string,
  conf: Record<string, string | number> = {},
  setUp?: (ctx: SinkTestContext) => Promise<void>,
): SinkTestContext {
  let emu: RunningEmulator | undefined;
  let spark: Session | undefined;
  let probe: KustoProbe | undefined;
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`sink test context: ${name} is used before before() ran`);
    return value;
  };
  const ctx: SinkTestContext = {
    get emu() { return ready(emu, 'emu'); },
    get spark() { return ready(spark, 'spark'); },
    get probe() { return ready(probe, 'probe'); },
  };
  before(async () => {
    emu = await startSinkTestEmulator();
    probe = new KustoProbe(emu.clusterUrl);
    let builder = Session.builder().appName(appName).master('local[2]');
    for (const [key, value] of Object.entries(conf)) builder = builder.config(key, value);
    spark = await builder.getOrCreate();
    await setUp?.(ctx);
  });
  after(async () => {
    await spark?.stop();
    probe?.close();
    await emu?.stop();
  });
  return ctx;
}
