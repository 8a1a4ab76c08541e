/** Errors that stop `kjob doctor` before it can report (exit code 2: usage or connection). */
import { KjobError, type KjobErrorDetails } from '../errors/kjob-error.js';

/** The cluster did not answer the first command: nothing else can be checked. */
export class DoctorConnectionError extends KjobError {
  override name = 'DoctorConnectionError';
  constructor(clusterUrl: string, database: string, reason: string, details: KjobErrorDetails = {}) {
    super('KUSTO_REQUEST_FAILED', `Could not reach database '${database}' on ${clusterUrl}: ${reason}`, {
      likelyCause: 'The cluster URL is wrong or unreachable, or the credential was refused (HTTP 401/403).',
      resolution: 'Check --cluster (https://<cluster>.<region>.kusto.windows.net, or the emulator URL) and the auth flags / KUSTO_ACCESS_TOKEN / az login.',
      ...details,
      context: { clusterUrl, database, ...details.context },
    });
  }
}

/** `--cleanup` without a terminal to confirm on and without `--yes`. */
export class CleanupNotConfirmedError extends KjobError {
  override name = 'CleanupNotConfirmedError';
  constructor(tables: number) {
    super('CONFIG_INVALID', `--cleanup would drop ${tables} table(s) but there is no terminal to confirm on`, {
      resolution: 'Re-run with --cleanup --yes to drop them without asking (after checking that no write is running).',
      context: { option: '--cleanup' },
    });
  }
}
