/**
 * Kusto `dynamic` JSON text → an Arrow struct/list column, for reads whose schema asks for a nested
 * type (e.g. `read.schema(new Schema([new Field('props', new Struct([...]))]))`). JSON is parsed
 * losslessly, so int64 leaves keep their digits; a value of the wrong shape (an array where a struct
 * is expected, text where a number is) becomes null, as Spark's from_json does.
 */
import { Type, vectorFromArray, type Data, type DataType, type Field } from 'apache-arrow';
import { JsonNumber, parseLosslessJson, stringifyLossless, type LosslessValue } from './lossless-json.js';

export function isNestedType(t: DataType): boolean {
  return t.typeId === Type.Struct || t.typeId === Type.List;
}

function coerce(v: LosslessValue | undefined, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.typeId) {
    case Type.Struct: {
      if (typeof v !== 'object' || Array.isArray(v) || v instanceof JsonNumber) return null;
      const out: Record<string, unknown> = {};
      for (const f of t.children as Field[]) out[f.name] = coerce(v[f.name], f.type);
      return out;
    }
    case Type.List:
      return Array.isArray(v) ? v.map((x) => coerce(x, (t.children[0] as Field).type)) : null;
    case Type.Int: {
      if (!(v instanceof JsonNumber) || !/^-?\d+$/.test(v.text)) return null;
      return (t as unknown as { bitWidth: number }).bitWidth === 64 ? BigInt(v.text) : Number(v.text);
    }
    case Type.Float:
      return v instanceof JsonNumber ? Number(v.text) : null;
    case Type.Bool:
      return typeof v === 'boolean' ? v : null;
    case Type.Utf8:
      return typeof v === 'string' ? v : stringifyLossless(v);
    default:
      return null;
  }
}

/** JSON texts (null = null row) → one Arrow Data of the nested type. */
export function dynamicToNested(texts: readonly (string | null)[], type: DataType): Data {
  const values = texts.map((t) => {
    if (t === null) return null;
    try {
      return coerce(parseLosslessJson(t), type);
    } catch {
      return null;
    }
  });
  const vector = vectorFromArray(values, type);
  // One batch's worth of values builds one chunk.
  if (vector.data.length !== 1) throw new Error(`decoding dynamic values produced ${vector.data.length} chunks`);
  return vector.data[0]!;
}
