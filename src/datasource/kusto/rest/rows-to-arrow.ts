/**
 * Raw V2 rows → Arrow record batches for a schema made by `arrowSchemaOfKustoColumns` (the field
 * metadata `kusto.type` says how to read each cell). Whole columns are built into typed arrays, with
 * exact conversions (kusto-values.ts); a cell that cannot be represented fails the read naming the
 * column and row instead of turning into a wrong value.
 */
import { Float64, Int32, Int64, RecordBatch, Struct, makeData, type Data, type DataType, type Schema } from 'apache-arrow';
import { boolData, fixedData, stringData } from '../../../arrow/build-data.js';
import { decimalWords } from '../../../arrow/decimal.js';
import { KjobError } from '../../../errors/kjob-error.js';
import { KUSTO_TYPE_METADATA_KEY, normalizeKustoType } from '../types/kusto-to-arrow.js';
import { JsonNumber, stringifyLossless, type LosslessValue } from './lossless-json.js';
import { datetimeTextToNanos, decimalCell, intCell, longCell, realCell, timespanTextToNanos } from './kusto-values.js';

export class KustoValueConversionError extends KjobError {
  override name = 'KustoValueConversionError';
  constructor(column: string, kustoType: string, row: number, cause: Error) {
    super('DATA_INVALID', `Column '${column}' (${kustoType}), row ${row}: ${cause.message}`, {
      likelyCause: 'The value cannot be represented exactly in the column\'s Arrow type (e.g. a datetime before 1677 or after 2262 in a nanosecond timestamp).',
      resolution: `Convert the column in the query (e.g. | extend ['${column}'] = tostring(['${column}'])) or filter such rows out.`,
      context: { column, kustoType, row },
      cause,
    });
  }
}

function cellText(v: LosslessValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.text;
  return stringifyLossless(v);
}

function column(rows: readonly (readonly LosslessValue[])[], index: number, name: string, type: DataType, kustoType: string, firstRow: number): Data {
  const n = rows.length;
  let valid: Uint8Array | null = null;
  const markNull = (i: number): void => {
    valid ??= new Uint8Array(n).fill(1);
    valid[i] = 0;
  };
  const each = (f: (v: LosslessValue, i: number) => void): void => {
    for (let i = 0; i < n; i++) {
      const v = rows[i]![index] ?? null;
      if (v === null) {
        markNull(i);
        continue;
      }
      try {
        f(v, i);
      } catch (e) {
        throw new KustoValueConversionError(name, kustoType, firstRow + i, e as Error);
      }
    }
  };
  switch (kustoType) {
    case 'long': {
      const out = new BigInt64Array(n);
      each((v, i) => (out[i] = longCell(v)));
      return fixedData(new Int64(), out, valid);
    }
    case 'int': {
      const out = new Int32Array(n);
      each((v, i) => (out[i] = intCell(v)));
      return fixedData(new Int32(), out, valid);
    }
    case 'real': {
      const out = new Float64Array(n);
      each((v, i) => (out[i] = realCell(v)));
      return fixedData(new Float64(), out, valid);
    }
    case 'bool': {
      const out = new Uint8Array(n);
      each((v, i) => {
        if (typeof v === 'boolean') out[i] = v ? 1 : 0;
        else if (v instanceof JsonNumber) out[i] = Number(v.text) !== 0 ? 1 : 0;
        else throw new Error(`${JSON.stringify(v)} is not a Kusto bool`);
      });
      return boolData(out, valid);
    }
    case 'datetime': {
      const out = new BigInt64Array(n);
      each((v, i) => (out[i] = datetimeTextToNanos(cellText(v))));
      return fixedData(type, out, valid);
    }
    case 'timespan': {
      const out = new BigInt64Array(n);
      // A timespan projected as ticks (a long) is accepted too: 1 tick = 100 ns.
      each((v, i) => (out[i] = v instanceof JsonNumber ? longCell(v) * 100n : timespanTextToNanos(cellText(v))));
      return fixedData(type, out, valid);
    }
    case 'decimal': {
      const scale = (type as unknown as { scale: number }).scale;
      const out = new Uint32Array(4 * n);
      each((v, i) => out.set(decimalWords(decimalCell(v, scale)), 4 * i));
      return fixedData(type, out, valid);
    }
    default: {
      // string, guid, dynamic (JSON text; numbers inside keep their digits).
      const out = new Array<string | null>(n);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![index] ?? null;
        out[i] = v === null ? null : kustoType === 'dynamic' ? stringifyLossless(v) : cellText(v);
      }
      return stringData(out);
    }
  }
}

/** One batch of `rows` (positions `firstRow`… in the result, for error messages). */
export function rowsToBatch(schema: Schema, rows: readonly (readonly LosslessValue[])[], firstRow = 0): RecordBatch {
  const children = schema.fields.map((f, i) => column(rows, i, f.name, f.type, normalizeKustoType(f.metadata.get(KUSTO_TYPE_METADATA_KEY) ?? 'string'), firstRow));
  const data = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new RecordBatch(schema, data);
}

/** The rows as batches of at most `batchRows`. */
export function* rowsToBatches(schema: Schema, rows: readonly (readonly LosslessValue[])[], batchRows = 65_536): Generator<RecordBatch> {
  for (let start = 0; start < rows.length; start += batchRows) yield rowsToBatch(schema, rows.slice(start, start + batchRows), start);
}
