import type { BlobAddress } from './blob-url.js';
import { blobUrlOf } from './blob-url.js';
import { containerClientFor } from './blob-client.js';
import type { FileEntry } from './location.js';
import { NoFilesMatchedError, PathNotFoundError, StorageAccessError } from './storage-errors.js';
import { globSelects, globToRegExp, hasGlob, hasHiddenSegment, splitGlobBase } from './glob.js';
import { redact } from '../../util/redact.js';

/**
 * Lists the data blobs of a blob address: one blob, a prefix read as a directory (recursive,
 * hidden segments skipped) or a glob over blob names. Entries carry the full URL with the SAS so
 * executors can open them directly.
 */
export async function listBlobFiles(addr: BlobAddress, accept: (name: string) => boolean, what: string): Promise<FileEntry[]> {
  const display = redact(blobUrlOf(addr, addr.path));
  try {
    if (hasGlob(addr.path)) {
      const { base, pattern } = splitGlobBase(addr.path);
      const re = globToRegExp(pattern);
      const prefix = base === '' ? '' : `${base}/`;
      const out = (await listPrefix(addr, prefix)).filter((f) => {
        const relative = f.name.slice(prefix.length);
        return !hasHiddenSegment(relative) && globSelects(re, relative, accept);
      });
      if (out.length === 0) throw new NoFilesMatchedError(display, what);
      return out.map((f) => toEntry(addr, f));
    }
    const path = addr.path.replace(/\/+$/, '');
    if (path !== '' && !addr.path.endsWith('/')) {
      const blob = containerClientFor(addr).getBlobClient(path);
      try {
        const props = await blob.getProperties();
        // Folder placeholders (hierarchical namespace) have hdi_isfolder metadata; read them as prefixes.
        if (props.metadata?.['hdi_isfolder'] !== 'true') return [toEntry(addr, { name: path, size: props.contentLength ?? 0 })];
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode !== 404) throw e;
      }
    }
    const prefix = path === '' ? '' : `${path}/`;
    const all = await listPrefix(addr, prefix);
    if (all.length === 0) throw new PathNotFoundError(display);
    const out = all.filter((f) => !hasHiddenSegment(f.name.slice(prefix.length)) && accept(f.name.slice(f.name.lastIndexOf('/') + 1)));
    if (out.length === 0) throw new NoFilesMatchedError(display, what);
    return out.map((f) => toEntry(addr, f));
  } catch (e) {
    if (e instanceof PathNotFoundError || e instanceof NoFilesMatchedError) throw e;
    throw blobError(e, `Listing ${display} failed`);
  }
}

async function listPrefix(addr: BlobAddress, prefix: string): Promise<{ name: string; size: number }[]> {
  const out: { name: string; size: number }[] = [];
  const client = containerClientFor(addr);
  for await (const item of client.listBlobsFlat(prefix === '' ? {} : { prefix })) {
    const size = item.properties.contentLength ?? 0;
    if (item.metadata?.['hdi_isfolder'] === 'true') continue;
    out.push({ name: item.name, size });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function toEntry(addr: BlobAddress, f: { name: string; size: number }): FileEntry {
  return { location: blobUrlOf(addr, f.name), size: f.size };
}

/** Wraps an Azure SDK error without leaking the SAS (KjobError redacts the message). */
export function blobError(e: unknown, message: string): StorageAccessError {
  const status = (e as { statusCode?: number }).statusCode;
  const code = (e as { code?: string }).code;
  const first = redact(String((e as Error)?.message ?? e).split('\n')[0] ?? '');
  return new StorageAccessError(`${message}: ${status ?? ''} ${code ?? ''} ${first}`.replace(/\s+/g, ' ').trim(), {
    retryable: status === undefined || status >= 500 || status === 429,
    likelyCause: status === 403 ? 'The SAS token is missing, expired or lacks the needed permission (read/list/write/delete).' : undefined,
    context: { status, code },
  });
}
