import { promises as fsp, createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { ConfigError } from '../../errors/kjob-error.js';
import { redact } from '../../util/redact.js';
import { resolveLocation } from './location.js';
import { BlobOutputStore } from './blob-output-store.js';
import { hasGlob } from './glob.js';

/** Byte sink for one output file; `abort` removes what was written. */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<number>;
  abort(): Promise<void>;
}

/**
 * The file operations the commit protocol needs on a write target, with names relative to the
 * target root ('/'-separated). Local directories now; blob prefixes can implement the same surface.
 */
export interface OutputStore {
  readonly display: string;
  /** Entry names of the target (or of a directory below it); undefined when it does not exist. */
  list(rel?: string): Promise<string[] | undefined>;
  mkdirs(rel: string): Promise<void>;
  openWriter(rel: string): Promise<ByteSink>;
  move(fromRel: string, toRel: string): Promise<void>;
  remove(rel: string): Promise<void>;
  exists(rel: string): Promise<boolean>;
  /** Whether the target itself is a file (or a single blob) rather than a directory. */
  isFile(): Promise<boolean>;
}

export function outputStoreFor(raw: string, conf: ReadonlyMap<string, string>): OutputStore {
  const loc = resolveLocation(raw, conf);
  if (loc.kind === 'local') return new LocalOutputStore(loc.path);
  if (hasGlob(loc.address.path)) throw new ConfigError(`A write target cannot be a glob: ${redact(raw)}`, { context: { path: redact(raw) } });
  return new BlobOutputStore(loc.address);
}

class LocalOutputStore implements OutputStore {
  readonly display: string;
  constructor(private readonly root: string) {
    this.display = root;
  }
  private abs(rel: string): string {
    return rel === '' ? this.root : path.join(this.root, ...rel.split('/'));
  }
  async list(rel = ''): Promise<string[] | undefined> {
    try {
      const dir = this.abs(rel);
      const st = await fsp.stat(dir);
      if (!st.isDirectory()) return [path.basename(dir)];
      return await fsp.readdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
  async mkdirs(rel: string): Promise<void> {
    await fsp.mkdir(this.abs(rel), { recursive: true });
  }
  async openWriter(rel: string): Promise<ByteSink> {
    const file = this.abs(rel);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const stream = createWriteStream(file);
    await once(stream, 'open');
    return new LocalByteSink(stream, file);
  }
  async move(fromRel: string, toRel: string): Promise<void> {
    await fsp.mkdir(path.dirname(this.abs(toRel)), { recursive: true });
    await fsp.rename(this.abs(fromRel), this.abs(toRel));
  }
  async remove(rel: string): Promise<void> {
    await fsp.rm(this.abs(rel), { recursive: true, force: true });
  }
  async exists(rel: string): Promise<boolean> {
    try {
      await fsp.stat(this.abs(rel));
      return true;
    } catch {
      return false;
    }
  }
  async isFile(): Promise<boolean> {
    try {
      return (await fsp.stat(this.root)).isFile();
    } catch {
      return false;
    }
  }
}

class LocalByteSink implements ByteSink {
  private bytes = 0;
  constructor(
    private readonly stream: WriteStream,
    private readonly file: string,
  ) {}
  async write(chunk: Uint8Array): Promise<void> {
    this.bytes += chunk.byteLength;
    // Respect back-pressure so a fast producer never queues a whole file in memory.
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async close(): Promise<number> {
    this.stream.end();
    await once(this.stream, 'close');
    return this.bytes;
  }
  async abort(): Promise<void> {
    this.stream.destroy();
    await fsp.rm(this.file, { force: true });
  }
}
