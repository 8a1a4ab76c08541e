import { type Data, Field, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import { KjobError } from '../errors/kjob-error.js';
import { typeName } from './data-types.js';

/**
 * Gives batches one shared schema, as Arrow tables and IPC streams require. Batches of one result can
 * differ in nullability (union branches, sources) while holding the same types; the shared schema
 * is `schema` when given, else the first batch's with nullable = any batch's nullable.
 */
export function unifyBatches(batches: readonly RecordBatch[], schema?: Schema): { schema: Schema; batches: RecordBatch[] } {
  const first = batches[0];
  if (!first) return { schema: schema ?? new Schema([]), batches: [] };
  const target =
    schema ??
    new Schema(
      first.schema.fields.map((f, i) => new Field(f.name, f.type, batches.some((b) => b.schema.fields[i]?.nullable ?? true), f.metadata)),
      first.schema.metadata,
    );
  for (const b of batches) checkTypes(b.schema, target);
  // Rebuilt whenever not the very same Schema object: Arrow's own comparison is stricter than it looks
  // (an IPC-decoded Int and a constructed Int64 compare unequal in one direction).
  const out = batches.map((b) => (b.schema === target ? b : rebuild(b, target)));
  return { schema: target, batches: out };
}

/** Same column count and types (by kjob's type names); anything else is a bug upstream, reported as such. */
function checkTypes(actual: Schema, expected: Schema): void {
  const problem =
    actual.fields.length !== expected.fields.length
      ? `${actual.fields.length} columns instead of ${expected.fields.length}`
      : actual.fields
          .map((f, i) => [f, expected.fields[i]!] as const)
          .filter(([f, e]) => typeName(f.type) !== typeName(e.type))
          .map(([f, e]) => `column '${e.name}' is ${typeName(f.type)} instead of ${typeName(e.type)}`)
          .join('; ');
  if (problem)
    throw new KjobError('SCHEMA_MISMATCH', `A task produced batches that do not match the planned schema: ${problem}`, {
      likelyCause: 'A data source returned batches of another type than its planRead announced.',
    });
}

function rebuild(b: RecordBatch, schema: Schema): RecordBatch {
  const children = b.data.children as Data[];
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: b.numRows, nullCount: 0, children }));
}
