/**
 * Kusto source options (reference §1.3), resolved once into a {@link ResolvedKustoSourceOptions}.
 * Pushdown defaults to on, or off when the transient cache is on; `queryFilterPushDown` overrides.
 */
import { InvalidParameterException } from '../errors/parameter-errors.js';
import type { StorageProtocol } from '../storage/hadoop-storage-conf.js';
import { TransientStorageParameters } from '../storage/transient-storage.js';
import { describeKustoAuth } from './auth-options.js';
import { resolveCommonOptions, type ResolvedKustoCommonOptions } from './common-options.js';
import { COMMON_KEY_LIST, SOURCE_KEYS as Q } from './option-keys.js';
import { OptionMap, rejectUnknownOptions, type OptionInput } from './option-map.js';
import { withSafePrinting } from './sink-options.js';

export const READ_MODES = ['ForceSingleMode', 'ForceDistributedMode'] as const;
export type ReadMode = (typeof READ_MODES)[number];

export interface ResolvedKustoSourceOptions extends ResolvedKustoCommonOptions {
  readonly query: string;
  /** undefined: decide by row-count estimate (§4.2). */
  readonly readMode: ReadMode | undefined;
  readonly transientStorage: TransientStorageParameters | undefined;
  readonly distributedReadModeTransientCache: boolean;
  readonly queryFilterPushDown: boolean;
  /** `kustoExportOptionsJson`, values as text. */
  readonly exportOptions: Readonly<Record<string, string>>;
  readonly storageProtocol: StorageProtocol;
  /** A Spark DDL schema string; when given, no `take 0` schema query runs. */
  readonly customSchema: string | undefined;
}

const SOURCE_KEY_LIST: readonly string[] = [...COMMON_KEY_LIST, ...Object.values(Q)];

function parseExportOptions(raw: string | undefined): Record<string, string> {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidParameterException(`The configuration for kustoExportOptionsJson has a value ${raw} that cannot be parsed as Map`, { option: Q.exportOptionsJson });
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (v === null || typeof v === 'object') throw new InvalidParameterException(`The configuration for kustoExportOptionsJson has a value ${raw} that cannot be parsed as Map`, { option: Q.exportOptionsJson });
    out[k] = String(v);
  }
  return out;
}

function parseStorageProtocol(raw: string | undefined): StorageProtocol {
  if (raw === undefined) return 'wasbs';
  const p = raw.trim().toLowerCase();
  if (p === 'wasbs' || p === 'abfs' || p === 'abfss') return p;
  throw new InvalidParameterException(`Invalid value for storageProtocol: '${raw}'. Must be either 'wasbs', 'abfs', or 'abfss'.`, { option: Q.storageProtocol });
}

export function resolveKustoSourceOptions(input: OptionInput): ResolvedKustoSourceOptions {
  const o = new OptionMap(input);
  rejectUnknownOptions(o, SOURCE_KEY_LIST, 'Kusto source');
  const common = resolveCommonOptions(o, { allowProxy: true });
  const query = (o.get(Q.query) ?? '').trim();
  if (query === '') throw new InvalidParameterException('Query is empty', { option: Q.query });
  if (query.startsWith('.')) throw new InvalidParameterException('Spark connector cannot run Kusto commands. Please provide a valid query', { option: Q.query });
  const readModeRaw = o.get(Q.readMode);
  const readMode = readModeRaw === undefined ? undefined : o.enumValue(Q.readMode, READ_MODES, 'ForceSingleMode', 'ReadMode');
  const cache = o.boolean(Q.transientCache, false);
  const storageJson = o.getNonBlank(Q.transientStorage);
  const resolved: ResolvedKustoSourceOptions = {
    ...common,
    query,
    readMode,
    transientStorage: storageJson === undefined ? undefined : TransientStorageParameters.fromString(storageJson),
    distributedReadModeTransientCache: cache,
    queryFilterPushDown: o.boolean(Q.queryFilterPushDown, !cache),
    exportOptions: parseExportOptions(o.get(Q.exportOptionsJson)),
    storageProtocol: parseStorageProtocol(o.get(Q.storageProtocol)),
    customSchema: o.getNonBlank(Q.customSchema),
  };
  return withSafePrinting(resolved, () => `KustoSourceOptions(cluster: ${common.coordinates.engineUrl}, database: ${common.coordinates.database}, readMode: ${readMode ?? 'auto'}, auth: ${describeKustoAuth(common.auth)}, requestId: ${common.requestId})`);
}
