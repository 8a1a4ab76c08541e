/**
 * Splits delimited text (CSV, TSV, PSV, SCSV, SOHSV) into records with Kusto's quoting rules:
 * a field that starts with `"` is quoted, `""` inside it is one `"`, and separators and line breaks
 * inside quotes belong to the field. Records end at `\n` or `\r\n`; empty lines are skipped.
 */
export interface DelimitedRecord {
  readonly fields: string[];
  /** 1-based line number where the record starts (for error messages). */
  readonly line: number;
}

export class UnterminatedQuoteError extends Error {
  constructor(readonly line: number) {
    super(`Unterminated quoted field starting on line ${line}`);
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export function* parseDelimited(text: string, separator: string): Generator<DelimitedRecord> {
  const sep = separator.charCodeAt(0);
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let endOfRecord = false;
    // An empty line is no record.
    if (text.charCodeAt(i) === LF) {
      i++;
      line++;
      continue;
    }
    if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) {
      i += 2;
      line++;
      continue;
    }
    while (!endOfRecord) {
      if (text.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        let j = from;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new UnterminatedQuoteError(startLine);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            j = q + 2;
            from = j;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) line++;
        // Characters after the closing quote up to the separator are kept, as lenient parsers do.
        let k = i;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === sep || c === LF || c === CR) break;
          k++;
        }
        if (k > i) value += text.slice(i, k);
        i = k;
        fields.push(value);
      } else {
        let k = i;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === sep || c === LF || c === CR) break;
          k++;
        }
        fields.push(text.slice(i, k));
        i = k;
      }
      const c = text.charCodeAt(i);
      if (i >= n) endOfRecord = true;
      else if (c === sep) {
        i++;
        if (i >= n) {
          fields.push('');
          endOfRecord = true;
        }
      } else if (c === CR) {
        i += text.charCodeAt(i + 1) === LF ? 2 : 1;
        line++;
        endOfRecord = true;
      } else {
        i++;
        line++;
        endOfRecord = true;
      }
    }
    yield { fields, line: startLine };
  }
}

/** TSVE: tab-separated with backslash escapes (`\t`, `\n`, `\r`, `\\`) inside fields. */
export function unescapeTsve(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\([tnr\\0])/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c === '0' ? '\0' : '\\'));
}

export const SEPARATORS: Readonly<Record<string, string>> = {
  csv: ',',
  tsv: '\t',
  tsve: '\t',
  psv: '|',
  scsv: ';',
  sohsv: '\u0001',
};
