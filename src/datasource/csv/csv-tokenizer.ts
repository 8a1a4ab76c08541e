/**
 * A byte-level RFC 4180 tokenizer. It records field positions of one record at a time into reusable
 * typed arrays (no per-field strings), so the reader converts values straight from the file bytes.
 * Restartable: when the buffer ends inside a record it reports "incomplete" and the caller retries
 * the same record with more bytes.
 */

export interface CsvDialect {
  readonly sep: number;
  readonly quote: number;
  /** Equal to `quote` for RFC 4180 doubling; -1 for none. */
  readonly escape: number;
  /** Whether quoted values may span lines; otherwise a newline always ends the record. */
  readonly multiLine: boolean;
}

export const FIELD_QUOTED = 1;
export const FIELD_ESCAPED = 2;

const LF = 10;
const CR = 13;

/** The fields of the record just parsed; arrays grow on demand and are reused. */
export class RecordFields {
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  /** Why the record is malformed (unterminated quote …), or undefined. */
  malformed: string | undefined;

  push(start: number, end: number, flags: number): void {
    if (this.count === this.starts.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
      this.flags = grow(this.flags);
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.flags[this.count] = flags;
    this.count++;
  }

  /** A blank line: one empty unquoted field. */
  isBlank(): boolean {
    return this.count === 1 && this.flags[0] === 0 && this.starts[0] === this.ends[0];
  }
}

/** Returned by `parseRecord` when the buffer ends before the record does. */
export const INCOMPLETE = -1;

/**
 * Parses the record starting at `pos` into `out`. Returns the offset just after the record (after
 * its line feed), or INCOMPLETE when `final` is false and the bytes end inside the record.
 */
export function parseRecord(buf: Uint8Array, pos: number, end: number, final: boolean, d: CsvDialect, out: RecordFields): number {
  const { sep, quote, escape, multiLine } = d;
  out.count = 0;
  out.malformed = undefined;
  let i = pos;
  for (;;) {
    if (i >= end) {
      if (!final) return INCOMPLETE;
      out.push(i, i, 0); // the empty last field after a trailing separator, or an empty last line
      return i;
    }
    if (buf[i] === quote) {
      const contentStart = i + 1;
      let j = contentStart;
      let flags = FIELD_QUOTED;
      let closed = false;
      while (j < end) {
        const c = buf[j]!;
        if (c === quote) {
          if (escape === quote) {
            if (j + 1 >= end && !final) return INCOMPLETE; // cannot yet tell `"` from `""`
            if (buf[j + 1] === quote) {
              j += 2;
              flags |= FIELD_ESCAPED;
              continue;
            }
          }
          closed = true;
          break;
        }
        if (c === escape) {
          if (j + 1 >= end && !final) return INCOMPLETE;
          j += 2;
          flags |= FIELD_ESCAPED;
          continue;
        }
        if (c === LF && !multiLine) break;
        j++;
      }
      if (!closed) {
        if (j >= end && !final) return INCOMPLETE;
        out.malformed ??= 'unterminated quoted value';
        let contentEnd = Math.min(j, end);
        if (contentEnd > contentStart && buf[contentEnd - 1] === CR) contentEnd--;
        out.push(contentStart, contentEnd, flags);
        return j < end ? j + 1 : end;
      }
      out.push(contentStart, j, flags);
      i = j + 1;
      if (i >= end) {
        if (!final) return INCOMPLETE;
        return i;
      }
      const b = buf[i]!;
      if (b === sep) {
        i++;
        continue;
      }
      if (b === LF) return i + 1;
      if (b === CR) {
        if (i + 1 >= end) return final ? i + 1 : INCOMPLETE;
        if (buf[i + 1] === LF) return i + 2;
      }
      out.malformed ??= 'characters after a closing quote';
      while (i < end && buf[i] !== sep && buf[i] !== LF) i++;
      if (i >= end) return final ? i : INCOMPLETE;
      if (buf[i] === sep) {
        i++;
        continue;
      }
      return i + 1;
    }
    let j = i;
    while (j < end) {
      const c = buf[j]!;
      if (c === sep || c === LF) break;
      j++;
    }
    if (j >= end) {
      if (!final) return INCOMPLETE;
      out.push(i, j > i && buf[j - 1] === CR ? j - 1 : j, 0);
      return j;
    }
    if (buf[j] === LF) {
      out.push(i, j > i && buf[j - 1] === CR ? j - 1 : j, 0);
      return j + 1;
    }
    out.push(i, j, 0);
    i = j + 1;
  }
}

/** Copies a quoted value's content without its escape characters; returns the new length. */
export function unescapeField(buf: Uint8Array, start: number, end: number, d: CsvDialect, target: Uint8Array): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === d.escape && i + 1 < end && (d.escape !== d.quote || buf[i + 1] === d.quote)) {
      target[n++] = buf[++i]!;
      continue;
    }
    target[n++] = c;
  }
  return n;
}
