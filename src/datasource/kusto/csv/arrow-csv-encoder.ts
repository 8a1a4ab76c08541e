/**
 * Arrow RecordBatches → the Spark connector's CSV bytes (reference §3.5), streaming: each call
 * encodes rows straight from the Arrow buffers into bounded Buffer chunks, and can stop at a byte
 * budget on a row boundary, so a sink can roll over to a new blob at `clientBatchingLimit`.
 *
 * Per field: null → empty; string → `"…"` with `"` doubled, the empty string → nothing (so, as in
 * the connector, it cannot be told from null; Kusto strings are never null anyway); bool → true/false;
 * integers and floats → Java text, unquoted; decimal → quoted plain text with `scale` digits;
 * date → quoted `yyyy-MM-dd`; timestamp → quoted Java LocalDateTime text in the `timeZone`;
 * duration and time of day → quoted Kusto timespan; binary → quoted base64; struct/list/map → quoted JSON
 * (nested-json.ts); anything else → its text, quoted. Records end with `\n`, no header.
 *
 * Type dispatch happens once per column and batch (a writer closure per column); the row loop
 * then only calls the writers.
 */
import { Type, makeVector, type Data, type RecordBatch } from 'apache-arrow';
import { ByteSink } from './byte-sink.js';
import { base64At, boolAt, decimalUnscaled, dictionaryEntry, formatDateAt, formatDecimal, formatDurationAt, formatNumberAt, formatTimeOfDayAt, formatTimestampAt, isValid, rangeAt, timestampAt, type OffsetResolver } from './arrow-values.js';
import { formatLocalDateTimeParts, javaFraction, zoneOffsetResolver } from './java-time-format.js';
import { javaDoubleToString, javaFloatToString } from './java-number-format.js';
import { writeJsonValue } from './nested-json.js';

const COMMA = 0x2c;
const NEWLINE = 0x0a;

export interface CsvEncoderOptions {
  /** Zone whose wall clock timestamps are written in (the sink's `timeZone` option). @defaultValue 'UTC' */
  readonly timeZone?: string;
  /** Size of the Buffers handed out. @defaultValue 1 MiB */
  readonly chunkBytes?: number;
}

export interface EncodeResult {
  /** The CSV bytes of the encoded rows, in order. */
  readonly chunks: Buffer[];
  /** Bytes in `chunks`. */
  readonly bytes: number;
  /** First row not encoded (`batch.numRows` when the batch is done). */
  readonly nextRow: number;
}

type CellWriter = (i: number) => void;

export class ArrowCsvEncoder {
  readonly #sink: ByteSink;
  readonly #offsetOf: OffsetResolver;
  readonly #utc: boolean;
  #rows = 0;

  constructor(options: CsvEncoderOptions = {}) {
    this.#sink = new ByteSink(options.chunkBytes);
    const tz = options.timeZone ?? 'UTC';
    this.#offsetOf = zoneOffsetResolver(tz);
    this.#utc = /^(utc|z|gmt|etc\/utc)$/i.test(tz.trim());
  }

  /** Bytes produced by this encoder so far (the blob roll-over counter). */
  get bytesWritten(): number {
    return this.#sink.totalBytes;
  }

  get rowsWritten(): number {
    return this.#rows;
  }

  /**
   * Encodes rows `startRow…` of `batch`, stopping at `byteBudget` bytes of output for this call:
   * - `'include'` (blob roll-over, as the connector): stop after the row that reaches the budget;
   * - `'exclude'` (KustoStreaming chunks, a hard request limit): stop before the row that would pass
   *   the budget, unless it is the call's first row, which is then sent alone.
   */
  encode(batch: RecordBatch, startRow = 0, byteBudget = Infinity, budgetMode: 'include' | 'exclude' = 'include'): EncodeResult {
    const sink = this.#sink;
    const before = sink.totalBytes;
    const writers = batch.schema.fields.map((_, c) => this.#writerFor(columnData(batch, c)));
    const n = batch.numRows;
    const cols = writers.length;
    let row = startRow;
    while (row < n) {
      const rowStart = sink.totalBytes;
      for (let c = 0; c < cols; c++) {
        if (c > 0) sink.byte(COMMA);
        writers[c]!(row);
      }
      sink.byte(NEWLINE);
      const written = sink.totalBytes - before;
      if (budgetMode === 'exclude' && written > byteBudget && row > startRow) {
        sink.rewind(rowStart);
        break;
      }
      row++;
      if (written >= byteBudget) break;
    }
    this.#rows += row - startRow;
    const chunks = sink.drain();
    return { chunks, bytes: sink.totalBytes - before, nextRow: row };
  }

  #writerFor(data: Data): CellWriter {
    const valueWriter = this.#valueWriter(data);
    if (data.typeId === Type.Null) return () => undefined;
    if (data.nullCount === 0) return valueWriter;
    return (i) => {
      if (isValid(data, i)) valueWriter(i);
    };
  }

