/**
 * A growable byte output made of fixed-size chunks: values are written straight into Buffers, no
 * intermediate strings for the bulk of the data, and memory stays bounded by the chunk size (a chunk
 * is handed out as soon as it is full). CONCURRENCY: one encoder, one thread.
 */
const QUOTE = 0x22;

export class ByteSink {
  #chunks: Buffer[] = [];
  #buf: Buffer;
  #pos = 0;
  #total = 0;
  readonly chunkBytes: number;

  constructor(chunkBytes = 1 << 20) {
    if (!Number.isInteger(chunkBytes) || chunkBytes < 16) throw new RangeError(`chunkBytes must be an integer >= 16, got ${chunkBytes}`);
    this.chunkBytes = chunkBytes;
    this.#buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** Bytes written since construction. */
  get totalBytes(): number {
    return this.#total + this.#pos;
  }

  #next(): void {
    if (this.#pos > 0) {
      this.#chunks.push(this.#buf.subarray(0, this.#pos));
      this.#total += this.#pos;
      this.#buf = Buffer.allocUnsafe(this.chunkBytes);
      this.#pos = 0;
    }
  }

  byte(b: number): void {
    if (this.#pos === this.#buf.length) this.#next();
    this.#buf[this.#pos++] = b;
  }

  /** Two decimal digits of 0..99. */
  twoDigits(n: number): void {
    if (this.#pos + 2 > this.#buf.length) this.#next();
    this.#buf[this.#pos++] = 48 + ((n / 10) | 0);
    this.#buf[this.#pos++] = 48 + (n % 10);
  }

  /** Writes a string known to be ASCII (numbers, dates, base64). */
  ascii(s: string): void {
    const n = s.length;
    if (this.#pos + n > this.#buf.length) {
      if (n > this.chunkBytes) {
        this.bytes(Buffer.from(s, 'latin1'), 0, n);
        return;
      }
      this.#next();
    }
    const buf = this.#buf;
    let p = this.#pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.#pos = p;
  }

  /** Copies bytes, spilling over chunk boundaries. */
  bytes(src: Uint8Array, start: number, end: number): void {
    while (start < end) {
      if (this.#pos === this.#buf.length) this.#next();
      const n = Math.min(end - start, this.#buf.length - this.#pos);
      if (n < 16) {
        const buf = this.#buf;
        let p = this.#pos;
        for (let i = 0; i < n; i++) buf[p++] = src[start + i]!;
        this.#pos = p;
      } else {
        this.#buf.set(src.subarray(start, start + n), this.#pos);
        this.#pos += n;
      }
      start += n;
    }
  }

  /** `"` + UTF-8 bytes with every `"` doubled + `"` (0x22 never occurs inside a multi-byte sequence). */
  quotedBytes(src: Uint8Array, start: number, end: number): void {
    this.byte(QUOTE);
    let from = start;
    for (let i = start; i < end; i++) {
      if (src[i] === QUOTE) {
        this.bytes(src, from, i + 1);
        this.byte(QUOTE);
        from = i + 1;
      }
    }
    this.bytes(src, from, end);
    this.byte(QUOTE);
  }

  /** A JS string as UTF-8. */
  utf8(s: string): void {
    if (s.length * 3 <= this.#buf.length - this.#pos) {
      this.#pos += this.#buf.write(s, this.#pos, 'utf8');
      return;
    }
    const b = Buffer.from(s, 'utf8');
    this.bytes(b, 0, b.length);
  }

  /** A JS string CSV-quoted: `"` + value with `"` doubled + `"`. */
  quotedString(s: string): void {
    this.byte(QUOTE);
    this.utf8(s.includes('"') ? s.replace(/"/g, '""') : s);
    this.byte(QUOTE);
  }

  /**
   * Drops everything written after `mark` (a `totalBytes` value taken earlier and not yet drained):
   * used to take back the row that crossed a hard size limit.
   */
  rewind(mark: number): void {
    if (mark < this.#total - this.#chunks.reduce((n, c) => n + c.length, 0) || mark > this.totalBytes) throw new RangeError(`cannot rewind to ${mark}`);
    while (this.#total > mark) {
      const last = this.#chunks.pop()!;
      this.#total -= last.length;
      this.#buf = Buffer.allocUnsafe(Math.max(this.chunkBytes, last.length));
      last.copy(this.#buf);
      this.#pos = last.length;
    }
    this.#pos = mark - this.#total;
  }

  /** Hands out every byte written so far (the last chunk may be short) and starts empty. */
  drain(): Buffer[] {
    this.#next();
    const out = this.#chunks;
    this.#chunks = [];
    return out;
  }
}
