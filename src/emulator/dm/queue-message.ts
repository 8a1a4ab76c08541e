import type { ColumnMappingEntry, IngestFormat } from '../contracts.js';

/**
 * Parses the queued-ingestion message the ingest SDKs post to the ready-for-aggregation queue:
 * base64(UTF-8 JSON of IngestionBlobInfo). Pure: no I/O.
 *
 * Field names are matched case-insensitively at every level, because the SDKs disagree on casing
 * (Node writes `tableConnectionString`, .NET `TableConnectionString`; AdditionalProperties mixes
 * `ingestionMapping` and `ValidationPolicy`). Values that the SDKs write either as a JSON string or
 * as a value (`tags`, `ingestIfNotExists`, `ingestionMapping`, `ValidationPolicy`) accept both.
 */

export const ReportLevel = { FailuresOnly: 0, DoNotReport: 1, FailuresAndSuccesses: 2 } as const;
export const ReportMethod = { Queue: 0, Table: 1, QueueAndTable: 2 } as const;

export interface StatusTableRef {
  /** `<origin>?<SAS>` as the SDK wrote it (the account path segment may be missing). */
  readonly tableConnectionString: string;
  readonly partitionKey: string;
  readonly rowKey: string;
}

export interface IngestionMessage {
  readonly id: string;
  readonly blobPath: string;
  readonly rawDataSize: number | undefined;
  readonly database: string;
  readonly table: string;
  readonly flushImmediately: boolean;
  readonly reportLevel: number;
  readonly reportMethod: number;
  readonly sourceMessageCreationTime: Date | undefined;
  readonly statusTable: StatusTableRef | undefined;
  readonly format: IngestFormat;
  readonly mapping: readonly ColumnMappingEntry[] | undefined;
  readonly mappingReference: string | undefined;
  readonly mappingKind: string | undefined;
  readonly ignoreFirstRecord: boolean;
  /** Extent tags as stored (`ingest-by:x`, `drop-by:y`, plain tags). */
  readonly tags: readonly string[];
  readonly ingestIfNotExists: readonly string[];
  readonly creationTime: Date | undefined;
  /** 0 = Fail, 1 = BestEffort. */
  readonly validationImplications: 0 | 1 | undefined;
  readonly authorizationContext: string | undefined;
}

/** A message that cannot be ingested: carries what could be read so the failure can be reported. */
export class IngestionMessageError extends Error {
  override name = 'IngestionMessageError';
  constructor(
    message: string,
    readonly errorCode: string,
    readonly partial: { id?: string; database?: string; table?: string; blobPath?: string; reportLevel?: number; reportMethod?: number; statusTable?: StatusTableRef },
  ) {
    super(message);
  }
}

const FORMATS: ReadonlySet<string> = new Set<IngestFormat>(['csv', 'tsv', 'tsve', 'psv', 'scsv', 'sohsv', 'txt', 'json', 'multijson', 'singlejson', 'parquet']);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Case-insensitive property lookup. */
function get(o: Obj | undefined, ...names: string[]): unknown {
  if (!o) return undefined;
  for (const name of names) {
    if (name in o) return o[name];
    const lower = name.toLowerCase();
    for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  }
  return undefined;
}

