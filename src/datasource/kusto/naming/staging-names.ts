/**
 * Names of everything a Kusto write or read creates: the staging table, blobs, export directories
 * and extent tags. All are deterministic functions of the job's ids, so a retried task attempt
 * rewrites the same blob and a driver can find (and clean up) what a job left behind.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../../../errors/kjob-error.js';

const NON_ALNUM = /[^0-9a-zA-Z]/g;
/** Kusto allows table names up to 1024 characters. */
const MAX_TABLE_NAME = 1024;
/** Extent tags stay short: long tags bloat extent metadata. */
const MAX_TAG_LENGTH = 128;

function shortHash(text: string, chars = 24): string {
  return createHash('sha256').update(text).digest('hex').slice(0, chars);
}

/**
 * `sparkTempTable_<app>_<table><batchId>_<requestId>` with every non-alphanumeric character → `_`
 * (reference §3.1 step 2; the batch id follows the table with no separator). The `sparkTempTable_`
 * prefix is kept so that tools looking for leftover staging tables (`kjob doctor`) find kjob's too.
 */
export function stagingTableName(parts: { appName: string; table: string; batchId?: number | string; requestId: string }): string {
  const raw = `sparkTempTable_${parts.appName}_${parts.table}${parts.batchId ?? ''}_${parts.requestId}`;
  const name = raw.replace(NON_ALNUM, '_');
  return name.length <= MAX_TABLE_NAME ? name : `sparkTempTable_${shortHash(raw, 40)}`;
}

export interface BlobNameParts {
  readonly database: string;
  /** The staging table name (Queued mode builds one too, only for names). */
  readonly stagingTable: string;
  readonly partition: number;
  /** The task attempt writing the blob (0-based). */
  readonly attempt: number;
  /** 0 for the first blob of the attempt, then 1, 2 … at each roll-over (a counter, not a row index). */
  readonly blobIndex: number;
}

/**
 * `<db>_<staging table>_p<partition>_a<attempt>_b<blobIndex>_kjob.csv.gz`. The connector used a
 * random UUID and a timestamp, so a retried task wrote new blobs; this name is the same for the same
 * attempt and blob, so a re-upload replaces the blob instead of duplicating it.
 */
export function blobName(p: BlobNameParts): string {
  for (const [k, v] of Object.entries({ partition: p.partition, attempt: p.attempt, blobIndex: p.blobIndex })) {
    if (!Number.isInteger(v) || v < 0) throw new ConfigError(`blob name: ${k} must be a non-negative integer, got ${v}`);
  }
  const prefix = `${p.database.replace(NON_ALNUM, '_')}_${p.stagingTable}`;
  const safePrefix = prefix.length <= 900 ? prefix : shortHash(prefix, 40);
  return `${safePrefix}_p${p.partition}_a${p.attempt}_b${p.blobIndex}_kjob.csv.gz`;
}

/** `<database>/dir<uuid>/` with every character outside `[0-9a-zA-Z/]` → `_` (reference §4.4 step 5). */
export function exportDirectory(database: string, uuid: string): string {
  return `${database}/dir${uuid}/`.replace(/[^0-9a-zA-Z/]/g, '_');
}

function boundedTag(prefix: string, body: string): string {
  const tag = `${prefix}${body}`;
  return tag.length <= MAX_TAG_LENGTH ? tag : `${prefix}kjob-${shortHash(body, 40)}`;
}

/**
 * The tag every extent of one task attempt carries in the staging table (Transactional exactly-once,
 * see kql/extent-commands.ts). A `drop-by:` tag: made for selecting extents, not indexed for dedup.
 */
export function attemptExtentTag(requestId: string, partition: number, attempt: number): string {
  return `drop-by:${attemptTagValue(requestId, partition, attempt)}`;
}

/** The attempt tag without its `drop-by:` prefix: what the ingest SDK's `dropByTags` takes (it adds the prefix). */
export function attemptTagValue(requestId: string, partition: number, attempt: number): string {
  return boundedTag('drop-by:', `kjob-${requestId}-p${partition}-a${attempt}`).slice('drop-by:'.length);
}

/**
 * The `ingestIfNotExists` / `ingest-by:` value of one blob in Queued mode: a redelivered queue message
 * or a re-queued blob of the same attempt is skipped by the service instead of ingested twice.
 */
export function queuedBlobIngestByTag(requestId: string, partition: number, blobIndex: number): string {
  const body = `kjob:${requestId}:${partition}:${blobIndex}`;
  return body.length <= MAX_TAG_LENGTH - 'ingest-by:'.length ? body : `kjob:${shortHash(body, 40)}`;
}
