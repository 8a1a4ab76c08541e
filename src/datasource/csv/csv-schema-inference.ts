import { Bool, DateDay, Field, Float64, Int32, Int64, Schema, TimeUnit, Timestamp, Utf8, type DataType } from 'apache-arrow';
import { ConfigError } from '../../errors/kjob-error.js';
import type { FileEntry } from '../storage/location.js';
import { displayLocation } from '../storage/location.js';
import { CONTINUE, STOP, scanRecords } from './csv-record-scanner.js';
import { FIELD_ESCAPED, FIELD_QUOTED, unescapeField, type CsvDialect, type RecordFields } from './csv-tokenizer.js';
import type { CsvReadOptions } from './csv-options.js';
import { inInt64Range, parseBoolean, parseDate, parseFloatBytes, parseInteger, parseTimestamp } from './value-parsers.js';

/** The types CSV inference can produce, narrowest first within each family. */
export type InferredType = 'null' | 'int32' | 'int64' | 'float64' | 'boolean' | 'date' | 'timestamp' | 'string';

/** The narrowest type of one non-null value. Pure. */
export function inferValue(buf: Uint8Array, s: number, e: number): InferredType {
  const int = parseInteger(buf, s, e);
  if (int !== undefined) {
    if (typeof int === 'number' && int >= -2147483648 && int <= 2147483647) return 'int32';
    // Integers beyond int64 stay text rather than becoming lossy doubles.
    return inInt64Range(int) ? 'int64' : 'string';
  }
  if (parseFloatBytes(buf, s, e).ok) return 'float64';
  if (parseBoolean(buf, s, e) !== undefined) return 'boolean';
  if (parseDate(buf, s, e) !== undefined) return 'date';
  if (parseTimestamp(buf, s, e) !== undefined) return 'timestamp';
  return 'string';
}

const NUMERIC: readonly InferredType[] = ['int32', 'int64', 'float64'];

/** The type both values fit: numeric widening, date → timestamp, anything else → string. Pure. */
export function mergeInferred(a: InferredType, b: InferredType): InferredType {
  if (a === b || b === 'null') return a;
  if (a === 'null') return b;
  const na = NUMERIC.indexOf(a);
  const nb = NUMERIC.indexOf(b);
  if (na >= 0 && nb >= 0) return NUMERIC[Math.max(na, nb)]!;
  if ((a === 'date' && b === 'timestamp') || (a === 'timestamp' && b === 'date')) return 'timestamp';
  return 'string';
}

export function arrowTypeOfInferred(t: InferredType): DataType {
  switch (t) {
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'float64':
      return new Float64();
    case 'boolean':
      return new Bool();
    case 'date':
      return new DateDay();
    case 'timestamp':
      return new Timestamp(TimeUnit.MICROSECOND, 'UTC');
    default:
      return new Utf8();
  }
}

/** Column names from a header: blanks become `_c<i>`, duplicates get their index appended (as Spark). */
export function headerNames(raw: readonly string[]): string[] {
  const names = raw.map((n, i) => (n.trim() === '' ? `_c${i}` : n));
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n.toLowerCase(), (counts.get(n.toLowerCase()) ?? 0) + 1);
  return names.map((n, i) => ((counts.get(n.toLowerCase()) ?? 0) > 1 ? `${n}${i}` : n));
}

function fieldText(buf: Uint8Array, fields: RecordFields, c: number, dialect: CsvDialect): string {
  const s = fields.starts[c]!;
  const e = fields.ends[c]!;
  if (fields.flags[c]! & FIELD_ESCAPED) {
    const out = new Uint8Array(e - s);
    return Buffer.from(out.buffer, 0, unescapeField(buf, s, e, dialect, out)).toString('utf8');
  }
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('utf8');
}

/**
 * The schema of a CSV input from the start of its first file: names from the header (or `_c0…`),
 * types inferred over a sample of records when `inferSchema`, else all strings (Spark's default).
 */
export async function inferCsvSchema(file: FileEntry, opts: CsvReadOptions, dialect: CsvDialect, conf: ReadonlyMap<string, string>): Promise<Schema> {
  let names: string[] | undefined;
  let types: InferredType[] = [];
  let seen = 0;
  let sampled = 0;
  const nullBytes = Buffer.from(opts.nullValue, 'utf8');
  const range = { location: file.location, fileSize: file.size, start: 0, end: file.size };
  for await (const _ of scanRecords(range, conf, dialect, (buf, fields) => {
    if (fields.isBlank()) return CONTINUE;
    if (names === undefined) {
      const raw = Array.from({ length: fields.count }, (_, c) => fieldText(buf, fields, c, dialect));
      names = opts.header ? headerNames(raw) : raw.map((_, i) => `_c${i}`);
      types = names.map(() => 'null');
      if (opts.header) return opts.inferSchema ? CONTINUE : STOP;
    }
    if (!opts.inferSchema) return STOP;
    seen++;
    // Deterministic sampling: keep the record whenever the running share crosses an integer.
    if (Math.floor(seen * opts.samplingRatio) === Math.floor((seen - 1) * opts.samplingRatio)) return CONTINUE;
    sampled++;
    for (let c = 0; c < Math.min(fields.count, types.length); c++) {
      const s = fields.starts[c]!;
      const e = fields.ends[c]!;
      const flags = fields.flags[c]!;
      const len = e - s;
      const isNull = (len === 0 && !(flags & FIELD_QUOTED)) || (len === nullBytes.length && Buffer.compare(Buffer.from(buf.buffer, buf.byteOffset + s, len), nullBytes) === 0);
      if (isNull) continue;
      const t = len === 0 || flags & FIELD_ESCAPED ? 'string' : inferValue(buf, s, e);
      types[c] = mergeInferred(types[c]!, t);
    }
    return sampled >= opts.sampleLines ? STOP : CONTINUE;
  })) {
    /* the callback never pauses */
  }
  if (names === undefined) {
    throw new ConfigError(`Cannot infer a schema: ${displayLocation(file.location)} has no records`, {
      resolution: 'Give a schema with schema("a INT, b STRING") or option("schema", ...).',
      context: { file: displayLocation(file.location) },
    });
  }
  const finalNames = names;
  return new Schema(finalNames.map((n, i) => new Field(n, arrowTypeOfInferred(types[i] ?? 'null'), true)));
}
