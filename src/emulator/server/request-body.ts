import type { IncomingMessage } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { KustoServiceError } from '../contracts.js';

/** Reads a request body, bounded, and undoes `content-encoding: gzip|deflate`. */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new KustoServiceError(413, 'BadRequest_RequestTooLarge', `Request body exceeds ${limitBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  const enc = String(req.headers['content-encoding'] ?? '').toLowerCase();
  if (enc.includes('gzip') || enc.includes('deflate')) return decompress(raw, enc);
  return raw;
}

/**
 * Decompresses by magic bytes rather than trusting the header: the SDK labels zip payloads as
 * gzip, and an uncompressed body labelled gzip is passed through.
 */
export function decompress(raw: Buffer, encodingHint = ''): Buffer {
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw);
    } catch (err) {
      throw new KustoServiceError(400, 'BadRequest_InvalidCompression', `The gzip body cannot be decompressed: ${(err as Error).message}`);
    }
  }
  if (raw.length >= 4 && raw.readUInt32LE(0) === 0x04034b50) {
    throw new KustoServiceError(400, 'BadRequest_UnsupportedCompression', 'Zip payloads are not supported for streaming ingestion by the kjob emulator; send gzip or uncompressed data.');
  }
  if (encodingHint.includes('deflate')) {
    try {
      return inflateSync(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}
