/**
 * The Distributed read's `.export async [compressed ]to parquet (…) with (…) <| query` (reference §4.4
 * step 7, golden-tested against the connector's CslCommandsGeneratorTest vectors). Kept from the
 * connector: the order of the `with` properties and the dangling comma when no extra options are
 * given (`compressionType="snappy",)`, which Kusto accepts). Fixed:
 * - option values are escaped literals (the connector pasted them raw: `k="v"` could break out);
 *   option keys must be plain identifiers;
 * - `useNativeParquetWriter` is emitted once (the connector emitted it twice);
 * - partitioned exports cover disjoint slices: each partition's query carries its own predicate
 *   (the connector computed the predicate but never used it, duplicating the data N times).
 */
import { ConfigError } from '../../../errors/kjob-error.js';
import type { TransientStorageCredential } from '../storage/transient-storage.js';
import { normalizeQuery } from './query-forms.js';
import { hiddenVerbatimString, quoteIdentifier, quoteStringDouble } from './quote.js';

/** One destination URL of an export and how Kusto authenticates to it. */
export type ExportTarget =
  | { readonly kind: 'sas'; readonly containerUrl: string; readonly sas: string }
  | { readonly kind: 'key'; readonly containerUrl: string; readonly accountKey: string }
  | { readonly kind: 'impersonation'; readonly containerUrl: string };

/** The export target of a transient-storage credential (OneLake → its https URL with impersonation). */
export function exportTargetOf(credential: TransientStorageCredential, endpointSuffix: string): ExportTarget {
  if (credential.authMethod === 'OneLake') return { kind: 'impersonation', containerUrl: credential.oneLake.httpsUrl };
  const endpoint = credential.blobEndpoint ?? `https://${credential.storageAccountName}.blob.${credential.domainSuffix ?? endpointSuffix}`;
  const containerUrl = `${endpoint}/${credential.blobContainer}`;
  switch (credential.authMethod) {
    case 'Sas':
      return { kind: 'sas', containerUrl, sas: credential.sasKey };
    case 'Key':
      return { kind: 'key', containerUrl, accountKey: credential.storageAccountKey };
    case 'Impersonation':
      return { kind: 'impersonation', containerUrl };
  }
}

/** `"<base>" h@"<sas>"`, `"<base>?" h@"<sas>"`, `"<base>;" h@"<key>"` or `"<base>;impersonate"`. */
export function exportUrlText(target: ExportTarget): string {
  switch (target.kind) {
    case 'sas':
      return target.sas.startsWith('?') ? `${quoteStringDouble(target.containerUrl)} ${hiddenVerbatimString(target.sas)}` : `${quoteStringDouble(`${target.containerUrl}?`)} ${hiddenVerbatimString(target.sas)}`;
    case 'key':
      return `${quoteStringDouble(`${target.containerUrl};`)} ${hiddenVerbatimString(target.accountKey)}`;
    case 'impersonation':
      return quoteStringDouble(`${target.containerUrl};impersonate`);
  }
}

export interface ExportCommandInput {
  /** The query to export, already pruned and filtered (see expression-to-kql.ts `pruneAndFilter`). */
  readonly query: string;
  readonly targets: readonly ExportTarget[];
  /** The export directory, e.g. `db/dir<uuid>/` (see naming/export-directory.ts). */
  readonly directory: string;
  readonly partitionIndex: number;
  /** `kustoExportOptionsJson`: values as strings. Keys compared case-insensitively. */
  readonly exportOptions?: Readonly<Record<string, string>>;
  /** A KQL predicate selecting this partition's disjoint slice (see {@link hashPartitionPredicate}). */
  readonly partitionPredicate?: string;
  /** Called with a warning (e.g. a user `namePrefix` is ignored). */
  readonly warn?: (message: string) => void;
}

const RESERVED = new Set(['compressiontype', 'nameprefix', 'sizelimit', 'compressed', 'async', 'usenativeparquetwriter']);
const OPTION_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function optionLookup(options: Readonly<Record<string, string>>): (key: string) => string | undefined {
  const m = new Map(Object.entries(options).map(([k, v]) => [k.toLowerCase(), v]));
  return (key) => m.get(key.toLowerCase());
}

/** Builds one partition's export command. */
export function exportCommand(input: ExportCommandInput): string {
  if (input.targets.length === 0) throw new ConfigError('An export needs at least one storage target');
  if (!Number.isInteger(input.partitionIndex) || input.partitionIndex < 0) throw new ConfigError(`Invalid export partition index ${input.partitionIndex}`);
  const options = input.exportOptions ?? {};
  const get = optionLookup(options);
  const compressed = get('compressed')?.toLowerCase() === 'none' ? '' : 'compressed ';
  const urls = input.targets.map(exportUrlText).join(',');

  const sizeLimitMb = get('sizeLimit');
  let sizeLimit = '';
  if (sizeLimitMb !== undefined) {
    const mb = Number(sizeLimitMb);
    if (!Number.isInteger(mb) || mb <= 0) throw new ConfigError(`kustoExportOptionsJson: sizeLimit must be a positive whole number of MB, got '${sizeLimitMb}'`, { context: { option: 'kustoExportOptionsJson' } });
    sizeLimit = `sizeLimit=${mb * 1024 * 1024} ,`;
  }
  const nativeWriter = get('useNativeParquetWriter');
  let native = '';
  if (nativeWriter !== undefined) {
    if (!/^(true|false)$/i.test(nativeWriter)) throw new ConfigError(`kustoExportOptionsJson: useNativeParquetWriter must be true or false, got '${nativeWriter}'`, { context: { option: 'kustoExportOptionsJson' } });
    native = `useNativeParquetWriter=${nativeWriter.toLowerCase()}, `;
  }
  if (get('namePrefix') !== undefined) input.warn?.("kustoExportOptionsJson: 'namePrefix' is ignored; kjob names the exported files itself");
  const compressionType = get('compressionType') ?? 'snappy';
  const extras = Object.entries(options)
    .filter(([k]) => !RESERVED.has(k.toLowerCase()))
    .map(([k, v]) => {
      if (!OPTION_KEY.test(k)) throw new ConfigError(`kustoExportOptionsJson: '${k}' is not a valid export property name`, { context: { option: 'kustoExportOptionsJson' } });
      return `${k}=${quoteStringDouble(v)}`;
    });
  const namePrefix = quoteStringDouble(`${input.directory}part${input.partitionIndex}`);
  const query = input.partitionPredicate === undefined ? normalizeQuery(input.query) : `${normalizeQuery(input.query)}\n| where ${input.partitionPredicate}`;
  return `.export async ${compressed}to parquet (${urls}) with (${sizeLimit}${native} namePrefix=${namePrefix}, compressionType=${quoteStringDouble(compressionType)},${extras.join(',')}) <| ${query}`;
}

/**
 * `hash(tostring(['c']), N) == i`: partition i of N, disjoint and covering (null hashes as "").
 * Without columns the whole row is hashed.
 */
export function hashPartitionPredicate(columns: readonly string[], partitions: number, index: number): string {
  if (!Number.isInteger(partitions) || partitions < 1 || !Number.isInteger(index) || index < 0 || index >= partitions) {
    throw new ConfigError(`Invalid export partition ${index} of ${partitions}`);
  }
  const key = columns.length === 0 ? 'tostring(pack_all())' : columns.length === 1 ? `tostring(${quoteIdentifier(columns[0]!)})` : `strcat_delim('\\u0001', ${columns.map((c) => `tostring(${quoteIdentifier(c)})`).join(', ')})`;
  return `hash(${key}, ${partitions}) == ${index}`;
}
