import { KustoServiceError, type KustoColumn } from '../contracts.js';
import { KUSTO_TYPE_ALIASES } from '../storage-types.js';

/**
 * The small pieces of command syntax the handlers share: entity names (`T`, `['T']`, `["T"]`,
 * `[T]`), string literals (`'…'`, `"…"` with backslash escapes, verbatim `@'…'`/`@"…"` with doubled
 * quotes, hidden `h'…'`, multi-line ```` ```…``` ````, adjacent literals concatenated), column
 * lists `(a:long, ['b c']:string)` and `with (k=v, …)` property bags.
 */
export function syntaxError(message: string): KustoServiceError {
  return new KustoServiceError(400, 'General_BadRequest', `Syntax error: ${message}`, true, 'Kusto.Data.Exceptions.SyntaxException');
}

/** Regex source for one entity name in any of its quoted forms. */
export const NAME = String.raw`(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\[\s*'(?:[^']|'')*'\s*\]|\[\s*"(?:[^"\\]|\\.)*"\s*\]|\[[^\]'"]*\]|[A-Za-z_$][\w$.-]*)`;

export function unquoteName(raw: string): string {
  const s = raw.trim();
  if (s.startsWith('[')) {
    const inner = s.slice(1, -1).trim();
    if (inner.startsWith("'")) return inner.slice(1, -1).replace(/''/g, "'");
    if (inner.startsWith('"')) return JSON.parse(inner) as string;
    return inner;
  }
  if ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"'))) return parseLiteralAt(s, 0).value;
  return s;
}

export interface LiteralAt {
  readonly value: string;
  readonly end: number;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

function parseOne(text: string, pos: number): LiteralAt | undefined {
  let i = pos;
  if (text[i] === 'h' || text[i] === 'H') i++;
  let verbatim = false;
  if (text[i] === '@') {
    verbatim = true;
    i++;
  }
  if (text.startsWith('```', i)) {
    const end = text.indexOf('```', i + 3);
    if (end < 0) throw syntaxError('unterminated ``` string literal');
    return { value: text.slice(i + 3, end), end: end + 3 };
  }
  const q = text[i];
  if (q !== "'" && q !== '"') return undefined;
  let out = '';
  let j = i + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (verbatim) {
      if (c === q) {
        if (text[j + 1] === q) {
          out += q;
          j += 2;
          continue;
        }
        return { value: out, end: j + 1 };
      }
      out += c;
      j++;
    } else {
      if (c === '\\') {
        const n = text[j + 1];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === undefined ? '' : n;
        j += 2;
        continue;
      }
      if (c === q) return { value: out, end: j + 1 };
      out += c;
      j++;
    }
  }
  throw syntaxError(`unterminated string literal starting at offset ${pos}`);
}

/** Exactly one string literal starting at `pos` (after whitespace), e.g. a mapping name. */
export function parseSingleLiteralAt(text: string, pos: number): LiteralAt {
  const i = skipWs(text, pos);
  const one = parseOne(text, i);
  if (!one) throw syntaxError(`expected a string literal at offset ${i} near '${text.slice(i, i + 20)}'`);
  return one;
}

/** A string literal (or several adjacent ones, concatenated) starting at `pos` (after whitespace). */
export function parseLiteralAt(text: string, pos: number): LiteralAt {
  let i = skipWs(text, pos);
  const first = parseOne(text, i);
  if (!first) throw syntaxError(`expected a string literal at offset ${i} near '${text.slice(i, i + 20)}'`);
  let value = first.value;
  i = first.end;
  for (;;) {
    const k = skipWs(text, i);
    const next = k < text.length ? parseOne(text, k) : undefined;
    if (!next) break;
    value += next.value;
    i = next.end;
  }
  return { value, end: i };
}

/** Parses `(a:long, ['b']:string, …)`, starting at the opening parenthesis. */
export function parseColumnList(text: string): KustoColumn[] {
  const s = text.trim();
  if (!s.startsWith('(') || !s.endsWith(')')) throw syntaxError(`expected a column list '(name:type, …)' but found '${s.slice(0, 60)}'`);
  const inner = s.slice(1, -1);
  const cols: KustoColumn[] = [];
  for (const part of splitTopLevel(inner, ',')) {
    const p = part.trim();
    if (p === '') continue;
    const m = new RegExp(String.raw`^(${NAME})\s*:\s*([A-Za-z0-9_]+)$`).exec(p);
    if (!m) throw syntaxError(`cannot read column definition '${p}' (expected name:type)`);
    const type = KUSTO_TYPE_ALIASES[m[2]!.toLowerCase()];
    if (!type) throw syntaxError(`unknown column type '${m[2]}' for column '${unquoteName(m[1]!)}'`);
    cols.push({ name: unquoteName(m[1]!), type });
  }
  return cols;
}

/** Index of the first of `chars` at or after `from` outside quotes, brackets and parentheses; -1 if none. */
export function indexOfTopLevel(text: string, chars: string, from = 0): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      i = skipQuoted(text, i);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && chars.includes(c)) return i;
  }
  return -1;
}

/** Splits at `sep` outside quotes, brackets and parentheses. */
export function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = indexOfTopLevel(text, sep); i >= 0; i = indexOfTopLevel(text, sep, start)) {
    out.push(text.slice(start, i));
    start = i + 1;
  }
  out.push(text.slice(start));
  return out;
}

/** Index of the closing quote of the literal opening at `i` (verbatim when preceded by @). */
export function skipQuoted(text: string, i: number): number {
  const q = text[i];
  const verbatim = text[i - 1] === '@';
  let j = i + 1;
  while (j < text.length) {
    if (!verbatim && text[j] === '\\') {
      j += 2;
      continue;
    }
    if (text[j] === q) {
      if (verbatim && text[j + 1] === q) {
        j += 2;
        continue;
      }
      return j;
    }
    j++;
  }
  return text.length;
}

/** Index of the `)` matching the `(` at `open`. */
export function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      i = skipQuoted(text, i);
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw syntaxError(`unbalanced parentheses starting at offset ${open}`);
}

/**
 * Reads every `with (k=v, …)` group in `text` (the connector sends two in a row). Keys are
 * lower-cased; values are unquoted literals or bare tokens.
 */
export function parseWithProps(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  const re = /\bwith\s*\(/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const open = m.index + m[0].length - 1;
    const close = matchParen(text, open);
    for (const part of splitTopLevel(text.slice(open + 1, close), ',')) {
      const p = part.trim();
      if (!p) continue;
      const eq = p.indexOf('=');
      if (eq < 0) throw syntaxError(`property '${p}' in with(...) has no value`);
      const key = p.slice(0, eq).trim().toLowerCase();
      const raw = p.slice(eq + 1).trim();
      props[key] = /^[hH]?@?['"`]/.test(raw) ? parseLiteralAt(raw, 0).value : raw;
    }
    re.lastIndex = close + 1;
  }
  return props;
}

export function boolProp(props: Record<string, string>, key: string): boolean {
  return (props[key] ?? '').toLowerCase() === 'true';
}

/** Parses a JSON array of strings as given in `tags='["a","b"]'`. */
export function parseTagList(text: string | undefined, what: string): string[] {
  if (text === undefined || text.trim() === '') return [];
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw syntaxError(`${what} must be a JSON array of strings, got '${text}'`);
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw syntaxError(`${what} must be a JSON array of strings, got '${text}'`);
  return v as string[];
}
