import { KustoServiceError } from '../contracts.js';
import { redact } from '../../util/redact.js';

/**
 * Parses `.export [async] [compressed] to <format> ( <storage>, ... ) [with ( k = v, ... )] <| <query>`.
 * Pure.
 *
 * Storage connection strings are Kusto string literals, possibly adjacent and concatenated, possibly
 * hidden (`h"..."`, `h@"..."`): the Spark connector sends `"https://acct.blob.../container" h@"?sv=..."`.
 * A trailing comma inside `with (...)` is accepted, because the connector emits one
 * (`compressionType="snappy",)`).
 */
export type ExportFormat = 'parquet' | 'csv' | 'tsv' | 'json';

export interface ExportTarget {
  /** Container URL without query string, e.g. https://acct.blob.core.windows.net/container */
  readonly containerUrl: string;
  /** SAS query string without the leading '?', when given. */
  readonly sas?: string;
  /** Account key when given as `<url>;<key>`. */
  readonly accountKey?: string;
}

export interface ExportCommand {
  readonly async: boolean;
  readonly compressed: boolean;
  readonly format: ExportFormat;
  readonly targets: readonly ExportTarget[];
  /** Property names lower-cased; values as written (string literal contents, numbers and words as text). */
  readonly properties: ReadonlyMap<string, string>;
  readonly query: string;
}

function syntax(msg: string): KustoServiceError {
  // The command text carries SAS tokens and keys: nothing of it reaches a message unredacted.
  return new KustoServiceError(400, 'General_BadRequest', redact(`Syntax error in .export: ${msg}`), true, 'Kusto.Data.Exceptions.SyntaxException');
}

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  peek(): string {
    this.ws();
    return this.s[this.i] ?? '';
  }
  word(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.i));
    if (!m) return '';
    this.i += m[0].length;
    return m[0];
  }
  keyword(w: string): boolean {
    this.ws();
    const re = new RegExp(`^${w}\\b`, 'i');
    if (re.test(this.s.slice(this.i))) {
      this.i += w.length;
      return true;
    }
    return false;
  }
  expect(c: string): void {
    if (this.peek() !== c) throw syntax(`expected '${c}' at position ${this.i}${this.i < this.s.length ? ` near '${this.s.slice(this.i, this.i + 20)}'` : ' (end of command)'}`);
    this.i++;
  }
  /** One string literal, or undefined if none starts here. Handles h/H prefix, @ verbatim, ' and ". */
  stringLiteral(): string | undefined {
    this.ws();
    let j = this.i;
    if (this.s[j] === 'h' || this.s[j] === 'H') j++;
    let verbatim = false;
    if (this.s[j] === '@') {
      verbatim = true;
      j++;
    }
    const q = this.s[j];
    if (q !== '"' && q !== "'") return undefined;
    j++;
    let out = '';
    for (;;) {
      if (j >= this.s.length) throw syntax('unterminated string literal');
      const c = this.s[j]!;
      if (verbatim) {
        if (c === q) {
          if (this.s[j + 1] === q) {
            out += q;
            j += 2;
            continue;
          }
          j++;
          break;
        }
        out += c;
        j++;
      } else {
        if (c === '\\') {
          const n = this.s[j + 1];
          out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : (n ?? '');
          j += 2;
          continue;
        }
        if (c === q) {
          j++;
          break;
        }
        out += c;
        j++;
      }
    }
    this.i = j;
    return out;
  }
  /** Adjacent string literals concatenated. */
  concatenated(): string | undefined {
    let first = this.stringLiteral();
    if (first === undefined) return undefined;
    for (;;) {
      const next = this.stringLiteral();
      if (next === undefined) return first;
      first += next;
    }
  }
}

export function parseStorageConnection(text: string): ExportTarget {
  const semi = text.indexOf(';');
  if (semi >= 0) {
    const base = text.slice(0, semi).replace(/\/+$/, '');
    const rest = text.slice(semi + 1);
    if (/^impersonate$/i.test(rest.trim())) {
      throw new KustoServiceError(400, 'BadRequest_InvalidArgument', 'The emulator cannot export with ;impersonate (there is no AAD identity); use a SAS URL or an account key.');
    }
    if (!rest) throw syntax('empty account key after ";" in the storage connection string');
    return { containerUrl: base, accountKey: rest };
  }
  const q = text.indexOf('?');
  if (q < 0) return { containerUrl: text.replace(/\/+$/, '') };
  return { containerUrl: text.slice(0, q).replace(/\/+$/, ''), sas: text.slice(q + 1) };
}

