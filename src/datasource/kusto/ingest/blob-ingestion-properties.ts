/**
 * The ingestion properties queued with each blob (reference §3.4), as a plain
 * `IngestionPropertiesFields` object for azure-kusto-ingest:
 * - database; table = the staging table (Transactional) or the destination (Queued, KustoStreaming);
 * - flushImmediately, dropByTags, ingestByTags, additionalTags, ingestIfNotExists: only when non-empty;
 * - creationTime → additional property; csvMapping → `ingestionMapping` + `ingestionMappingType=Csv`;
 *   csvMappingNameReference → a CSV mapping reference; format always CSV;
 * - Transactional reports to the status table with failures and successes, so commits can poll;
 *   Queued keeps the SDK defaults.
 * kjob additions: the attempt tag (Transactional exactly-once) rides in `dropByTags`; an optional
 * per-blob dedup tag goes into ingestByTags + ingestIfNotExists (Queued redelivery).
 */
import type { DataFormat, IngestionMappingKind, IngestionProperties, ReportLevel, ReportMethod } from 'azure-kusto-ingest';
import type { ResolvedKustoSinkOptions } from '../options/sink-options.js';

/** The SDK's `IngestionPropertiesFields` (not exported by name): what `ingestFromBlob` accepts. */
export type IngestionPropertiesFields = Omit<IngestionProperties, 'validate' | 'merge' | 'setDefaults'>;

// The SDK's enum values, written out: this module imports SDK types only (no runtime SDK code).
const CSV_FORMAT = 'csv' as DataFormat;
const CSV_MAPPING_KIND = 'Csv' as IngestionMappingKind;
const REPORT_LEVEL_FAILURES_AND_SUCCESSES = 2 as ReportLevel;
const REPORT_METHOD_TABLE = 1 as ReportMethod;

export interface BlobIngestionContext {
  /** The staging table in Transactional mode; ignored otherwise (the destination is used). */
  readonly stagingTable?: string;
  /** True for a sealed blob on roll-over (the connector flushes those unless disableFlushImmediately). */
  readonly sealedOnRollOver: boolean;
  /** Tag value (without `drop-by:`) naming the task attempt; Transactional exactly-once. */
  readonly attemptTag?: string;
  /** Tag value (without `ingest-by:`) identifying this blob, for ingestIfNotExists dedup. */
  readonly dedupTag?: string;
}

export function blobIngestionProperties(options: ResolvedKustoSinkOptions, ctx: BlobIngestionContext): IngestionPropertiesFields {
  const user = options.ingestionProperties;
  const transactional = options.writeMode === 'Transactional';
  if (transactional && !ctx.stagingTable) throw new TypeError('Transactional blobs need the staging table name');
  const props: IngestionPropertiesFields = {
    database: options.coordinates.database,
    table: transactional ? ctx.stagingTable! : options.table,
    format: CSV_FORMAT,
    flushImmediately: ctx.sealedOnRollOver && !options.debug.disableFlushImmediately ? true : (user?.flushImmediately ?? false),
  };
  const dropBy = [...(user?.dropByTags ?? []), ...(ctx.attemptTag ? [ctx.attemptTag] : [])];
  const ingestBy = [...(user?.ingestByTags ?? []), ...(ctx.dedupTag ? [ctx.dedupTag] : [])];
  if (dropBy.length) props.dropByTags = dropBy;
  if (ingestBy.length) props.ingestByTags = ingestBy;
  if (user?.additionalTags.length) props.additionalTags = [...user.additionalTags];
  // The user's ingestIfNotExists is checked against the destination by the driver (reference §3.9);
  // per blob only the blob's own dedup tag is sent (the staging table would never hold the user's).
  if (ctx.dedupTag) props.ingestIfNotExists = JSON.stringify([ctx.dedupTag]);
  const additional: Record<string, string> = {};
  if (user?.creationTime) additional.creationTime = user.creationTime.toISOString();
  if (user?.csvMapping !== undefined) {
    additional.ingestionMapping = user.csvMapping;
    additional.ingestionMappingType = 'Csv';
  }
  if (Object.keys(additional).length) props.additionalProperties = additional;
  if (user?.csvMappingNameReference !== undefined) {
    props.ingestionMappingReference = user.csvMappingNameReference;
    props.ingestionMappingKind = CSV_MAPPING_KIND;
  }
  if (transactional) {
    props.reportLevel = REPORT_LEVEL_FAILURES_AND_SUCCESSES;
    props.reportMethod = REPORT_METHOD_TABLE;
  }
  return props;
}