  #valueWriter(data: Data): CellWriter {
    const sink = this.#sink;
    const offsetOf = this.#offsetOf;
    switch (data.typeId) {
      case Type.Utf8:
      case Type.LargeUtf8: {
        const values = data.values as Uint8Array;
        return (i) => {
          const [s, e] = rangeAt(data, i);
          if (e > s) sink.quotedBytes(values, s, e);
        };
      }
      case Type.Bool:
        return (i) => sink.ascii(boolAt(data, i) ? 'true' : 'false');
      case Type.Int: {
        const values = data.values as ArrayLike<number | bigint>;
        if (values instanceof BigInt64Array) {
          // Reading a BigInt64Array allocates a BigInt per value; the two 32-bit halves give the
          // same number without allocation whenever it is a safe integer (nearly always).
          const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
          return (i) => {
            const hi = halves[2 * i + 1]!;
            if (hi >= -2097152 && hi < 2097152) sink.ascii(String(hi * 4294967296 + (halves[2 * i]! >>> 0)));
            else sink.ascii(String(values[i]));
          };
        }
        if ((data.type as unknown as { bitWidth: number }).bitWidth === 64 && !(values instanceof BigUint64Array)) return (i) => sink.ascii(formatNumberAt(data, i));
        return (i) => sink.ascii(String(values[i]));
      }
      case Type.Float: {
        if (data.values instanceof Float64Array) {
          const values = data.values;
          return (i) => sink.ascii(javaDoubleToString(values[i]!));
        }
        if (data.values instanceof Uint16Array) {
          // float16 halves are decoded by Arrow's vector; built once per column, not once per value.
          const halves = makeVector(data);
          return (i) => sink.ascii(javaFloatToString(halves.get(i) as number));
        }
        return (i) => sink.ascii(formatNumberAt(data, i));
      }
      case Type.Decimal: {
        const scale = (data.type as unknown as { scale: number }).scale;
        return (i) => sink.ascii(`"${formatDecimal(decimalUnscaled(data, i), scale)}"`);
      }
      case Type.Date:
        return (i) => sink.ascii(`"${formatDateAt(data, i)}"`);
      case Type.Timestamp: {
        if (!this.#utc) return (i) => sink.ascii(`"${formatTimestampAt(data, i, offsetOf)}"`);
        // UTC fast path: the date part is cached (rows of a batch often share a day) and the time of
        // day is written digit by digit.
        let lastDay = NaN;
        let dayPrefix = '';
        return (i) => {
          const { seconds, nanos } = timestampAt(data, i);
          const day = Math.floor(seconds / 86_400);
          if (day !== lastDay) {
            lastDay = day;
            dayPrefix = `"${formatLocalDateTimeParts(day * 86_400, 0).slice(0, 11)}`;
          }
          const sec = seconds - day * 86_400;
          sink.ascii(dayPrefix);
          sink.twoDigits((sec / 3600) | 0);
          sink.byte(0x3a);
          sink.twoDigits(((sec % 3600) / 60) | 0);
          const s = sec % 60;
          if (s !== 0 || nanos !== 0) {
            sink.byte(0x3a);
            sink.twoDigits(s);
            if (nanos !== 0) sink.ascii(javaFraction(nanos));
          }
          sink.byte(0x22);
        };
      }
      case Type.Duration:
        return (i) => sink.ascii(`"${formatDurationAt(data, i)}"`);
      case Type.Time:
        return (i) => sink.ascii(`"${formatTimeOfDayAt(data, i)}"`);
      case Type.Binary:
      case Type.LargeBinary:
      case Type.FixedSizeBinary:
        return (i) => sink.ascii(`"${base64At(data, i)}"`);
      case Type.Struct:
      case Type.List:
      case Type.LargeList:
      case Type.FixedSizeList:
      case Type.Map:
        return (i) => {
          const out: string[] = [];
          writeJsonValue(data, i, offsetOf, out);
          sink.quotedString(out.join(''));
        };
      case Type.Dictionary: {
        const writers = new Map<Data, CellWriter>();
        return (i) => {
          const { chunk, index } = dictionaryEntry(data, i);
          let w = writers.get(chunk);
          if (!w) writers.set(chunk, (w = this.#writerFor(chunk)));
          w(index);
        };
      }
      default: {
        const vector = makeVector(data);
        return (i) => {
          const v = vector.get(i);
          if (v === null || v === undefined) return;
          const text = v instanceof Uint8Array ? Buffer.from(v).toString('base64') : String(v);
          if (text !== '') sink.quotedString(text);
        };
      }
    }
  }
}

/** Encodes a whole batch; convenience over {@link ArrowCsvEncoder}. */
export function encodeBatch(batch: RecordBatch, options: CsvEncoderOptions = {}): Buffer[] {
  return new ArrowCsvEncoder(options).encode(batch).chunks;
}

function columnData(batch: RecordBatch, c: number): Data {
  const vector = batch.getChildAt(c);
  if (!vector || vector.data.length !== 1) throw new TypeError(`RecordBatch column ${c} must have exactly one Data chunk`);
  return vector.data[0]!;
}