export function parseExportCommand(text: string): ExportCommand {
  const pipe = text.indexOf('<|');
  if (pipe < 0) throw syntax('missing "<| <query>"');
  const head = new Cursor(text.slice(0, pipe));
  const query = text.slice(pipe + 2).trim();
  if (!query) throw syntax('the query after "<|" is empty');
  if (!head.keyword('.export')) throw syntax('the command must start with .export');
  const isAsync = head.keyword('async');
  const compressed = head.keyword('compressed');
  if (!head.keyword('to')) throw syntax('expected "to <format>"');
  const formatWord = head.word().toLowerCase();
  if (!['parquet', 'csv', 'tsv', 'json'].includes(formatWord)) throw syntax(`unsupported export format '${formatWord}' (parquet, csv, tsv, json)`);
  head.expect('(');
  const targets: ExportTarget[] = [];
  for (;;) {
    const s = head.concatenated();
    if (s === undefined) throw syntax('expected a storage connection string literal');
    targets.push(parseStorageConnection(s));
    if (head.peek() === ',') {
      head.i++;
      continue;
    }
    head.expect(')');
    break;
  }
  const properties = new Map<string, string>();
  if (head.keyword('with')) {
    head.expect('(');
    for (;;) {
      if (head.peek() === ')') {
        head.i++;
        break;
      }
      const key = head.word();
      if (!key) throw syntax(`expected a property name at position ${head.i}`);
      head.expect('=');
      let value = head.concatenated();
      if (value === undefined) {
        head.ws();
        const m = /^[^\s,)]+/.exec(head.s.slice(head.i));
        if (!m) throw syntax(`property ${key} has no value`);
        value = m[0];
        head.i += m[0].length;
      }
      properties.set(key.toLowerCase(), value);
      if (head.peek() === ',') {
        head.i++;
        continue;
      }
      head.expect(')');
      break;
    }
  }
  head.ws();
  if (head.i < head.s.length) throw syntax(`unexpected text '${head.s.slice(head.i, head.i + 30)}' before "<|"`);
  return { async: isAsync, compressed, format: formatWord as ExportFormat, targets, properties, query };
}

export interface ExportSettings {
  readonly namePrefix: string;
  /** Uncompressed bytes per file. */
  readonly sizeLimit: number;
  readonly compressionType: 'snappy' | 'gzip' | 'zstd' | 'lz4' | 'brotli' | 'none';
  readonly includeHeaders: 'none' | 'firstFile' | 'all';
  readonly distribution: string;
}

/** The service default for sizeLimit (100 MB). */
export const DEFAULT_SIZE_LIMIT = 100 * 1024 * 1024;

export function exportSettings(cmd: ExportCommand): ExportSettings {
  const p = cmd.properties;
  const sizeText = p.get('sizelimit');
  let sizeLimit = DEFAULT_SIZE_LIMIT;
  if (sizeText !== undefined) {
    sizeLimit = Number(sizeText);
    if (!Number.isFinite(sizeLimit) || sizeLimit <= 0) throw new KustoServiceError(400, 'BadRequest_InvalidArgument', `sizeLimit must be a positive number of bytes, got '${sizeText}'`);
  }
  const ct = (p.get('compressiontype') ?? 'snappy').toLowerCase();
  if (!['snappy', 'gzip', 'zstd', 'lz4', 'brotli', 'none'].includes(ct)) {
    throw new KustoServiceError(400, 'BadRequest_InvalidArgument', `compressionType must be one of snappy, gzip, zstd, lz4, brotli, none; got '${ct}'`);
  }
  const ih = p.get('includeheaders') ?? 'none';
  const includeHeaders = ih.toLowerCase() === 'all' ? 'all' : ih.toLowerCase() === 'firstfile' ? 'firstFile' : 'none';
  return {
    namePrefix: p.get('nameprefix') ?? 'export',
    sizeLimit,
    compressionType: ct as ExportSettings['compressionType'],
    includeHeaders,
    distribution: p.get('distribution') ?? 'per_node',
  };
}
