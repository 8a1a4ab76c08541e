/**
 * Kusto sink options (reference §1.2, §1.4 cross-checks), resolved once before any side effect into a
 * {@link ResolvedKustoSinkOptions}. Defaults follow the connector's documented intent: writeMode
 * Transactional, tableCreateOptions FailIfNotExist, adjustSchema NoAdjustment, clientBatchingLimit
 * 300 MB, stagingResourcesAutoCleanupTimeout 604800 s, streamingIngestSizeInMB 4, writeResultLimit 1.
 * Printing the object (toString, JSON, util.inspect) never shows secrets.
 */
import { inspect } from 'node:util';
import { InvalidParameterException } from '../errors/parameter-errors.js';
import { IngestionStorageParameters } from '../storage/ingestion-storage.js';
import { zoneOffsetResolver } from '../csv/java-time-format.js';
import { describeKustoAuth } from './auth-options.js';
import { resolveCommonOptions, type ResolvedKustoCommonOptions } from './common-options.js';
import { COMMON_KEY_LIST, SINK_KEYS as S } from './option-keys.js';
import { OptionMap, rejectUnknownOptions, type OptionInput } from './option-map.js';
import { SparkIngestionProperties } from './spark-ingestion-properties.js';

export const WRITE_MODES = ['Transactional', 'Queued', 'KustoStreaming'] as const;
export type WriteMode = (typeof WRITE_MODES)[number];
export const TABLE_CREATE_MODES = ['CreateIfNotExist', 'FailIfNotExist'] as const;
export type TableCreateMode = (typeof TABLE_CREATE_MODES)[number];
export const ADJUST_SCHEMA_MODES = ['NoAdjustment', 'FailIfNotMatch', 'GenerateDynamicCsvMapping'] as const;
export type AdjustSchemaMode = (typeof ADJUST_SCHEMA_MODES)[number];

const MB = 1_048_576;

export interface ResolvedKustoSinkOptions extends ResolvedKustoCommonOptions {
  readonly table: string;
  readonly writeMode: WriteMode;
  readonly tableCreateMode: TableCreateMode;
  /** The effective mode (GenerateDynamicCsvMapping when addSourceLocationTransform is on). */
  readonly adjustSchema: AdjustSchemaMode;
  /** `writeEnableAsync`. */
  readonly isAsync: boolean;
  readonly pollingOnDriver: boolean;
  /**
   * `pollingOnDriver=false` given explicitly: the ingestion polling runs as a task on an executor. Unset,
   * kjob polls on the driver (executors would need to trust the status-table endpoint's certificate;
   * see write/README.md).
   */
  readonly pollingOnExecutor: boolean;
  /** Roll over to a new blob after this many uncompressed CSV bytes. */
  readonly clientBatchingLimitBytes: number;
  /** The user's properties (never mutated; see SparkIngestionProperties.with). */
  readonly ingestionProperties: SparkIngestionProperties | undefined;
  readonly stagingResourcesAutoCleanupTimeoutSeconds: number;
  readonly tempTableName: string | undefined;
  readonly streamingIngestSizeBytes: number;
  readonly ingestionStorage: IngestionStorageParameters | undefined;
  /** Rows the returned relation shows: `['T']| take n`, or all with 'none'. */
  readonly writeResultLimit: number | 'none';
  /** Zone for timestamp text in the CSV. @defaultValue 'UTC' */
  readonly timeZone: string;
}

const SINK_KEY_LIST: readonly string[] = [...COMMON_KEY_LIST, ...Object.values(S)];

function parseWriteResultLimit(v: string | undefined): number | 'none' {
  if (v === undefined) return 1;
  if (v.trim().toLowerCase() === 'none') return 'none';
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  throw new InvalidParameterException(`KustoOptions.KUSTO_WRITE_RESULT_LIMIT is set to '${v}'. Must be either 'none' or an integer value`, { option: S.writeResultLimit });
}

function streamingChecks(props: SparkIngestionProperties | undefined): void {
  if (!props) return;
  if (props.ingestByTags.length > 0 || props.dropByTags.length > 0 || props.additionalTags.length > 0 || props.creationTime !== undefined) {
    throw new InvalidParameterException('Ingest by tags / Drop by tags / Additional tags / Creation Time are not supported for streaming ingestion through SparkIngestionProperties', { option: S.sparkIngestionPropertiesJson });
  }
  if (props.csvMapping !== undefined) throw new InvalidParameterException('CSVMapping cannot be used with Spark streaming ingestion', { option: S.sparkIngestionPropertiesJson });
}

