/** `KustoDebugOptions` (reference §1.4): tuning knobs "not for production", validated like the rest. */
import { InvalidParameterException } from '../errors/parameter-errors.js';
import { DEBUG_KEYS as D } from './option-keys.js';
import type { OptionMap } from './option-map.js';

export interface ResolvedKustoDebugOptions {
  /** Split a move into batches of nodes × this many extents. @defaultValue 400 */
  readonly maximalExtentsCountForSplitMergePerNode: number;
  /** @defaultValue 10 */
  readonly maxRetriesOnMoveExtents: number;
  /** Do not flush sealed blobs immediately on roll-over. @defaultValue false */
  readonly disableFlushImmediately: boolean;
  /** @defaultValue false */
  readonly ensureNoDuplicatedBlobs: boolean;
  /** Add the source blob URL as column `ingestion_source_location_url_blob_internal`. @defaultValue false */
  readonly addSourceLocationTransform: boolean;
  /** Distributed-read partitioning; only `hash`. */
  readonly partitionMode: 'hash' | undefined;
  /** Distributed-read export partitions. @defaultValue 1 */
  readonly numPartitions: number;
  readonly partitionColumn: string | undefined;
}

export function resolveDebugOptions(o: OptionMap): ResolvedKustoDebugOptions {
  for (const key of [D.keyVaultPemFilePath, D.keyVaultPemFileKey]) {
    if (o.has(key)) throw new InvalidParameterException(`Option '${key}' is not supported (the connector never implemented it)`, { option: key });
  }
  const mode = o.get(D.partitionMode);
  if (mode !== undefined && mode !== 'hash') throw new InvalidParameterException(`Option '${D.partitionMode}' supports only hash, got '${mode}'`, { option: D.partitionMode });
  return {
    maximalExtentsCountForSplitMergePerNode: o.integer(D.maximalExtentsCountForSplitMergePerNode, 400, { min: 1 }),
    maxRetriesOnMoveExtents: o.integer(D.maxRetriesOnMoveExtents, 10, { min: 0 }),
    disableFlushImmediately: o.boolean(D.disableFlushImmediately, false),
    ensureNoDuplicatedBlobs: o.boolean(D.ensureNoDuplicatedBlobs, false),
    addSourceLocationTransform: o.boolean(D.addSourceLocationTransform, false),
    partitionMode: mode === 'hash' ? 'hash' : undefined,
    numPartitions: o.integer(D.numPartitions, 1, { min: 1 }),
    partitionColumn: o.getNonBlank(D.partitionColumn),
  };
}
