import { Binary, DataType, Field, LargeBinary, LargeUtf8, RecordBatch, Schema, Struct, Utf8, makeData, type Data } from 'apache-arrow';

/**
 * Writers such as Polars and pyarrow store strings as LargeUtf8 (64-bit offsets). kjob has one
 * string type, like Spark, so readers hand out Utf8/Binary with 32-bit offsets: one batch never
 * comes near 2 GiB of characters.
 */

function normalizeType(type: DataType): DataType {
  if (type instanceof LargeUtf8) return new Utf8();
  if (type instanceof LargeBinary) return new Binary();
  return type;
}

export function normalizeSchema(schema: Schema): Schema {
  return new Schema(
    schema.fields.map((f) => new Field(f.name, normalizeType(f.type), f.nullable, f.metadata)),
    schema.metadata,
  );
}

export function needsNormalizing(schema: Schema): boolean {
  return schema.fields.some((f) => f.type instanceof LargeUtf8 || f.type instanceof LargeBinary);
}

function narrowOffsets(data: Data): Data {
  // Arrow JS slices offset buffers eagerly: `valueOffsets` starts at this slice's first row, and only
  // the validity bitmap is still addressed through `data.offset`.
  const wide = data.valueOffsets as unknown as BigInt64Array;
  const base = wide[0] ?? 0n;
  const offsets = new Int32Array(data.length + 1);
  for (let i = 0; i <= data.length; i++) offsets[i] = Number(wide[i]! - base);
  const end = Number(wide[data.length] ?? 0n);
  const values = data.values.subarray(Number(base), end);
  const nullBitmap = data.nullCount > 0 && data.offset === 0 ? data.nullBitmap : data.nullCount > 0 ? sliceBitmap(data) : undefined;
  const type = normalizeType(data.type);
  return makeData({ type: type as Utf8, length: data.length, nullCount: data.nullCount, nullBitmap, valueOffsets: offsets, data: values });
}

function sliceBitmap(data: Data): Uint8Array {
  const out = new Uint8Array((data.length + 7) >> 3);
  for (let i = 0; i < data.length; i++) if (data.getValid(i)) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** Converts the batch's LargeUtf8/LargeBinary columns and orders its columns as `schema` (by name). */
export function conformBatch(batch: RecordBatch, schema: Schema): RecordBatch {
  const children: Data[] = schema.fields.map((field) => {
    const index = batch.schema.fields.findIndex((f) => f.name === field.name);
    if (index < 0) throw new Error(`column ${field.name} missing from a Parquet batch`);
    const data = batch.data.children[index]!;
    return data.type instanceof LargeUtf8 || data.type instanceof LargeBinary ? narrowOffsets(data) : data;
  });
  const structData = makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children });
  return new RecordBatch(schema, structData);
}
