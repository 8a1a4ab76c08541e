import { RecordBatch, Struct, Type, makeData, type Schema } from 'apache-arrow';
import { builderFor, type ColumnBuilder } from './csv-columns.js';
import { FIELD_ESCAPED, FIELD_QUOTED, unescapeField, type CsvDialect, type RecordFields } from './csv-tokenizer.js';
import type { CsvParseMode } from './csv-options.js';

/** Why a record was rejected: the column (undefined for the whole record) and the reason. */
export interface RecordProblem {
  readonly column: string | undefined;
  readonly reason: string;
}

/**
 * Turns tokenized records into columns of one batch, applying null rules and the parse mode:
 * PERMISSIVE (bad values become null, missing columns null, extra ones ignored), DROPMALFORMED (the
 * record is rolled back) or FAILFAST (the first problem is reported to the caller).
 */
export class RecordAssembler {
  rows = 0;
  private readonly builders: ColumnBuilder[];
  private readonly isString: boolean[];
  private readonly nullBytes: Buffer;
  private scratch = new Uint8Array(1 << 16);
  /** The problem that stopped a FAILFAST read. */
  failure: RecordProblem | undefined;

  /**
   * @param schema the output columns
   * @param sourceIndex for each output column, its field position in a record
   * @param fieldCount how many fields a well-formed record has
   */
  constructor(
    private readonly schema: Schema,
    private readonly sourceIndex: readonly number[],
    private readonly fieldCount: number,
    private readonly dialect: CsvDialect,
    private readonly mode: CsvParseMode,
    nullValue: string,
    capacity: number,
  ) {
    this.builders = schema.fields.map((f) => builderFor(f, capacity));
    this.isString = schema.fields.map((f) => f.type.typeId === Type.Utf8);
    this.nullBytes = Buffer.from(nullValue, 'utf8');
  }

  /** Adds one record; returns false when FAILFAST hit a problem (see `failure`). */
  add(buf: Uint8Array, fields: RecordFields): boolean {
    let problem: RecordProblem | undefined;
    if (fields.malformed) problem = { column: undefined, reason: fields.malformed };
    else if (fields.count !== this.fieldCount) problem = { column: undefined, reason: `expected ${this.fieldCount} fields but found ${fields.count}` };
    if (problem && this.mode !== 'PERMISSIVE') return this.reject(problem);
    for (let o = 0; o < this.builders.length; o++) {
      const builder = this.builders[o]!;
      const c = this.sourceIndex[o]!;
      if (c >= fields.count) {
        builder.appendNull(); // PERMISSIVE: a short record's missing columns are null
        continue;
      }
      let s = fields.starts[c]!;
      let e = fields.ends[c]!;
      const flags = fields.flags[c]!;
      let src = buf;
      if (flags & FIELD_ESCAPED) {
        if (this.scratch.length < e - s) this.scratch = new Uint8Array(Math.max(e - s, this.scratch.length * 2));
        const len = unescapeField(buf, s, e, this.dialect, this.scratch);
        src = this.scratch;
        s = 0;
        e = len;
      }
      if (this.isNull(src, s, e, flags, o)) builder.appendNull();
      else if (!builder.append(src, s, e)) {
        const field = this.schema.fields[o]!;
        const bad: RecordProblem = { column: field.name, reason: `'${snippet(src, s, e)}' is not a valid ${String(field.type)}` };
        if (this.mode !== 'PERMISSIVE') {
          for (let k = 0; k < o; k++) this.builders[k]!.truncate(this.rows);
          return this.reject(bad);
        }
        builder.appendNull();
      }
    }
    this.rows++;
    return true;
  }

  private reject(problem: RecordProblem): boolean {
    if (this.mode === 'FAILFAST') {
      this.failure = problem;
      return false;
    }
    return true; // DROPMALFORMED: the record leaves no trace
  }

  private isNull(buf: Uint8Array, s: number, e: number, flags: number, column: number): boolean {
    const len = e - s;
    // Unquoted empty text is null; a quoted "" is the empty string in a string column (Spark >= 2.4)
    // and null elsewhere, since empty is no value of other types.
    if (len === 0) return !(this.isString[column] && flags & FIELD_QUOTED);
    const nb = this.nullBytes;
    if (len !== nb.length) return false;
    for (let i = 0; i < len; i++) if (buf[s + i] !== nb[i]) return false;
    return true;
  }

  /** The rows added so far as a batch; the assembler starts empty again. */
  finish(): RecordBatch {
    const length = this.rows;
    const children = this.builders.map((b) => b.finish());
    this.rows = 0;
    return new RecordBatch(this.schema, makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children }));
  }
}

function snippet(buf: Uint8Array, s: number, e: number): string {
  const text = Buffer.from(buf.buffer, buf.byteOffset + s, Math.min(e - s, 60)).toString('utf8');
  return e - s > 60 ? `${text}…` : text;
}
