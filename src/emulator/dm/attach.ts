import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorEngine } from '../contracts.js';
import { FaultRegistry } from '../faults/fault-registry.js';
import { faultCommandHandler } from '../faults/fault-command.js';
import { Authorizer, type AuthOptions } from '../auth/auth-hook.js';
import { RoleStore } from '../auth/role-store.js';
import { principalCommandHandlers } from '../auth/principal-commands.js';
import { startAzurite, type RunningAzurite } from './azurite-in-process.js';
import { ensureSelfSignedCertificate } from './self-signed-cert.js';
import { devStorageAccount, parseConnectionString, toConnectionString, type StorageAccount } from './storage-account.js';
import { createDmResources, dmResourceNames, exportContainerUrls, ingestionResourceRows, storageClients } from './ingestion-resources.js';
import { IngestionFailureLog } from './ingestion-failure-log.js';
import { dmCommandHandlers } from './dm-commands.js';
import { StatusReporter } from './status-reporter.js';
import { DmService } from './dm-service.js';
import { ExportService } from './export-service.js';

/**
 * Wires the data-management half onto an engine: storage (in-process Azurite, or an existing
 * account), the DM commands, `.export`, the DM loop, fault injection and the optional auth mode.
 */
export interface DataManagementOptions {
  /** Use this storage account instead of starting Azurite (e.g. docker-compose's own Azurite). */
  readonly storageConnectionString?: string;
  /** Where the table endpoint's certificate is written (`<dataDir>/certs`); a temp dir otherwise. */
  readonly dataDir?: string;
  /**
   * Directory of the table endpoint's certificate, used instead of `<dataDir>/certs` or a temp dir:
   * a certificate made there before this process started (e.g. by the test harness, which exports it
   * as NODE_EXTRA_CA_CERTS) is reused, so SDK clients in this process already trust it.
   */
  readonly certificateDir?: string;
  /** Host Azurite listens on. Default 127.0.0.1. */
  readonly storageHost?: string;
  /**
   * Host name put in the storage endpoints and SAS URLs handed to clients, when it differs from the
   * bind address (e.g. the docker-compose service name with storageHost 0.0.0.0). Also added to the
   * table certificate. Default: the bind address (127.0.0.1 for 0.0.0.0).
   */
  readonly advertisedHost?: string;
  readonly blobPort?: number;
  readonly queuePort?: number;
  readonly tablePort?: number;
  /** Extra host names/IPs for the table certificate (e.g. a docker service name). */
  readonly certificateHosts?: readonly string[];
  /** Prefix of the queue/container/table names (several emulators on one account). */
  readonly resourcePrefix?: string;
  /** What `.get kusto identity token` returns. */
  readonly identityToken?: string;
  readonly dmPollIntervalMs?: number;
  /** Enables auth: requests need a bearer token mapped to a principal with the right role. */
  readonly auth?: AuthOptions;
}

export interface DataManagementHandle {
  readonly blobEndpoint: string;
  readonly queueEndpoint: string;
  readonly tableEndpoint: string;
  /** Account-key connection string of the storage in use. */
  readonly connectionString: string;
  /** PEM of the table endpoint's self-signed certificate (NODE_EXTRA_CA_CERTS); undefined with external storage. */
  readonly caCertPath: string | undefined;
  readonly faults: FaultRegistry;
  readonly roles: RoleStore;
  readonly dm: DmService;
  stop(): Promise<void>;
}

export async function attachDataManagement(engine: EmulatorEngine, options: DataManagementOptions = {}): Promise<DataManagementHandle> {
  let azurite: RunningAzurite | undefined;
  let tempDir: string | undefined;
  let account: StorageAccount;
  let caCertPath: string | undefined;
  let tableCa: Buffer | undefined;

  if (options.storageConnectionString) {
    account = parseConnectionString(options.storageConnectionString);
  } else {
    const certDir = options.certificateDir ? options.certificateDir : options.dataDir ? join(options.dataDir, 'certs') : (tempDir = await mkdtemp(join(tmpdir(), 'kjob-emulator-')));
    const advertised = options.advertisedHost ?? (options.storageHost === '0.0.0.0' || options.storageHost === '::' ? '127.0.0.1' : undefined);
    const cert = await ensureSelfSignedCertificate(certDir, [...(options.certificateHosts ?? []), ...(advertised && advertised !== '127.0.0.1' && advertised !== 'localhost' ? [advertised] : [])]);
    caCertPath = cert.certPath;
    tableCa = await readFile(cert.certPath);
    azurite = await startAzurite({
      ...(options.storageHost ? { host: options.storageHost } : {}),
      ...(options.blobPort !== undefined ? { blobPort: options.blobPort } : {}),
      ...(options.queuePort !== undefined ? { queuePort: options.queuePort } : {}),
      ...(options.tablePort !== undefined ? { tablePort: options.tablePort } : {}),
      tableCertPath: cert.certPath,
      tableKeyPath: cert.keyPath,
    });
    const advertise = (endpoint: string) => {
      if (!advertised) return endpoint;
      const u = new URL(endpoint);
      u.hostname = advertised;
      return u.origin;
    };
    account = devStorageAccount({ blob: advertise(azurite.blobEndpoint), queue: advertise(azurite.queueEndpoint), table: advertise(azurite.tableEndpoint) });
  }

  const stopAll: (() => Promise<void> | void)[] = [];
  try {
    const names = dmResourceNames(options.resourcePrefix);
    const clients = storageClients(account, tableCa);
    await createDmResources(clients, names);

    const faults = new FaultRegistry();
    const roles = new RoleStore();
    const failures = new IngestionFailureLog();
    const reporter = new StatusReporter(account, clients.queues, names, tableCa);
    const exporter = new ExportService(engine, faults);

    // Auth runs before fault injection: an unauthenticated request is refused, not throttled.
    if (options.auth) engine.addRequestHook(new Authorizer(options.auth, roles).hook);
    engine.addRequestHook(faults.requestHook);
    engine.setFaults?.(faults);

    const token = options.identityToken ?? 'kjob-emulator-identity-token';
    for (const h of dmCommandHandlers({
      ingestionResources: () => (faults.takeNoStorage() ? [] : ingestionResourceRows(account, names)),
      exportContainers: () => (faults.takeNoStorage() ? [] : exportContainerUrls(account, names)),
      identityToken: () => token,
      failures,
    })) engine.registerCommand(h);
    engine.registerCommand(exporter.handler());
    engine.registerCommand(faultCommandHandler(faults));
    for (const h of principalCommandHandlers(roles, (db) => engine.databaseExists(db))) engine.registerCommand(h);

    const dm = new DmService({
      engine,
      queues: clients.queues,
      names,
      reporter,
      faults,
      failures,
      ...(options.dmPollIntervalMs !== undefined ? { pollIntervalMs: options.dmPollIntervalMs } : {}),
    });
    dm.start();
    stopAll.push(() => exporter.stop(), () => dm.stop());

    let stopped = false;
    return {
      blobEndpoint: account.blobEndpoint,
      queueEndpoint: account.queueEndpoint,
      tableEndpoint: account.tableEndpoint,
      connectionString: toConnectionString(account),
      caCertPath,
      faults,
      roles,
      dm,
      async stop() {
        if (stopped) return;
        stopped = true;
        for (const s of stopAll) await s();
        await azurite?.close();
        if (tempDir) await rm(tempDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    for (const s of stopAll) await s();
    await azurite?.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    throw e;
  }
}
