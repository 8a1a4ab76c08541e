import { AnonymousCredential, ContainerClient } from '@azure/storage-blob';
import { DefaultAzureCredential } from '@azure/identity';
import type { BlobAddress } from './blob-url.js';
import { blobUrlOf } from './blob-url.js';

/**
 * One ContainerClient per (endpoint, container, SAS). With a SAS the URL carries the authorisation;
 * without one, real Azure endpoints use the executor's own identity (DefaultAzureCredential) and
 * path-style endpoints (Azurite, public containers) go anonymous.
 */
const clients = new Map<string, ContainerClient>();
let defaultCredential: DefaultAzureCredential | undefined;

export function containerClientFor(addr: BlobAddress): ContainerClient {
  const key = `${addr.endpoint}|${addr.container}|${addr.sas}`;
  let client = clients.get(key);
  if (!client) {
    const url = blobUrlOf(addr, '');
    if (addr.sas || addr.style === 'path') client = new ContainerClient(url, new AnonymousCredential());
    else client = new ContainerClient(url, (defaultCredential ??= new DefaultAzureCredential()));
    clients.set(key, client);
  }
  return client;
}
