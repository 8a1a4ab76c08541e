/**
 * Splits JSON ingestion payloads into records.
 * - json: one object per line (JSON Lines); a line that is not JSON is a bad record.
 * - multijson: objects one after another, possibly spanning lines and possibly wrapped in arrays.
 * - singlejson: the whole payload is one object (or an array of objects).
 */
export interface JsonRecord {
  readonly value: unknown;
  readonly line: number;
}

export interface JsonSplit {
  readonly records: JsonRecord[];
  readonly bad: { line: number; message: string }[];
}

export function splitJsonLines(text: string): JsonSplit {
  const records: JsonRecord[] = [];
  const bad: { line: number; message: string }[] = [];
  let line = 0;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const s = text.slice(start, end).trim();
    if (s !== '') {
      try {
        records.push({ value: JSON.parse(s), line });
      } catch (err) {
        bad.push({ line, message: (err as Error).message });
      }
    }
    start = end + 1;
  }
  return { records, bad };
}

/** Walks the text and cuts it at the end of each top-level JSON value (strings and nesting aware). */
export function splitMultiJson(text: string): JsonSplit {
  const records: JsonRecord[] = [];
  const bad: { line: number; message: string }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === ',') {
      i++;
      continue;
    }
    const startLine = line;
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const ch = text[i]!;
      if (ch === '\n') line++;
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && (ch === '\n' || ch === ' ' || ch === ',')) break;
    }
    const piece = text.slice(start, i);
    try {
      const v = JSON.parse(piece) as unknown;
      if (Array.isArray(v)) for (const x of v) records.push({ value: x, line: startLine });
      else records.push({ value: v, line: startLine });
    } catch (err) {
      bad.push({ line: startLine, message: (err as Error).message });
    }
  }
  return { records, bad };
}
