/**
 * One blob being written: CSV chunks go through gzip straight into a block-blob upload while the
 * encoder produces them (bounded memory: the encoder's chunk, gzip's window and the upload's buffers,
 * never the whole blob). Counts raw and compressed bytes.
 */
import { once } from 'node:events';
import { Transform, type TransformCallback } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';
import type { ContainerClient } from '@azure/storage-blob';

/** Upload block size and parallel blocks: 4 MiB × 2 keeps an upload's memory near 8 MiB. */
const UPLOAD_BUFFER_BYTES = 4 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 2;

class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

export interface SealedBlob {
  readonly name: string;
  /** URL with the container's SAS: goes to the ingest SDK only, never into logs or messages. */
  readonly urlWithSas: string;
  readonly rawBytes: number;
  readonly compressedBytes: number;
  readonly rows: number;
}

export class BlobUpload {
  readonly name: string;
  readonly #gzip: Gzip;
  readonly #counter = new ByteCounter();
  readonly #upload: Promise<unknown>;
  readonly #url: string;
  #failed: unknown;
  rawBytes = 0;
  rows = 0;

  constructor(container: ContainerClient, name: string, gzipLevel: number, signal?: AbortSignal) {
    this.name = name;
    const blob = container.getBlockBlobClient(name);
    this.#url = blob.url;
    this.#gzip = createGzip({ level: gzipLevel });
    this.#gzip.pipe(this.#counter);
    this.#upload = blob
      .uploadStream(this.#counter, UPLOAD_BUFFER_BYTES, UPLOAD_CONCURRENCY, {
        blobHTTPHeaders: { blobContentType: 'text/csv', blobContentEncoding: 'gzip' },
        ...(signal ? { abortSignal: signal } : {}),
      })
      .catch((e: unknown) => {
        this.#failed = e;
        this.#gzip.destroy();
        throw e;
      });
    this.#upload.catch(() => undefined); // surfaced by write()/seal()
  }

  async write(chunks: readonly Buffer[], rows: number): Promise<void> {
    for (const c of chunks) {
      if (this.#failed) throw this.#failed;
      this.rawBytes += c.length;
      if (!this.#gzip.write(c)) await Promise.race([once(this.#gzip, 'drain'), this.#upload]);
    }
    this.rows += rows;
  }

  async seal(): Promise<SealedBlob> {
    this.#gzip.end();
    await this.#upload;
    return { name: this.name, urlWithSas: this.#url, rawBytes: this.rawBytes, compressedBytes: this.#counter.bytes, rows: this.rows };
  }

  abort(): void {
    this.#gzip.destroy();
  }
}
