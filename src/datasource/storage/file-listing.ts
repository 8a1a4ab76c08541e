import type { FileEntry } from './location.js';
import { resolveLocation } from './location.js';
import { listLocalFiles } from './local-files.js';
import { listBlobFiles } from './blob-files.js';
import { ConfigError } from '../../errors/kjob-error.js';

export interface ListOptions {
  /** Which file names count as data files when a directory or prefix is listed (explicit files always count). */
  readonly accept: (name: string) => boolean;
  /** What the files are called in errors, e.g. 'Parquet files'. */
  readonly what: string;
}

/** Expands user paths (files, directories, globs, blob URLs) into data files, in path order, without duplicates. */
export async function listDataFiles(paths: readonly string[], conf: ReadonlyMap<string, string>, options: ListOptions): Promise<FileEntry[]> {
  if (paths.length === 0) throw new ConfigError(`No path given to read ${options.what} from`, { resolution: 'Pass a path to load(...) or option("path", ...).' });
  const seen = new Set<string>();
  const out: FileEntry[] = [];
  for (const raw of paths) {
    const loc = resolveLocation(raw, conf);
    const files = loc.kind === 'local' ? await listLocalFiles(loc.path, options.accept, options.what) : await listBlobFiles(loc.address, options.accept, options.what);
    for (const f of files) {
      if (seen.has(f.location)) continue;
      seen.add(f.location);
      out.push(f);
    }
  }
  return out;
}
