import type { ColumnMappingEntry, IngestItem, IngestItemOutcome, KustoColumn, KustoType } from '../contracts.js';
import { TICKS } from '../storage-types.js';
import { convertStructured, convertText, INVALID, type Converted } from './convert-value.js';
import { parseDelimited, SEPARATORS, UnterminatedQuoteError, unescapeTsve } from './delimited-parser.js';
import { compileJsonPath, evalJsonPath, type PathStep } from './json-path.js';
import { splitJsonLines, splitMultiJson, type JsonSplit } from './json-records.js';

/**
 * Turns one ingestion item into rows in storage form, aligned with the target table's columns.
 *
 * Validation (documented behaviour): with ValidationImplications BestEffort (1, the default) a
 * value that cannot become its column's type is stored as null, a malformed record (bad JSON
 * line) is skipped, and both count as bad rows — the item is PartiallySucceeded. With Fail (0)
 * any bad value or record fails the whole item and none of its rows are kept.
 */
export interface ParsedItem {
  readonly rows: Converted[][];
  readonly outcome: IngestItemOutcome;
}

export interface ParquetData {
  readonly names: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface ParseContext {
  readonly columns: readonly KustoColumn[];
  readParquet(data: Buffer): Promise<ParquetData>;
}

class Tally {
  badRows = 0;
  firstError: string | undefined;
  code: string | undefined;
  bad(message: string, code: string): void {
    this.badRows++;
    if (!this.firstError) {
      this.firstError = message;
      this.code = code;
    }
  }
}

function finish(item: IngestItem, rows: Converted[][], tally: Tally): ParsedItem {
  const failOnError = item.validationImplications === 0;
  if (tally.badRows > 0 && failOnError) {
    return { rows: [], outcome: { status: 'Failed', rows: 0, badRows: tally.badRows, errorCode: tally.code ?? 'BadRequest_InvalidData', details: `${tally.firstError ?? 'invalid data'} (ValidationImplications=Fail)` } };
  }
  if (tally.badRows > 0) {
    return { rows, outcome: { status: 'PartiallySucceeded', rows: rows.length, badRows: tally.badRows, errorCode: tally.code ?? 'BadRequest_InvalidData', details: `${tally.badRows} record(s) had values or structure that could not be ingested; first: ${tally.firstError}` } };
  }
  return { rows, outcome: { status: 'Succeeded', rows: rows.length, badRows: 0 } };
}

function columnIndex(columns: readonly KustoColumn[], name: string): number {
  const i = columns.findIndex((c) => c.name === name);
  return i >= 0 ? i : columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
}

function transformTicks(transform: string | undefined, v: unknown): unknown {
  if (!transform || typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'bigint') return v;
  const t = transform.toLowerCase();
  const per = t === 'datetimefromunixseconds' ? TICKS.second : t === 'datetimefromunixmilliseconds' ? TICKS.millisecond : t === 'datetimefromunixmicroseconds' ? TICKS.microsecond : t === 'datetimefromunixnanoseconds' ? -100n : undefined;
  if (per === undefined) return v;
  const s = String(v).trim();
  if (!/^-?\d+(\.\d+)?$/.test(s)) return v;
  if (per === -100n) return BigInt(s.split('.')[0]!) / 100n;
  const [whole, frac = ''] = s.split('.');
  return BigInt(whole!) * per + (frac ? (BigInt(frac) * per) / 10n ** BigInt(frac.length) : 0n);
}

function setValue(row: Converted[], idx: number, type: KustoType, v: unknown, fromText: boolean, tally: { invalid: string | undefined }, colName: string): void {
  const c = fromText && typeof v === 'string' ? convertText(type, v) : convertStructured(type, v);
  if (c === INVALID) {
    row[idx] = null;
    tally.invalid ??= `value '${String(v).slice(0, 100)}' cannot be converted to ${type} for column '${colName}'`;
  } else row[idx] = c;
}

function emptyRow(columns: readonly KustoColumn[]): Converted[] {
  return columns.map(() => null);
}

export function parseDelimitedItem(item: IngestItem, ctx: ParseContext, text: string, mapping: readonly ColumnMappingEntry[] | undefined): ParsedItem {
  const cols = ctx.columns;
  const tally = new Tally();
  const rows: Converted[][] = [];
  const format = item.format.toLowerCase();
  const isTxt = format === 'txt';
  const sep = SEPARATORS[format] ?? ',';
  const targets = (mapping ?? cols.map((c, i) => ({ column: c.name, ordinal: i }) as ColumnMappingEntry)).map((m) => ({ m, idx: columnIndex(cols, m.column) }));
  let first = true;
  try {
    const records = isTxt ? textLines(text) : parseDelimited(text, sep);
    for (const rec of records) {
      if (first && item.ignoreFirstRecord) {
        first = false;
        continue;
      }
      first = false;
      const fields = format === 'tsve' ? rec.fields.map(unescapeTsve) : rec.fields;
      const row = emptyRow(cols);
      const state = { invalid: undefined as string | undefined };
      for (const { m, idx } of targets) {
        if (idx < 0) continue;
        const col = cols[idx]!;
        let v: unknown;
        const tr = m.transform?.toLowerCase();
        if (m.constValue !== undefined) v = m.constValue;
        else if (tr === 'sourcelocation') v = item.sourcePath ?? '';
        else if (tr === 'sourcelinenumber') v = String(rec.line);
        else if (m.ordinal !== undefined) v = fields[m.ordinal];
        if (v === undefined) continue;
        setValue(row, idx, col.type, transformTicks(m.transform, v), true, state, col.name);
      }
      if (!mapping && fields.length > cols.length) state.invalid ??= `record on line ${rec.line} has ${fields.length} fields but the table has ${cols.length} columns`;
      if (state.invalid) tally.bad(`line ${rec.line}: ${state.invalid}`, state.invalid.includes('fields') ? 'Stream_WrongNumberOfFields' : 'BadRequest_DataConversionError');
      rows.push(row);
    }
  } catch (err) {
    if (err instanceof UnterminatedQuoteError) {
      return { rows: [], outcome: { status: 'Failed', rows: 0, badRows: 1, errorCode: 'Stream_ClosingQuoteMissing', details: `${err.message}${item.sourcePath ? ` in ${item.sourcePath}` : ''}` } };
    }
    throw err;
  }
  return finish(item, rows, tally);
}

function* textLines(text: string): Generator<{ fields: string[]; line: number }> {
  let line = 0;
  for (const l of text.split(/\r?\n/)) {
    line++;
    if (l !== '') yield { fields: [l], line };
  }
}

export function parseJsonItem(item: IngestItem, ctx: ParseContext, text: string, mapping: readonly ColumnMappingEntry[] | undefined): ParsedItem {
  const cols = ctx.columns;
  const tally = new Tally();
  const format = item.format.toLowerCase();
  let split: JsonSplit;
  if (format === 'json') {
    const lines = splitJsonLines(text);
    // A pretty-printed document sent as 'json' is read as one multi-line value, as the service does.
    split = lines.records.length === 0 && lines.bad.length > 0 ? splitMultiJson(text) : lines;
  } else split = splitMultiJson(text);
  for (const b of split.bad) tally.bad(`line ${b.line}: invalid JSON (${b.message})`, 'BadRequest_InvalidJson');
  const entries = (mapping ?? cols.map((c) => ({ column: c.name, path: `$['${c.name}']` }) as ColumnMappingEntry)).map((m) => ({
    m,
    idx: columnIndex(cols, m.column),
    steps: (m.path ? compileJsonPath(m.path) : undefined) as PathStep[] | undefined,
  }));
  const rows: Converted[][] = [];
  for (const rec of split.records) {
    const row = emptyRow(cols);
    const state = { invalid: undefined as string | undefined };
    for (const { m, idx, steps } of entries) {
      if (idx < 0) continue;
      const col = cols[idx]!;
      const tr = m.transform?.toLowerCase();
      let v: unknown;
      if (m.constValue !== undefined) v = m.constValue;
      else if (tr === 'sourcelocation') v = item.sourcePath ?? '';
      else if (tr === 'sourcelinenumber') v = rec.line;
      else if (steps) v = evalJsonPath(rec.value, steps);
      if (v === undefined) continue;
      setValue(row, idx, col.type, transformTicks(m.transform, v), false, state, col.name);
    }
    if (state.invalid) tally.bad(`record on line ${rec.line}: ${state.invalid}`, 'BadRequest_DataConversionError');
    rows.push(row);
  }
  return finish(item, rows, tally);
}

export async function parseParquetItem(item: IngestItem, ctx: ParseContext, mapping: readonly ColumnMappingEntry[] | undefined): Promise<ParsedItem> {
  const cols = ctx.columns;
  const tally = new Tally();
  const data = await ctx.readParquet(item.data);
  const sourceIndex = (name: string): number => {
    const i = data.names.indexOf(name);
    return i >= 0 ? i : data.names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
  };
  const entries = (mapping ?? cols.map((c) => ({ column: c.name, path: `$.${c.name}` }) as ColumnMappingEntry)).map((m) => {
    const steps = m.path ? compileJsonPath(m.path) : [m.column];
    const top = steps[0];
    return { m, idx: columnIndex(cols, m.column), src: typeof top === 'string' ? sourceIndex(top) : -1, rest: steps.slice(1) };
  });
  const rows: Converted[][] = [];
  let line = 0;
  for (const src of data.rows) {
    line++;
    const row = emptyRow(cols);
    const state = { invalid: undefined as string | undefined };
    for (const { m, idx, src: si, rest } of entries) {
      if (idx < 0) continue;
      const col = cols[idx]!;
      let v: unknown;
      const tr = m.transform?.toLowerCase();
      if (m.constValue !== undefined) v = m.constValue;
      else if (tr === 'sourcelocation') v = item.sourcePath ?? '';
      else if (tr === 'sourcelinenumber') v = line;
      else if (si >= 0) {
        v = src[si];
        if (rest.length > 0 && v !== null && v !== undefined) v = evalJsonPath(JSON.parse(String((v as { text?: string }).text ?? v)), rest);
      }
      if (v === undefined) continue;
      setValue(row, idx, col.type, transformTicks(m.transform, v), false, state, col.name);
    }
    if (state.invalid) tally.bad(`row ${line}: ${state.invalid}`, 'BadRequest_DataConversionError');
    rows.push(row);
  }
  return finish(item, rows, tally);
}
