/**
 * Minimal glob matching for data paths: `*` (within one segment), `?`, `[abc]`, `{a,b}` and `**`
 * (any number of segments). Pure; used for local paths and blob names alike.
 */

const GLOB_CHARS = /[*?[{]/;

export function hasGlob(path: string): boolean {
  return GLOB_CHARS.test(path);
}

/** Splits `a/b/*.parquet` into the literal directory prefix `a/b` and the pattern part. */
export function splitGlobBase(path: string): { base: string; pattern: string } {
  const segments = path.split('/');
  const firstGlob = segments.findIndex((s) => hasGlob(s));
  if (firstGlob < 0) return { base: path, pattern: '' };
  return { base: segments.slice(0, firstGlob).join('/'), pattern: segments.slice(firstGlob).join('/') };
}

/** Compiles a glob over '/'-separated relative paths into an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inClass = false;
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (inClass) {
      if (c === ']') inClass = false;
      re += c === '\\' ? '\\\\' : c;
      continue;
    }
    switch (c) {
      case '*':
        if (glob[i + 1] === '*') {
          // `**/` matches zero or more whole segments; a trailing `**` matches everything below.
          if (glob[i + 2] === '/') {
            re += '(?:[^/]*/)*';
            i += 2;
          } else {
            re += '.*';
            i += 1;
          }
        } else re += '[^/]*';
        break;
      case '?':
        re += '[^/]';
        break;
      case '[':
        inClass = true;
        re += glob[i + 1] === '!' ? (i++, '[^') : '[';
        break;
      case '{':
        braceDepth++;
        re += '(?:';
        break;
      case '}':
        if (braceDepth > 0) {
          braceDepth--;
          re += ')';
        } else re += '\\}';
        break;
      case ',':
        re += braceDepth > 0 ? '|' : ',';
        break;
      default:
        re += c.replace(/[.+^$()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** Spark/Hadoop skip files whose name starts with `_` or `.` (markers, staging dirs, checksums). */
export function isHiddenName(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.');
}

/** Whether any segment of a relative path is hidden. */
export function hasHiddenSegment(relative: string): boolean {
  return relative.split('/').some((s) => s !== '' && isHiddenName(s));
}

/**
 * Whether a glob selects a file: the glob matches the file itself, or it matches one of the file's
 * directories and the file is a data file by `accept` (a matched directory reads like a directory).
 */
export function globSelects(re: RegExp, relative: string, accept: (name: string) => boolean): boolean {
  if (re.test(relative)) return true;
  const segments = relative.split('/');
  for (let i = 1; i < segments.length; i++) {
    if (re.test(segments.slice(0, i).join('/'))) return accept(segments[segments.length - 1]!);
  }
  return false;
}