/** Resolves and validates sink options. Throws InvalidParameterException with the connector's messages. */
export function resolveKustoSinkOptions(input: OptionInput): ResolvedKustoSinkOptions {
  const o = new OptionMap(input);
  rejectUnknownOptions(o, SINK_KEY_LIST, 'Kusto sink');
  const common = resolveCommonOptions(o, { allowProxy: false });
  const table = o.getNonBlank(S.table);
  if (table === undefined) throw new InvalidParameterException('KUSTO_TABLE parameter is missing. Must provide a destination table name', { option: S.table });
  const writeMode = o.enumValue(S.writeMode, WRITE_MODES, 'Transactional', 'WriteMode');
  const tableCreateMode = o.enumValue(S.tableCreateOptions, TABLE_CREATE_MODES, 'FailIfNotExist', 'SinkTableCreationMode');
  const givenAdjust = o.enumValue(S.adjustSchema, ADJUST_SCHEMA_MODES, 'NoAdjustment', 'SchemaAdjustmentMode');
  const propsJson = o.getNonBlank(S.sparkIngestionPropertiesJson);
  const ingestionProperties = propsJson === undefined ? undefined : SparkIngestionProperties.fromString(propsJson);

  const sourceLocation = common.debug.addSourceLocationTransform;
  if (sourceLocation) {
    if (ingestionProperties?.csvMapping !== undefined || ingestionProperties?.csvMappingNameReference !== undefined) {
      throw new InvalidParameterException('addSourceLocationTransform cannot be used with Spark ingestion properties that already contain a CSV mapping.', { option: 'addSourceLocationTransform' });
    }
    if (o.has(S.adjustSchema) && givenAdjust !== 'GenerateDynamicCsvMapping') {
      throw new InvalidParameterException('addSourceLocationTransform can only be used with GenerateDynamicCsvMapping schema adjustment mode.', { option: 'addSourceLocationTransform' });
    }
  }
  const adjustSchema: AdjustSchemaMode = sourceLocation ? 'GenerateDynamicCsvMapping' : givenAdjust;
  if (adjustSchema === 'GenerateDynamicCsvMapping' && writeMode === 'KustoStreaming') {
    throw new InvalidParameterException('GenerateDynamicCsvMapping cannot be used with Spark streaming ingestion', { option: S.adjustSchema });
  }
  if (adjustSchema === 'GenerateDynamicCsvMapping' && ingestionProperties?.csvMappingNameReference !== undefined) {
    throw new InvalidParameterException('requirement failed: Sink options SparkIngestionProperties.csvMappingNameReference and adjustSchema.GenerateDynamicCsvMapping are not compatible. Use only one.', { option: S.adjustSchema });
  }
  if (writeMode === 'KustoStreaming') streamingChecks(ingestionProperties);

  const tempTableName = o.getNonBlank(S.tempTableName);
  if (tempTableName !== undefined && (tableCreateMode !== 'FailIfNotExist' || writeMode !== 'Transactional')) {
    throw new InvalidParameterException('tempTableName can only be used with FailIfNotExists table create mode and Transactional write mode.', { option: S.tempTableName });
  }
  const storageJson = o.getNonBlank(S.ingestionStorageContainer);
  const timeZone = o.getNonBlank(S.timeZone) ?? 'UTC';
  zoneOffsetResolver(timeZone); // validates the zone now, not in the middle of a write

  const resolved: ResolvedKustoSinkOptions = {
    ...common,
    table,
    writeMode,
    tableCreateMode,
    adjustSchema,
    isAsync: o.boolean(S.writeEnableAsync, false),
    pollingOnDriver: o.boolean(S.pollingOnDriver, false),
    pollingOnExecutor: o.has(S.pollingOnDriver) && !o.boolean(S.pollingOnDriver, false),
    clientBatchingLimitBytes: o.integer(S.clientBatchingLimit, 300, { min: 1, max: 1_000_000 }) * MB,
    ingestionProperties,
    stagingResourcesAutoCleanupTimeoutSeconds: o.integer(S.stagingResourcesAutoCleanupTimeout, 604_800, { min: 1 }),
    tempTableName,
    streamingIngestSizeBytes: o.integer(S.streamingIngestSizeInMB, 4, { min: 1, max: 1024 }) * MB,
    ingestionStorage: storageJson === undefined ? undefined : IngestionStorageParameters.fromString(storageJson),
    writeResultLimit: parseWriteResultLimit(o.get(S.writeResultLimit)),
    timeZone,
  };
  return withSafePrinting(resolved, () => `KustoSinkOptions(cluster: ${common.coordinates.engineUrl}, database: ${common.coordinates.database}, table: ${table}, writeMode: ${writeMode}, auth: ${describeKustoAuth(common.auth)}, requestId: ${common.requestId})`);
}

/** Gives a resolved options object a secret-free toString and util.inspect (JSON is safe via Secret). */
export function withSafePrinting<T extends object>(value: T, describe: () => string): T {
  Object.defineProperty(value, 'toString', { value: describe, enumerable: false });
  Object.defineProperty(value, inspect.custom, { value: describe, enumerable: false });
  return Object.freeze(value);
}

/**
 * Spark's SaveMode check: only append. kjob's API passes lower-case names ('append', 'overwrite' …);
 * the message names Spark's SaveMode as the connector's does.
 */
export function checkSaveMode(mode: string): void {
  const names: Record<string, string> = { append: 'Append', overwrite: 'Overwrite', ignore: 'Ignore', error: 'ErrorIfExists', errorifexists: 'ErrorIfExists' };
  const name = names[mode.toLowerCase()] ?? mode;
  if (name !== 'Append') {
    throw new InvalidParameterException(`Kusto data source supports only 'Append' mode, '${name}' directive is invalid. Please use df.write.mode(SaveMode.Append)..`, { option: 'mode' });
  }
}
