import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { readByteRange } from '../storage/random-access.js';
import { INCOMPLETE, parseRecord, RecordFields, type CsvDialect } from './csv-tokenizer.js';

const LF = 10;

/** What the record callback asks the scanner to do next. */
export const CONTINUE = 0;
export const PAUSE = 1;
export const STOP = 2;
export type ScanControl = typeof CONTINUE | typeof PAUSE | typeof STOP;

export interface ScanRange {
  readonly location: string;
  readonly fileSize: number;
  /** Records whose first byte lies in [start, end) belong to this scan (Hadoop-style line ownership). */
  readonly start: number;
  readonly end: number;
}

/**
 * Streams the records owned by a byte range, calling `onRecord` synchronously with the record's
 * field positions inside `buf`. Ownership: a scan not at offset 0 begins after the first line feed
 * at or after `start - 1`, and keeps reading past `end` to finish the record that starts before
 * `end`, so consecutive ranges see every line exactly once. (With multiLine a quoted line feed is
 * not a record boundary; such files are always scanned whole.) Yields whenever `onRecord` returns
 * PAUSE so an async caller can hand out a batch; memory is one chunk plus the longest record.
 */
export async function* scanRecords(
  range: ScanRange,
  conf: ReadonlyMap<string, string>,
  dialect: CsvDialect,
  onRecord: (buf: Buffer, fields: RecordFields, absoluteStart: number) => ScanControl,
  chunkBytes = 1 << 20,
): AsyncGenerator<void> {
  if (range.start >= range.end || range.start >= range.fileSize) return;
  const gzip = isGzipped(range.location);
  if (gzip && range.start > 0) throw new Error('a gzip-compressed file can only be scanned from its start');
  const readFrom = range.start > 0 ? range.start - 1 : 0;
  // A gzip file is one split: offsets then count decompressed bytes and the scan runs to its end.
  const end = gzip ? Number.POSITIVE_INFINITY : range.end;
  const chunks = fileBytes(range.location, conf, readFrom, range.fileSize, chunkBytes)[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  let base = readFrom; // absolute offset of buf[0]
  let pos = 0;
  let eof = false;
  const fields = new RecordFields();

  const more = async (minBytes: number): Promise<void> => {
    const parts: Buffer[] = [buf.subarray(pos)];
    let total = parts[0]!.length;
    base += pos;
    pos = 0;
    // Read at least one chunk, and keep reading while a record is still longer than what we hold, so a
    // huge field is rescanned O(log n) times rather than once per chunk.
    do {
      const step = await chunks.next();
      if (step.done) {
        eof = true;
        break;
      }
      parts.push(step.value);
      total += step.value.length;
    } while (total < minBytes);
    buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
  };

  try {
    await more(0);
    if (range.start > 0) {
      // Skip the tail of the record that began in the previous range.
      for (;;) {
        const lf = buf.indexOf(LF, pos);
        if (lf >= 0) {
          pos = lf + 1;
          break;
        }
        pos = buf.length;
        if (eof) return;
        await more(0);
      }
    } else if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      pos = 3; // UTF-8 byte order mark
    }
    let want = 0;
    for (;;) {
      if (base + pos >= end || (pos >= buf.length && eof)) return;
      const next = parseRecord(buf, pos, buf.length, eof, dialect, fields);
      if (next === INCOMPLETE) {
        want = Math.max(want * 2, (buf.length - pos) * 2, chunkBytes);
        await more(want);
        continue;
      }
      want = 0;
      const control = onRecord(buf, fields, base + pos);
      pos = next;
      if (control === STOP) return;
      if (control === PAUSE) yield;
    }
  } finally {
    await chunks.return?.(undefined);
  }
}

/** Whether a file is read through gunzip (by its name, as Hadoop's codec factory decides). */
export function isGzipped(location: string): boolean {
  return /\.gz$/i.test(location.split('?')[0]!);
}

/** The (decompressed) bytes of a file from `start`. */
async function* fileBytes(location: string, conf: ReadonlyMap<string, string>, start: number, size: number, chunkBytes: number): AsyncGenerator<Buffer> {
  const raw = readByteRange(location, conf, start, size, chunkBytes);
  if (!isGzipped(location)) return yield* raw;
  const gunzip = Readable.from(raw).pipe(createGunzip({ chunkSize: 256 << 10 }));
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } finally {
    gunzip.destroy();
  }
}

/** 1-based line number of a (decompressed) byte offset, by counting line feeds before it (used only for error messages). */
export async function lineNumberAt(location: string, conf: ReadonlyMap<string, string>, offset: number, size: number): Promise<number> {
  let lines = 1;
  let seen = 0;
  for await (const chunk of fileBytes(location, conf, 0, size, 1 << 20)) {
    const part = seen + chunk.length > offset ? chunk.subarray(0, offset - seen) : chunk;
    for (let i = part.indexOf(LF); i >= 0; i = part.indexOf(LF, i + 1)) lines++;
    seen += part.length;
    if (seen >= offset) break;
  }
  return lines;
}
