/**
 * Blob URLs whose SAS travels sealed inside a task (src/protocol/sealed-secret.ts): the driver
 * replaces the query string of a file location with its sealed form, `resolveLocation` opens it on
 * the executor. Only the SAS is sealed: the rest of the URL stays readable in split descriptions.
 */
import type { TaskSecretSealer } from '../../protocol/task-secret-key.js';
import { isSealed } from '../../protocol/sealed-secret.js';

const HTTP_WITH_QUERY = /^(https?:\/\/[^?#]+)\?([^#]+)$/i;

/** `location` with its SAS sealed; locations without a query string (local paths, own identity) are unchanged. */
export function sealLocationSas(location: string, sealer: TaskSecretSealer, what: string): string {
  const m = HTTP_WITH_QUERY.exec(location);
  if (!m || isSealed(m[2]!)) return location;
  return `${m[1]}?${sealer.seal(m[2]!, what)}`;
}
