/**
 * Splits delimited text (CSV, TSV, PSV, SCSV, SOHSV) into records with Kusto's quoting rules:
 * a field that starts with `"` is quoted, `""` inside it is one `"`, and separators and line breaks
 * inside quotes belong to the field. Records end at `\n` or `\r\n` (a lone `\r` is data); empty
 * lines are skipped.
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
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  // Next separator and next line feed at or after i, found by the engine's native indexOf rather
  // than a character loop (ingestion spends most of its time here).
  let nextSep = -1;
  let nextLf = -1;
  const sepAt = (from: number) => {
    if (nextSep < from && nextSep !== n) {
      nextSep = text.indexOf(separator, from);
      if (nextSep < 0) nextSep = n;
    }
    return nextSep;
  };
  const lfAt = (from: number) => {
    if (nextLf < from && nextLf !== n) {
      nextLf = text.indexOf('\n', from);
      if (nextLf < 0) nextLf = n;
    }
    return nextLf;
  };
  while (i < n) {
    const startLine = line;
    const c0 = text.charCodeAt(i);
    // An empty line is no record.
    if (c0 === LF) {
      i++;
      line++;
      continue;
    }
    if (c0 === CR && text.charCodeAt(i + 1) === LF) {
      i += 2;
      line++;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) throw new UnterminatedQuoteError(startLine);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) line++;
        // Characters after the closing quote up to the separator are kept, as lenient parsers do.
        const end = Math.min(sepAt(i), lfAt(i));
        if (end > i) value += text.slice(i, text.charCodeAt(end - 1) === CR && end === nextLf ? end - 1 : end);
        i = end;
      } else {
        const end = Math.min(sepAt(i), lfAt(i));
        value = text.slice(i, end > i && end === nextLf && text.charCodeAt(end - 1) === CR ? end - 1 : end);
        i = end;
      }
      fields.push(value);
      if (i >= n) break;
      if (text.charCodeAt(i) === LF) {
        i++;
        line++;
        break;
      }
      // a separator
      i++;
      if (i >= n) {
        fields.push('');
        break;
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
