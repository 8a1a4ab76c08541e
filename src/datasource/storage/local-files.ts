import { promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';
import type { FileEntry } from './location.js';
import { PathNotFoundError, NoFilesMatchedError } from './storage-errors.js';
import { globToRegExp, hasGlob, hasHiddenSegment, isHiddenName, splitGlobBase } from './glob.js';

/** Lists the data files of a local path: a file, a directory (recursive, hidden entries skipped) or a glob. */
export async function listLocalFiles(target: string, accept: (name: string) => boolean, what: string): Promise<FileEntry[]> {
  const posix = target.split(path.sep).join('/');
  if (hasGlob(posix)) return listLocalGlob(posix, accept, what);
  const stat = await statOrUndefined(target);
  if (!stat) throw new PathNotFoundError(target);
  if (stat.isFile()) return [{ location: target, size: stat.size }];
  const files = await walk(target, accept);
  if (files.length === 0) throw new NoFilesMatchedError(target, what);
  return files;
}

async function listLocalGlob(pattern: string, accept: (name: string) => boolean, what: string): Promise<FileEntry[]> {
  const { base, pattern: rel } = splitGlobBase(pattern);
  const baseDir = base === '' ? '/' : base;
  const re = globToRegExp(rel);
  // Without `**` a glob cannot match deeper than its own segment count, so the walk stops there.
  const maxDepth = rel.includes('**') ? Number.POSITIVE_INFINITY : rel.split('/').length;
  const out: FileEntry[] = [];
  const stat = await statOrUndefined(baseDir);
  if (stat?.isDirectory()) {
    const stack: { dir: string; prefix: string; depth: number }[] = [{ dir: baseDir, prefix: '', depth: 1 }];
    while (stack.length > 0) {
      const { dir, prefix, depth } = stack.pop()!;
      for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
        if (isHiddenName(e.name)) continue;
        const full = path.join(dir, e.name);
        const relative = `${prefix}${e.name}`;
        if (e.isDirectory()) {
          // A glob that matches a directory selects the data files below it (Hadoop semantics).
          if (re.test(relative)) out.push(...(await walk(full, accept)));
          else if (depth < maxDepth) stack.push({ dir: full, prefix: `${relative}/`, depth: depth + 1 });
        } else if (e.isFile() && re.test(relative)) {
          out.push({ location: full, size: (await fsp.stat(full)).size });
        }
      }
    }
  }
  if (out.length === 0) throw new NoFilesMatchedError(pattern, what);
  return out.sort((a, b) => a.location.localeCompare(b.location));
}

/** Data files under a directory, sorted, skipping `_`/`.`-prefixed files and directories. */
async function walk(dir: string, accept: (name: string) => boolean): Promise<FileEntry[]> {
  const all = await walkAll(dir);
  return all
    .filter((e) => !hasHiddenSegment(path.relative(dir, e.location).split(path.sep).join('/')) && accept(path.basename(e.location)))
    .sort((a, b) => a.location.localeCompare(b.location));
}

async function walkAll(dir: string): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const entries = await fsp.readdir(current, { withFileTypes: true });
    for (const e of entries) {
      const full = path.join(current, e.name);
      if (e.isDirectory()) {
        // Never descend into staging directories of running writes.
        if (!isHiddenName(e.name)) stack.push(full);
      } else if (e.isFile()) {
        const st = await fsp.stat(full);
        out.push({ location: full, size: st.size });
      }
    }
  }
  return out;
}

async function statOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await fsp.stat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
