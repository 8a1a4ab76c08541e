/**
 * Exported Parquet batches → the read schema (types/kusto-to-arrow.ts). Kusto's `.export … to parquet`
 * writes datetime as timestamp[µs] (so Distributed reads carry microseconds: the 7th fractional
 * digit is not in the file), timespan as int64 ticks and decimal as text; those columns are converted
 * exactly (µs × 1000 → ns, ticks × 100 → ns, decimal text → decimal128 at the schema's scale).
 * Other columns pass through when their type already matches, or are cast to a customSchema's type.
 */
import { Data, DataType, Decimal, Duration, Int64, RecordBatch, Schema, Struct, TimeUnit, Timestamp, Type, Utf8, makeData, makeVector } from 'apache-arrow';
import { dynamicToNested, isNestedType } from '../rest/dynamic-to-nested.js';
import { fixedData } from '../../../arrow/build-data.js';
import { castData } from '../../../executor/eval/cast.js';
import { decimalWords } from '../../../arrow/decimal.js';
import { KjobError } from '../../../errors/kjob-error.js';
import { decimalCell } from '../rest/kusto-values.js';

const UNIT_TO_NS: Record<number, bigint> = { [TimeUnit.SECOND]: 1_000_000_000n, [TimeUnit.MILLISECOND]: 1_000_000n, [TimeUnit.MICROSECOND]: 1000n, [TimeUnit.NANOSECOND]: 1n };

function validity(d: Data): Uint8Array | null {
  if (d.nullCount === 0) return null;
  const v = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) v[i] = d.getValid(i) ? 1 : 0;
  return v;
}

function scaleInt64(d: Data, factor: bigint, type: DataType): Data {
  // Arrow JS may hold 64-bit columns as Int32Array pairs: view the bytes as int64.
  const v = d.values as ArrayBufferView;
  const src = new BigInt64Array(v.buffer, v.byteOffset, d.length);
  const out = new BigInt64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = src[i]! * factor;
  return fixedData(type, out, validity(d));
}

function convert(d: Data, target: DataType, column: string): Data {
  const src = d.type;
  if (String(src) === String(target)) return d;
  if (target instanceof Timestamp && src instanceof Timestamp) return scaleInt64(d, UNIT_TO_NS[src.unit]! / UNIT_TO_NS[target.unit]!, target);
  // Ticks (100 ns) in an int64 → a nanosecond duration.
  if (target instanceof Duration && target.unit === TimeUnit.NANOSECOND && src.typeId === Type.Int && (src as Int64).bitWidth === 64) return scaleInt64(d, 100n, target);
  if (target instanceof Duration && src instanceof Duration) return scaleInt64(d, UNIT_TO_NS[src.unit]! / UNIT_TO_NS[target.unit]!, target);
  if (target instanceof Decimal && src instanceof Utf8) {
    const out = new Uint32Array(4 * d.length);
    const valid = validity(d);
    const offsets = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    const dec = new TextDecoder();
    for (let i = 0; i < d.length; i++) {
      if (valid && !valid[i]) continue;
      const text = dec.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!));
      try {
        out.set(decimalWords(decimalCell(text, target.scale)), 4 * i);
      } catch (e) {
        throw new KjobError('DATA_INVALID', `Exported column '${column}': ${(e as Error).message}`, { context: { column }, cause: e });
      }
    }
    return fixedData(target, out, valid);
  }
  if (isNestedType(target) && src instanceof Utf8) return dynamicToNested([...makeVector(d)] as (string | null)[], target);
  // A customSchema naming another type: kjob's Spark cast, as for Single-mode results.
  try {
    return castData(d, target);
  } catch (e) {
    throw new KjobError('SCHEMA_MISMATCH', `Exported column '${column}' is ${String(src)} in the Parquet files and cannot be read as ${String(target)}`, {
      resolution: 'Cast the column in kustoQuery, or give a customSchema with a type it converts to.',
      context: { column },
      cause: e,
    });
  }
}

/** The batch's columns named by `schema` (those present), converted to the schema's types. */
export function conformExportBatch(batch: RecordBatch, schema: Schema): RecordBatch {
  const fields = schema.fields.filter((f) => batch.schema.fields.some((g) => g.name === f.name));
  const children = fields.map((f) => {
    const i = batch.schema.fields.findIndex((g) => g.name === f.name);
    return convert(batch.data.children[i]!, f.type, f.name);
  });
  const out = new Schema(fields);
  return new RecordBatch(out, makeData({ type: new Struct(out.fields), length: batch.numRows, nullCount: 0, children }));
}