function str(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function bool(v: unknown, field: string): boolean {
  if (v === null || v === undefined || v === '') return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  throw new Error(`${field} must be a boolean, got ${JSON.stringify(v)}`);
}

function int(v: unknown, field: string, fallback: number): number {
  if (v === null || v === undefined || v === '') return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw new Error(`${field} must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

function date(v: unknown, field: string): Date | undefined {
  const s = str(v);
  if (s === undefined || s === '') return undefined;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Error(`${field} is not a valid date: ${JSON.stringify(s)}`);
  return d;
}

/** A value that may be a JSON string holding the value. */
function maybeJson(v: unknown, field: string): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      return JSON.parse(t);
    } catch {
      throw new Error(`${field} is not valid JSON`);
    }
  }
  return v;
}

function stringList(v: unknown, field: string): string[] {
  const parsed = maybeJson(v, field);
  if (parsed === null || parsed === undefined || parsed === '') return [];
  if (typeof parsed === 'string') return [parsed];
  if (Array.isArray(parsed)) {
    return parsed.map((x, i) => {
      const s = str(x);
      if (s === undefined) throw new Error(`${field}[${i}] must be a string`);
      return s;
    });
  }
  throw new Error(`${field} must be a list of strings`);
}

/** Normalises one mapping entry written by any SDK or by the Spark connector. */
export function normaliseMappingEntry(raw: unknown, index: number): ColumnMappingEntry {
  if (!isObj(raw)) throw new Error(`ingestionMapping[${index}] must be an object`);
  const props = maybeJson(get(raw, 'Properties'), `ingestionMapping[${index}].Properties`);
  const p = isObj(props) ? props : undefined;
  const column = str(get(raw, 'Column', 'ColumnName', 'Name'));
  if (!column) throw new Error(`ingestionMapping[${index}] has no Column name`);
  const dataType = str(get(raw, 'DataType', 'ColumnType', 'CslDataType'));
  const ordinalRaw = get(p, 'Ordinal') ?? get(raw, 'Ordinal');
  const field = str(get(p, 'Field') ?? get(raw, 'Field'));
  const path = str(get(p, 'Path') ?? get(raw, 'Path')) ?? (field !== undefined ? `$['${field.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']` : undefined);
  const transform = str(get(p, 'Transform') ?? get(raw, 'Transform'));
  const constValue = str(get(p, 'ConstValue', 'ConstantValue') ?? get(raw, 'ConstValue'));
  let ordinal: number | undefined;
  if (ordinalRaw !== undefined && ordinalRaw !== null && ordinalRaw !== '') {
    ordinal = Number(ordinalRaw);
    if (!Number.isInteger(ordinal) || ordinal < 0) throw new Error(`ingestionMapping[${index}] (column ${column}) has an invalid Ordinal ${JSON.stringify(ordinalRaw)}`);
  }
  return {
    column,
    ...(dataType ? { dataType } : {}),
    ...(ordinal !== undefined ? { ordinal } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(transform ? { transform } : {}),
    ...(constValue !== undefined ? { constValue } : {}),
  };
}

export function parseMapping(v: unknown): ColumnMappingEntry[] | undefined {
  const parsed = maybeJson(v, 'ingestionMapping');
  if (parsed === null || parsed === undefined || parsed === '') return undefined;
  if (!Array.isArray(parsed)) throw new Error('ingestionMapping must be a JSON array of column mappings');
  return parsed.map((e, i) => normaliseMappingEntry(e, i));
}

/** Decodes the queue message text (base64 of UTF-8 JSON). Plain JSON text is accepted too. */
export function decodeMessageText(text: string): Obj {
  const trimmed = text.trim();
  let json: string;
  if (trimmed.startsWith('{')) json = trimmed;
  else {
    if (!/^[A-Za-z0-9+/=\r\n_-]+$/.test(trimmed)) throw new IngestionMessageError('The queue message is neither base64 nor JSON', 'BadRequest_InvalidMessage', {});
    json = Buffer.from(trimmed, 'base64').toString('utf8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new IngestionMessageError('The queue message does not decode to JSON', 'BadRequest_InvalidMessage', {});
  }
  if (!isObj(parsed)) throw new IngestionMessageError('The queue message JSON is not an object', 'BadRequest_InvalidMessage', {});
  return parsed;
}

export function parseIngestionMessage(text: string): IngestionMessage {
  const o = decodeMessageText(text);
  const partial: IngestionMessageError['partial'] = {};
  const id = str(get(o, 'Id'));
  const database = str(get(o, 'DatabaseName', 'Database'));
  const table = str(get(o, 'TableName', 'Table'));
  const blobPath = str(get(o, 'BlobPath'));
  if (id) partial.id = id;
  if (database) partial.database = database;
  if (table) partial.table = table;
  if (blobPath) partial.blobPath = blobPath;
  try {
    partial.reportLevel = int(get(o, 'ReportLevel'), 'ReportLevel', ReportLevel.FailuresOnly);
    partial.reportMethod = int(get(o, 'ReportMethod'), 'ReportMethod', ReportMethod.Queue);
    const statusRaw = maybeJson(get(o, 'IngestionStatusInTable'), 'IngestionStatusInTable');
    if (isObj(statusRaw)) {
      const tableConnectionString = str(get(statusRaw, 'TableConnectionString'));
      const partitionKey = str(get(statusRaw, 'PartitionKey'));
      const rowKey = str(get(statusRaw, 'RowKey'));
      if (tableConnectionString && partitionKey && rowKey) partial.statusTable = { tableConnectionString, partitionKey, rowKey };
    }
    if (!id) throw new Error('Id is missing');
    if (!database) throw new Error('DatabaseName is missing');
    if (!table) throw new Error('TableName is missing');
    if (!blobPath) throw new Error('BlobPath is missing');

    const ap = maybeJson(get(o, 'AdditionalProperties'), 'AdditionalProperties');
    const props = isObj(ap) ? ap : {};
    const formatText = (str(get(props, 'format')) ?? 'csv').trim().toLowerCase();
    if (!FORMATS.has(formatText)) {
      throw new IngestionMessageError(`The format '${formatText}' is not supported by the emulator (supported: ${[...FORMATS].join(', ')})`, 'BadRequest_FormatNotSupported', partial);
    }
    const validation = maybeJson(get(props, 'ValidationPolicy'), 'ValidationPolicy');
    let validationImplications: 0 | 1 | undefined;
    if (isObj(validation)) {
      const vi = get(validation, 'ValidationImplications');
      if (vi !== undefined && vi !== null) {
        const n = typeof vi === 'string' && /^(fail|besteffort)$/i.test(vi) ? (vi.toLowerCase() === 'fail' ? 0 : 1) : int(vi, 'ValidationPolicy.ValidationImplications', 1);
        if (n !== 0 && n !== 1) throw new Error(`ValidationPolicy.ValidationImplications must be 0 (Fail) or 1 (BestEffort), got ${n}`);
        validationImplications = n;
      }
    }
    const rawSize = get(o, 'RawDataSize');
    const mappingReference = str(get(props, 'ingestionMappingReference'));
    const mapping = parseMapping(get(props, 'ingestionMapping'));
    return {
      id,
      blobPath,
      rawDataSize: rawSize === null || rawSize === undefined ? undefined : int(rawSize, 'RawDataSize', 0),
      database,
      table,
      flushImmediately: bool(get(o, 'FlushImmediately'), 'FlushImmediately'),
      reportLevel: partial.reportLevel,
      reportMethod: partial.reportMethod,
      sourceMessageCreationTime: date(get(o, 'SourceMessageCreationTime'), 'SourceMessageCreationTime'),
      statusTable: partial.statusTable,
      format: formatText as IngestFormat,
      mapping,
      mappingReference: mappingReference || undefined,
      mappingKind: str(get(props, 'ingestionMappingType')),
      ignoreFirstRecord: bool(get(props, 'ignoreFirstRecord'), 'ignoreFirstRecord'),
      tags: stringList(get(props, 'tags'), 'tags'),
      ingestIfNotExists: stringList(get(props, 'ingestIfNotExists'), 'ingestIfNotExists'),
      creationTime: date(get(props, 'creationTime'), 'creationTime'),
      validationImplications,
      authorizationContext: str(get(props, 'authorizationContext')),
    };
  } catch (e) {
    if (e instanceof IngestionMessageError) throw e;
    throw new IngestionMessageError(`Invalid ingestion message: ${(e as Error).message}`, 'BadRequest_InvalidMessage', partial);
  }
}
