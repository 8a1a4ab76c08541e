import { ParquetFile } from 'parquet-wasm/node';
import { tableFromIPC, type Schema } from 'apache-arrow';
import { openRandomAccess, type RandomAccessBlob } from '../storage/random-access.js';
import type { FileEntry } from '../storage/location.js';
import { displayLocation } from '../storage/location.js';
import { ParquetFileError } from './parquet-errors.js';
import { normalizeSchema } from './arrow-normalize.js';

export interface RowGroupInfo {
  readonly rows: number;
  readonly compressedBytes: number;
  /** Compressed bytes per top-level column, for split sizing under column pruning. */
  readonly columnBytes: Readonly<Record<string, number>>;
}

export interface ParquetFooter {
  readonly schema: Schema;
  readonly numRows: number;
  readonly rowGroups: readonly RowGroupInfo[];
}

const MAGIC = 'PAR1';

/** Opens a Parquet file (only its footer is fetched), checking the magic bytes first for a clear error. */
export async function openParquet(entry: FileEntry, conf: ReadonlyMap<string, string>): Promise<ParquetFile> {
  const blob = await openRandomAccess(entry.location, conf, entry.size);
  await checkMagic(blob, entry.location);
  try {
    return await ParquetFile.fromFile(blob as unknown as Blob);
  } catch (e) {
    throw new ParquetFileError(displayLocation(entry.location), String((e as Error).message ?? e));
  }
}

async function checkMagic(blob: RandomAccessBlob, location: string): Promise<void> {
  if (blob.size < 12) throw new ParquetFileError(displayLocation(location), `not a Parquet file (only ${blob.size} bytes; a Parquet file has at least 12)`);
  const head = Buffer.from(await blob.slice(0, 4).arrayBuffer()).toString('latin1');
  const tail = Buffer.from(await blob.slice(blob.size - 4, blob.size).arrayBuffer()).toString('latin1');
  if (head !== MAGIC || tail !== MAGIC) {
    throw new ParquetFileError(displayLocation(location), `not a Parquet file (magic bytes ${JSON.stringify(head)}…${JSON.stringify(tail)}, expected "PAR1"…"PAR1")`);
  }
}

/** Reads schema and row-group sizes from the footer. */
export async function readFooter(entry: FileEntry, conf: ReadonlyMap<string, string>): Promise<ParquetFooter> {
  const file = await openParquet(entry, conf);
  try {
    const schema = normalizeSchema(tableFromIPC(file.schema().intoIPCStream()).schema);
    const meta = file.metadata();
    const rowGroups: RowGroupInfo[] = meta.rowGroups().map((rg) => {
      const columnBytes: Record<string, number> = {};
      for (const c of rg.columns()) {
        const top = c.columnPath()[0] ?? '';
        columnBytes[top] = (columnBytes[top] ?? 0) + c.compressedSize();
        c.free();
      }
      const info = { rows: rg.numRows(), compressedBytes: rg.compressedSize(), columnBytes };
      rg.free();
      return info;
    });
    const numRows = meta.fileMetadata().numRows();
    meta.free();
    return { schema, numRows, rowGroups };
  } finally {
    file.free();
  }
}
