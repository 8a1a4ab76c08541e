import { KustoServiceError, type ColumnMappingEntry } from '../contracts.js';

/**
 * Normalises an ingestion mapping as users and SDKs write it — the current form
 * `[{"Column":"a","DataType":"long","Properties":{"Ordinal":"0"}}]` (Properties values are strings),
 * the legacy CSV form `[{"Name":"a","Ordinal":0}]` and the legacy JSON form
 * `[{"column":"a","path":"$.a","datatype":"long","transform":...}]` — into ColumnMappingEntry.
 */
export function parseMapping(json: string, what: string): ColumnMappingEntry[] {
  let raw: unknown;
  try {
    raw = parseLenientJson(json);
  } catch (err) {
    throw new KustoServiceError(400, 'BadRequest_InvalidMapping', `Mapping ${what} is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new KustoServiceError(400, 'BadRequest_InvalidMapping', `Mapping ${what} must be a JSON array of column mappings.`);
  return raw.map((item, i) => normaliseEntry(item, `${what} entry ${i}`));
}

function pick(o: Record<string, unknown>, ...keys: string[]): unknown {
  for (const k of Object.keys(o)) if (keys.includes(k.toLowerCase())) return o[k];
  return undefined;
}

function normaliseEntry(item: unknown, what: string): ColumnMappingEntry {
  if (typeof item !== 'object' || item === null) throw new KustoServiceError(400, 'BadRequest_InvalidMapping', `Mapping ${what} is not an object.`);
  const o = item as Record<string, unknown>;
  const props = (pick(o, 'properties') ?? {}) as Record<string, unknown>;
  const column = pick(o, 'column', 'name', 'columnname');
  if (typeof column !== 'string' || column === '') throw new KustoServiceError(400, 'BadRequest_InvalidMapping', `Mapping ${what} has no Column name.`);
  const ordinalRaw = pick(props, 'ordinal') ?? pick(o, 'ordinal');
  const path = pick(props, 'path') ?? pick(o, 'path');
  const field = pick(props, 'field') ?? pick(o, 'field');
  const transform = pick(props, 'transform') ?? pick(o, 'transform');
  const constValue = pick(props, 'constvalue') ?? pick(o, 'constvalue');
  const dataType = pick(o, 'datatype', 'columntype');
  let ordinal: number | undefined;
  if (ordinalRaw !== undefined && ordinalRaw !== null && ordinalRaw !== '') {
    ordinal = Number(ordinalRaw);
    if (!Number.isInteger(ordinal) || ordinal < 0) throw new KustoServiceError(400, 'BadRequest_InvalidMapping', `Mapping ${what} (column '${column}') has an invalid Ordinal '${String(ordinalRaw)}'.`);
  }
  const entry: { -readonly [K in keyof ColumnMappingEntry]: ColumnMappingEntry[K] } = { column };
  if (typeof dataType === 'string' && dataType !== '') entry.dataType = dataType;
  if (ordinal !== undefined) entry.ordinal = ordinal;
  if (typeof path === 'string' && path !== '') entry.path = path;
  else if (typeof field === 'string' && field !== '') entry.path = `$.${field}`;
  if (typeof transform === 'string' && transform !== '' && transform.toLowerCase() !== 'none') entry.transform = transform;
  if (constValue !== undefined && constValue !== null) entry.constValue = String(constValue);
  return entry;
}

/** The mapping kind a stored mapping must have to serve a data format. */
export function mappingKindFor(format: string): string {
  const f = format.toLowerCase();
  if (f === 'json' || f === 'multijson' || f === 'singlejson') return 'json';
  if (f === 'parquet') return 'parquet';
  if (f === 'avro' || f === 'apacheavro') return 'avro';
  if (f === 'orc') return 'orc';
  if (f === 'w3clogfile') return 'w3clogfile';
  return 'csv';
}

/**
 * JSON as the service's parser accepts it: also single-quoted strings. The Spark connector copies
 * a mapping by turning every `"` into `'` (reference §3.1 step 8), so this form really arrives.
 */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (strictError) {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '"') {
        let j = i + 1;
        while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        out += text.slice(i, j + 1);
        i = j;
      } else if (c === "'") {
        let j = i + 1;
        let s = '';
        while (j < text.length && text[j] !== "'") {
          if (text[j] === '\\' && j + 1 < text.length) {
            s += text[j + 1] === "'" ? "'" : text.slice(j, j + 2);
            j += 2;
          } else {
            s += text[j] === '"' ? '\\"' : text[j];
            j++;
          }
        }
        out += `"${s}"`;
        i = j;
      } else out += c;
    }
    try {
      return JSON.parse(out);
    } catch {
      throw strictError;
    }
  }
}
