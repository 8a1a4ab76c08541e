import type { RecordBatch, Schema } from 'apache-arrow';
import type { CsvWriteOptions } from './csv-options.js';
import { formatterFor, type ColumnFormatter } from './csv-value-format.js';

/**
 * Turns batches into CSV text: values column at a time, then rows. A value is quoted when it
 * contains the separator, the quote or escape character, CR or LF, when it is the empty string
 * (so that it reads back as '' and not null), when it equals a non-empty nullValue, or always with
 * quoteAll. Nulls are written as nullValue (empty by default).
 */
export class CsvFormatter {
  private readonly formatters: ColumnFormatter[];
  private readonly special: RegExp;
  private readonly escapeRe: RegExp;
  private readonly escapeWith: string;

  constructor(
    private readonly schema: Schema,
    private readonly opts: CsvWriteOptions,
  ) {
    this.formatters = schema.fields.map((f) => formatterFor(f));
    const chars = [...new Set([opts.sep, opts.quote, opts.escape])].map((c) => c.replace(/[\\\]^-]/g, '\\$&')).join('');
    this.special = new RegExp(`[${chars}\\r\\n]`);
    this.escapeRe = new RegExp(`[${[...new Set([opts.quote, opts.escape])].map((c) => c.replace(/[\\\]^-]/g, '\\$&')).join('')}]`, 'g');
    this.escapeWith = opts.escape;
  }

  header(): string {
    return `${this.schema.fields.map((f) => this.quote(f.name)).join(this.opts.sep)}\n`;
  }

  private quote(s: string): string {
    if (!this.opts.quoteAll && s !== '' && !this.special.test(s) && (this.opts.nullValue === '' || s !== this.opts.nullValue)) return s;
    return `${this.opts.quote}${s.replace(this.escapeRe, (c) => `${this.escapeWith}${c}`)}${this.opts.quote}`;
  }

  format(batch: RecordBatch): string {
    const n = batch.numRows;
    const columns = this.formatters.map((format, c) => {
      const out = new Array<string | null>(n);
      format(batch.getChildAt(c)!, out);
      for (let i = 0; i < n; i++) {
        const v = out[i];
        out[i] = v === null || v === undefined ? this.opts.nullValue : this.quote(v);
      }
      return out as string[];
    });
    const lines = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      let line = columns.length > 0 ? columns[0]![i]! : '';
      for (let c = 1; c < columns.length; c++) line += this.opts.sep + columns[c]![i]!;
      lines[i] = line;
    }
    return n === 0 ? '' : `${lines.join('\n')}\n`;
  }
}
