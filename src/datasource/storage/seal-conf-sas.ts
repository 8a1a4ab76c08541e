import type { DriverContext } from '../datasource.js';
import { taskSecretSealerFor } from '../../protocol/task-secret-key.js';
import { credentialsFromConf } from './location.js';
import { sealLocationSas } from './sealed-location.js';

const CONF_SAS = 'the SAS of the storage (from the session conf)';

/**
 * File splits of a read whose paths took their credentials from the session conf (wasbs://, abfss:// …)
 * carry the resolved SAS in their `file` URL; it travels sealed so that it never reaches Redis in clear.
 * A SAS the user wrote into an https path is their own text and is left as written.
 */
export function sealConfSasInSplits<S extends { readonly file: string }>(paths: readonly string[], splits: readonly S[], ctx: DriverContext): S[] {
  if (!paths.some(credentialsFromConf)) return [...splits];
  const sealer = ctx.taskSecrets ?? taskSecretSealerFor(undefined);
  return splits.map((split) => ({ ...split, file: sealLocationSas(split.file, sealer, CONF_SAS) }));
}
