import { Type, type Data, type RecordBatch, type Schema } from 'apache-arrow';
import type { CsvWriteOptions } from './csv-options.js';
import { formatterFor } from './csv-value-format.js';

/**
 * Turns batches into CSV bytes, row by row, straight into one growing buffer per batch: string
 * columns are copied from Arrow's UTF-8 buffers without decoding, numbers are written as ASCII.
 * A value is quoted when it contains the separator, the quote or escape character, CR or LF, when
 * it is the empty string (so it reads back as '' and not null), when it equals a non-empty
 * nullValue, or always with quoteAll. Nulls are written as nullValue (empty by default).
 */

class ByteOut {
  buf = Buffer.allocUnsafe(1 << 16);
  pos = 0;
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.pos + n, this.buf.length * 2));
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
    }
  }
  ascii(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }
  /** A safe integer in decimal, without creating a string. */
  int(n: number): void {
    this.ensure(17);
    if (n < 0) {
      this.buf[this.pos++] = 45;
      n = -n;
    }
    let digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    let at = this.pos + digits;
    this.pos = at;
    do {
      const q = Math.floor(n / 10);
      this.buf[--at] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }
}

type CellWriter = (row: number) => void;

export class CsvFormatter {
  private readonly out = new ByteOut();
  private readonly sep: number;
  private readonly quote: number;
  private readonly escape: number;
  private readonly nullBytes: Buffer;

  constructor(
    private readonly schema: Schema,
    private readonly opts: CsvWriteOptions,
  ) {
    // Fails early (before any task writes) for column types CSV cannot hold.
    for (const f of schema.fields) formatterFor(f);
    this.sep = opts.sep.charCodeAt(0);
    this.quote = opts.quote.charCodeAt(0);
    this.escape = opts.escape.charCodeAt(0);
    this.nullBytes = Buffer.from(opts.nullValue, 'utf8');
  }

  header(): Buffer {
    const names = this.schema.fields.map((f) => Buffer.from(f.name, 'utf8'));
    names.forEach((name, c) => {
      if (c > 0) this.out.byte(this.sep);
      this.text(name, 0, name.length);
    });
    this.out.byte(10);
    return this.out.take();
  }

  format(batch: RecordBatch): Buffer {
    const writers = this.schema.fields.map((f, c) => this.cellWriter(batch.data.children[c]!, f.type.typeId, c, batch));
    const out = this.out;
    for (let r = 0; r < batch.numRows; r++) {
      for (let c = 0; c < writers.length; c++) {
        if (c > 0) out.byte(this.sep);
        writers[c]!(r);
      }
      out.byte(10);
    }
    return out.take();
  }

  /** Writes UTF-8 bytes [s, e) of `src` as one value, quoted and escaped when needed. */
  private text(src: Uint8Array, s: number, e: number): void {
    const { sep, quote, escape, out } = this;
    let special = this.opts.quoteAll || s === e;
    if (!special) {
      for (let i = s; i < e; i++) {
        const b = src[i]!;
        if (b === sep || b === quote || b === escape || b === 10 || b === 13) {
          special = true;
          break;
        }
      }
    }
    if (!special && this.nullBytes.length === e - s && this.nullBytes.length > 0 && Buffer.compare(this.nullBytes, src.subarray(s, e)) === 0) special = true;
    if (!special) {
      out.ensure(e - s);
      const buf = out.buf;
      let at = out.pos;
      for (let i = s; i < e; i++) buf[at++] = src[i]!;
      out.pos = at;
      return;
    }
    out.ensure((e - s) * 2 + 2);
    const buf = out.buf;
    let at = out.pos;
    buf[at++] = quote;
    for (let i = s; i < e; i++) {
      const b = src[i]!;
      if (b === quote || b === escape) buf[at++] = escape;
      buf[at++] = b;
    }
    buf[at++] = quote;
    out.pos = at;
  }

  /** Like `text` for a JS string: written in place, and rewritten quoted only when needed. */
  private textString(t: string): void {
    const out = this.out;
    const start = out.pos;
    out.ascii(t);
    let plain = !this.opts.quoteAll && out.pos > start;
    for (let i = start; plain && i < out.pos; i++) {
      const b = out.buf[i]!;
      if (b === this.sep || b === this.quote || b === this.escape || b === 10 || b === 13) plain = false;
    }
    if (plain && (this.nullBytes.length === 0 || t !== this.opts.nullValue)) return;
    const bytes = Buffer.from(out.buf.subarray(start, out.pos));
    out.pos = start;
    this.text(bytes, 0, bytes.length);
  }

  private writeNull(): void {
    const n = this.nullBytes;
    if (n.length === 0) return;
    this.out.ensure(n.length);
    n.copy(this.out.buf, this.out.pos);
    this.out.pos += n.length;
  }

  private cellWriter(data: Data, typeId: Type, column: number, batch: RecordBatch): CellWriter {
    const out = this.out;
    const nullable = data.nullCount > 0;
    const valid = (r: number) => !nullable || data.getValid(r);
    switch (typeId) {
      case Type.Utf8: {
        // Arrow JS pre-slices offsets and values; only validity goes through data.offset.
        const offsets = data.valueOffsets as Int32Array;
        const values = data.values as Uint8Array;
        return (r) => (valid(r) ? this.text(values, offsets[r]!, offsets[r + 1]!) : this.writeNull());
      }
      case Type.Int: {
        const values = data.values as ArrayLike<number | bigint>;
        if (!(values instanceof BigInt64Array || values instanceof BigUint64Array)) {
          return (r) => (valid(r) ? out.int(values[r] as number) : this.writeNull());
        }
        // 64-bit values: read the two 32-bit halves and write doubles when exact, BigInt text otherwise.
        const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
        const signed = values instanceof BigInt64Array;
        return (r) => {
          if (!valid(r)) return this.writeNull();
          const hi = words[r * 2 + 1]!;
          if ((signed && hi >= -0x200000 && hi < 0x200000) || (!signed && hi >= 0 && hi < 0x200000)) out.int(hi * 4294967296 + (words[r * 2]! >>> 0));
          else out.ascii(String(values[r]));
        };
      }
      case Type.Float: {
        const values = data.values as ArrayLike<number | bigint>;
        return (r) => {
          if (!valid(r)) return this.writeNull();
          const v = values[r]!;
          out.ascii(typeof v === 'number' && Object.is(v, -0) ? '-0' : String(v));
        };
      }
      case Type.Bool:
        return (r) => (valid(r) ? out.ascii(data.values[(data.offset + r) >> 3]! & (1 << ((data.offset + r) & 7)) ? 'true' : 'false') : this.writeNull());
      case Type.Null:
        return () => this.writeNull();
      default: {
        // Dates, timestamps, decimals, dictionary strings: format the column to text once, then quote as text.
        const texts = new Array<string | null>(data.length);
        formatterFor(this.schema.fields[column]!)(batch.getChildAt(column)!, texts);
        return (r) => {
          const t = texts[r];
          if (t === null || t === undefined) return this.writeNull();
          this.textString(t);
        };
      }
    }
  }
}
