import { ContainerSASPermissions, StorageSharedKeyCredential, generateBlobSASQueryParameters } from '@azure/storage-blob';

/** Lifetime of a SAS derived from an account key: long enough for a job, short enough to be harmless if it leaks. */
export const KEY_SAS_LIFETIME_MS = 6 * 60 * 60 * 1000;

/**
 * A short-lived container SAS (query string without `?`) signed with an account key. Locations handed
 * to executors carry this instead of the key: a SAS is scoped to one container and expires, a key is
 * the whole account forever.
 */
export function containerSasFromKey(accountName: string, container: string, accountKey: string, permissions = 'racwdl', lifetimeMs = KEY_SAS_LIFETIME_MS): string {
  const credential = new StorageSharedKeyCredential(accountName, accountKey);
  return generateBlobSASQueryParameters({ containerName: container, permissions: ContainerSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + lifetimeMs) }, credential).toString();
}
