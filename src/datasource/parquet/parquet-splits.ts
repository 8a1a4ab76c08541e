import type { Split } from '../datasource.js';
import { displayLocation } from '../storage/location.js';
import type { RowGroupInfo } from './parquet-footer.js';

/** One task's share of a Parquet dataset: consecutive row groups of one file. */
export interface ParquetSplit extends Split {
  readonly file: string;
  readonly fileSize: number;
  readonly rowGroups: readonly number[];
  readonly rows: number;
  /** Top-level columns to read; absent = the schema's columns. */
  readonly columns?: readonly string[];
  readonly estimatedBytes: number;
  readonly description: string;
}

export interface FileRowGroups {
  readonly location: string;
  readonly size: number;
  readonly rowGroups: readonly RowGroupInfo[];
}

/**
 * Packs consecutive row groups of each file into splits of about `maxSplitBytes` (compressed bytes
 * of the needed columns). A row group is never cut, so a file with several row groups spreads over
 * several tasks and a file with one huge row group stays one split.
 */
export function planParquetSplits(files: readonly FileRowGroups[], maxSplitBytes: number, columns?: readonly string[]): ParquetSplit[] {
  const splits: ParquetSplit[] = [];
  for (const file of files) {
    let groups: number[] = [];
    let bytes = 0;
    let rows = 0;
    const flush = () => {
      if (groups.length === 0) return;
      const range = groups.length === 1 ? `${groups[0]}` : `${groups[0]}-${groups[groups.length - 1]}`;
      splits.push({
        file: file.location,
        fileSize: file.size,
        rowGroups: groups,
        rows,
        ...(columns ? { columns: [...columns] } : {}),
        estimatedBytes: bytes,
        description: `${displayLocation(file.location)} row groups ${range}`,
      });
      groups = [];
      bytes = 0;
      rows = 0;
    };
    file.rowGroups.forEach((rg, index) => {
      const size = columns ? columns.reduce((s, c) => s + (rg.columnBytes[c] ?? 0), 0) : rg.compressedBytes;
      if (groups.length > 0 && bytes + size > maxSplitBytes) flush();
      groups.push(index);
      bytes += size;
      rows += rg.rows;
    });
    flush();
  }
  return splits;
}
