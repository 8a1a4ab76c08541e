import { createRequire } from 'node:module';
import { BlobServiceClient, ContainerSASPermissions, StorageSharedKeyCredential, generateBlobSASQueryParameters } from '@azure/storage-blob';

/** An in-memory Azurite blob service in this process, on a free port (Azurite's internal classes, pinned version). */
export interface TestAzurite {
  readonly endpoint: string; // http://127.0.0.1:PORT/devstoreaccount1
  readonly service: BlobServiceClient;
  /** A container URL with a read/list (or given) SAS, path-style: http://127.0.0.1:PORT/devstoreaccount1/<container>?<sas> */
  containerSasUrl(container: string, permissions?: string): { base: string; sas: string };
  close(): Promise<void>;
}

const ACCOUNT = 'devstoreaccount1';
// Azurite's documented well-known development key (not a secret).
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export async function startAzurite(): Promise<TestAzurite> {
  const require = createRequire(import.meta.url);
  const BlobServer = require('azurite/dist/src/blob/BlobServer').default;
  const BlobConfiguration = require('azurite/dist/src/blob/BlobConfiguration').default;
  // Positional: host, port, keepAlive, metadataDB, extentDB, persistence, accessLog, accessLogStream,
  // debugLog, debugPath, loose, skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, inMemory.
  const config = new BlobConfiguration('127.0.0.1', 0, undefined, undefined, undefined, undefined, false, undefined, false, undefined, false, true, '', '', '', undefined, false, true);
  const server = new BlobServer(config);
  await server.start();
  const endpoint = `${server.getHttpServerAddress()}/${ACCOUNT}`;
  const credential = new StorageSharedKeyCredential(ACCOUNT, KEY);
  const service = new BlobServiceClient(endpoint, credential);
  return {
    endpoint,
    service,
    containerSasUrl(container, permissions = 'rl') {
      const sas = generateBlobSASQueryParameters(
        { containerName: container, permissions: ContainerSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + 3_600_000) },
        credential,
      ).toString();
      return { base: `${endpoint}/${container}`, sas };
    },
    async close() {
      await server.close();
    },
  };
}
