import type { ContainerClient } from '@azure/storage-blob';
import type { BlobAddress } from './blob-url.js';
import { blobUrlOf } from './blob-url.js';
import { containerClientFor } from './blob-client.js';
import { blobError } from './blob-files.js';
import type { ByteSink, OutputStore } from './output-store.js';
import { redact } from '../../util/redact.js';

/** Bytes buffered before a block is staged: bounds a writer's memory per open file. */
const BLOCK_BYTES = 8 << 20;

/**
 * The commit protocol's file operations over a blob prefix. Blob storage has no directories, so a
 * "directory" is every blob below `<prefix>/`, and a move is a server-side copy plus a delete (the
 * SAS must allow read, write, delete and list: `racwdl`).
 */
export class BlobOutputStore implements OutputStore {
  readonly display: string;
  private readonly client: ContainerClient;
  private readonly root: string;

  constructor(addr: BlobAddress) {
    this.client = containerClientFor(addr);
    this.root = addr.path.replace(/\/+$/, '');
    this.display = redact(blobUrlOf(addr, this.root));
  }

  private key(rel: string): string {
    if (rel === '') return this.root;
    return this.root === '' ? rel : `${this.root}/${rel}`;
  }

  private async guard<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      throw blobError(e, `${what} under ${this.display} failed`);
    }
  }

  async list(rel = ''): Promise<string[] | undefined> {
    return this.guard('Listing', async () => {
      const key = this.key(rel);
      const prefix = key === '' ? '' : `${key}/`;
      const names = new Set<string>();
      for await (const item of this.client.listBlobsByHierarchy('/', prefix === '' ? {} : { prefix })) {
        names.add(item.name.slice(prefix.length).replace(/\/$/, ''));
      }
      if (names.size > 0) return [...names];
      if (key !== '' && (await this.client.getBlobClient(key).exists())) return [key.slice(key.lastIndexOf('/') + 1)];
      return undefined;
    });
  }

  async mkdirs(): Promise<void> {
    // Prefixes exist as soon as a blob below them does.
  }

  async openWriter(rel: string): Promise<ByteSink> {
    return new BlobByteSink(this.client, this.key(rel), this.display);
  }

  private async blobsUnder(key: string): Promise<string[]> {
    const out: string[] = [];
    for await (const b of this.client.listBlobsFlat({ prefix: `${key}/` })) out.push(b.name);
    return out;
  }

  async move(fromRel: string, toRel: string): Promise<void> {
    await this.guard('Moving', async () => {
      const from = this.key(fromRel);
      const to = this.key(toRel);
      const single = await this.client.getBlobClient(from).exists();
      const pairs = single ? [[from, to] as const] : (await this.blobsUnder(from)).map((name) => [name, `${to}${name.slice(from.length)}`] as const);
      for (const [src, dst] of pairs) {
        const source = this.client.getBlobClient(src);
        const poller = await this.client.getBlobClient(dst).beginCopyFromURL(source.url, { intervalInMs: 250 });
        await poller.pollUntilDone();
        await source.delete();
      }
    });
  }

  async remove(rel: string): Promise<void> {
    await this.guard('Deleting', async () => {
      const key = this.key(rel);
      // Never empty a whole container: a target at the container root keeps what is there.
      if (key === '') return;
      await this.client.getBlobClient(key).deleteIfExists();
      for (const name of await this.blobsUnder(key)) await this.client.getBlobClient(name).deleteIfExists();
    });
  }

  async isFile(): Promise<boolean> {
    return this.root !== '' && (await this.guard('Reading', () => this.client.getBlobClient(this.root).exists()));
  }

  async exists(rel: string): Promise<boolean> {
    return (await this.list(rel)) !== undefined;
  }
}

/** Stages blocks of BLOCK_BYTES as data arrives and commits the block list on close. */
class BlobByteSink implements ByteSink {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly blocks: string[] = [];
  private total = 0;

  constructor(
    private readonly client: ContainerClient,
    private readonly name: string,
    private readonly display: string,
  ) {}

  private async stage(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const body = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const id = Buffer.from(String(this.blocks.length).padStart(8, '0')).toString('base64');
    try {
      await this.client.getBlockBlobClient(this.name).stageBlock(id, body, body.length);
    } catch (e) {
      throw blobError(e, `Uploading ${this.name} under ${this.display} failed`);
    }
    this.blocks.push(id);
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.pendingBytes += chunk.byteLength;
    this.total += chunk.byteLength;
    if (this.pendingBytes >= BLOCK_BYTES) await this.stage();
  }

  async close(): Promise<number> {
    await this.stage();
    try {
      const blob = this.client.getBlockBlobClient(this.name);
      if (this.blocks.length === 0) await blob.upload(Buffer.alloc(0), 0);
      else await blob.commitBlockList(this.blocks);
    } catch (e) {
      throw blobError(e, `Committing ${this.name} under ${this.display} failed`);
    }
    return this.total;
  }

  async abort(): Promise<void> {
    // Uncommitted blocks expire on their own; only a committed blob needs deleting.
    this.pending = [];
    await this.client.getBlobClient(this.name).deleteIfExists().catch(() => undefined);
  }
}
