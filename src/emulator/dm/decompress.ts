import { gunzipSync, inflateRawSync } from 'node:zlib';

/**
 * Decompresses a queued blob by its magic bytes, never by its name: the ingest SDK names parquet
 * blobs `….parquet.gz` although they are not gzipped, and already-gzipped files `….csv.gz.gz`.
 * - `1f 8b` → gzip (concatenated members are handled by zlib);
 * - `PK 03 04` → zip: the first file entry (stored or deflated), as the service ingests one file per zip;
 * - anything else is returned as is.
 */
export class BlobFormatError extends Error {
  override name = 'BlobFormatError';
}

export type Compression = 'gzip' | 'zip' | 'none';

export function sniffCompression(data: Buffer): Compression {
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return 'gzip';
  if (data.length >= 4 && data.readUInt32LE(0) === 0x04034b50) return 'zip';
  return 'none';
}

export function decompressBlob(data: Buffer, source: string): { data: Buffer; compression: Compression } {
  const compression = sniffCompression(data);
  try {
    if (compression === 'gzip') return { data: gunzipSync(data), compression };
    if (compression === 'zip') return { data: firstZipEntry(data), compression };
  } catch (e) {
    if (e instanceof BlobFormatError) throw e;
    throw new BlobFormatError(`The blob ${source} starts like ${compression} data but could not be decompressed: ${(e as Error).message}`);
  }
  return { data, compression };
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Reads the first non-directory entry of a zip archive through its central directory. */
function firstZipEntry(zip: Buffer): Buffer {
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new BlobFormatError('zip archive has no end-of-central-directory record');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) throw new BlobFormatError('zip central directory is corrupt');
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    if (compressedSize === 0xffffffff || localOffset === 0xffffffff) throw new BlobFormatError('zip64 archives are not supported by the emulator');
    if (zip.readUInt32LE(localOffset) !== LOCAL) throw new BlobFormatError(`zip entry ${name} has no local header`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const body = zip.subarray(dataStart, dataStart + compressedSize);
    if (method === 0) return Buffer.from(body);
    if (method === 8) return inflateRawSync(body);
    throw new BlobFormatError(`zip entry ${name} uses compression method ${method}; only stored (0) and deflate (8) are supported`);
  }
  throw new BlobFormatError('zip archive contains no file');
}
