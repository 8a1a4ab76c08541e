/**
 * `kustoIngestionStorageContainer`: user-supplied containers for the sink's blobs instead of the
 * cluster's temporary storage (reference §1.2, §3.5). JSON array of `{storageUrl, containerName, userMsi, sas}`.
 */
import { inspect } from 'node:util';
import { InvalidParameterException } from '../errors/parameter-errors.js';
import { unsealTaskSecret, type TaskSecretSealer } from '../../../protocol/task-secret-key.js';

export interface IngestionStorageEntry {
  readonly storageUrl: string;
  readonly containerName: string;
  /** Client id of a user-assigned managed identity for the user-delegation SAS. */
  readonly userMsi?: string;
  /** A SAS used verbatim (must start with `?`); without it kjob creates a user-delegation SAS. */
  readonly sas?: string;
}

function describe(e: IngestionStorageEntry): string {
  return `storageUrl: ${e.storageUrl}, containerName: ${e.containerName}, userMsi: ${e.userMsi ?? ''}, is-sas: ${e.sas !== undefined && e.sas !== ''}`;
}

export class IngestionStorageParameters {
  readonly entries: readonly IngestionStorageEntry[];
  constructor(entries: readonly IngestionStorageEntry[]) {
    if (entries.length === 0) throw new InvalidParameterException('kustoIngestionStorageContainer must list at least one container', { option: 'kustoIngestionStorageContainer' });
    for (const e of entries) {
      if (!e.storageUrl || !e.containerName) {
        throw new InvalidParameterException('storageUrl and containerName must be set when supplying ingestion storage', { option: 'kustoIngestionStorageContainer' });
      }
      if (e.sas !== undefined && e.sas !== '' && !e.sas.startsWith('?')) {
        throw new InvalidParameterException("The sas of an ingestion storage container must start with '?'", { option: 'kustoIngestionStorageContainer' });
      }
    }
    this.entries = entries;
  }

  static fromString(json: string): IngestionStorageParameters {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new InvalidParameterException('kustoIngestionStorageContainer is not valid JSON (expected an array of {storageUrl, containerName, userMsi, sas})', { option: 'kustoIngestionStorageContainer' });
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return new IngestionStorageParameters(
      list.map((o) => {
        if (typeof o !== 'object' || o === null) throw new InvalidParameterException('storageUrl and containerName must be set when supplying ingestion storage', { option: 'kustoIngestionStorageContainer' });
        const m = new Map(Object.entries(o as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), typeof v === 'string' ? v : undefined]));
        const entry: { -readonly [K in keyof IngestionStorageEntry]: IngestionStorageEntry[K] } = { storageUrl: m.get('storageurl') ?? '', containerName: m.get('containername') ?? '' };
        const userMsi = m.get('usermsi');
        // A SAS sealed for the trip through a task (sealIngestionStorageSas) is opened here, at its point of use.
        const rawSas = m.get('sas');
        const sas = rawSas === undefined ? undefined : unsealTaskSecret(rawSas, `the SAS of ingestion container ${m.get('containername') ?? ''}`);
        if (userMsi) entry.userMsi = userMsi;
        if (sas) entry.sas = sas;
        return entry;
      }),
    );
  }

  /**
   * The option's JSON with every `sas` sealed (src/protocol/sealed-secret.ts), for the write state
   * executors receive: `fromString` on the executor opens them again. Without a SAS it is unchanged.
   */
  static sealSas(json: string, sealer: TaskSecretSealer): string {
    const params = IngestionStorageParameters.fromString(json);
    if (!params.entries.some((e) => e.sas)) return json;
    return JSON.stringify(params.entries.map((e) => (e.sas ? { ...e, sas: sealer.seal(e.sas, `the SAS of ingestion container ${e.containerName}`) } : e)));
  }

  /** One entry at random (spreads the load over the given containers). */
  pick(random: () => number = Math.random): IngestionStorageEntry {
    return this.entries[Math.min(this.entries.length - 1, Math.floor(random() * this.entries.length))]!;
  }

  /** Full JSON including SAS tokens, for the code that uploads. Never log it. */
  toInsecureString(): string {
    return JSON.stringify(this.entries);
  }

  toString(): string {
    return this.entries.map(describe).join('; ');
  }

  toJSON(): unknown {
    return this.entries.map(describe);
  }

  [inspect.custom](): string {
    return `IngestionStorageParameters [${this.toString()}]`;
  }
}

/**
 * Sink options with `kustoIngestionStorageContainer`'s SAS sealed, for the write state executors
 * receive (src/protocol/sealed-secret.ts). Call it before any side effect: a redis:// driver without
 * KJOB_TASK_SECRET_KEY fails here with TaskSecretKeyMissingError.
 */
export function withSealedIngestionStorage(options: Readonly<Record<string, string>>, sealer: TaskSecretSealer): Record<string, string> {
  const out: Record<string, string> = { ...options };
  for (const [k, v] of Object.entries(options)) if (k.toLowerCase() === 'kustoingestionstoragecontainer' && v.trim() !== '') out[k] = IngestionStorageParameters.sealSas(v, sealer);
  return out;
}
