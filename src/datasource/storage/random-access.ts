import { openAsBlob, createReadStream } from 'node:fs';
import { resolveLocation } from './location.js';
import { containerClientFor } from './blob-client.js';
import { blobError } from './blob-files.js';
import { redact } from '../../util/redact.js';

/**
 * The structural subset of a DOM Blob that parquet-wasm's `ParquetFile.fromFile` uses (`size`,
 * `slice`, `arrayBuffer`): it fetches only the footer and the column chunks it needs, so a reader
 * never holds a whole file.
 */
export interface RandomAccessBlob {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** Opens a file for random access. `knownSize` (from the listing) saves a metadata round trip for blobs. */
export async function openRandomAccess(location: string, conf: ReadonlyMap<string, string>, knownSize?: number): Promise<RandomAccessBlob> {
  const loc = resolveLocation(location, conf);
  if (loc.kind === 'local') return (await openAsBlob(loc.path)) as unknown as RandomAccessBlob;
  const blob = containerClientFor(loc.address).getBlobClient(loc.address.path);
  let size = knownSize;
  if (size === undefined) {
    try {
      size = (await blob.getProperties()).contentLength ?? 0;
    } catch (e) {
      throw blobError(e, `Reading ${redact(location)} failed`);
    }
  }
  return new RangedBlob(size, 0, size, async (offset, count) => {
    try {
      return await blob.downloadToBuffer(offset, count);
    } catch (e) {
      throw blobError(e, `Reading bytes ${offset}-${offset + count} of ${redact(location)} failed`);
    }
  });
}

/** A lazily read window of a remote blob; every `arrayBuffer()` is one ranged GET. */
class RangedBlob implements RandomAccessBlob {
  constructor(
    private readonly total: number,
    private readonly from: number,
    private readonly to: number,
    private readonly fetchRange: (offset: number, count: number) => Promise<Buffer>,
  ) {}
  get size(): number {
    return this.to - this.from;
  }
  slice(start = 0, end = this.size): RangedBlob {
    const clamp = (v: number) => Math.max(0, Math.min(this.size, v < 0 ? this.size + v : v));
    return new RangedBlob(this.total, this.from + clamp(start), this.from + Math.max(clamp(start), clamp(end)), this.fetchRange);
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const count = this.to - this.from;
    if (count === 0) return new ArrayBuffer(0);
    const buf = await this.fetchRange(this.from, count);
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  }
}

/** Streams bytes [start, end) of a file in chunks of about `chunkBytes`. */
export async function* readByteRange(location: string, conf: ReadonlyMap<string, string>, start: number, end: number, chunkBytes = 1 << 20): AsyncGenerator<Buffer> {
  if (end <= start) return;
  const loc = resolveLocation(location, conf);
  if (loc.kind === 'local') {
    const stream = createReadStream(loc.path, { start, end: end - 1, highWaterMark: chunkBytes });
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } finally {
      stream.destroy();
    }
    return;
  }
  const blob = containerClientFor(loc.address).getBlobClient(loc.address.path);
  // Bounded ranged GETs rather than one long download: each request is retried independently by the SDK.
  const step = Math.max(chunkBytes, 4 << 20);
  for (let offset = start; offset < end; offset += step) {
    const count = Math.min(step, end - offset);
    try {
      yield await blob.downloadToBuffer(offset, count);
    } catch (e) {
      throw blobError(e, `Reading bytes ${offset}-${offset + count} of ${redact(location)} failed`);
    }
  }
}
