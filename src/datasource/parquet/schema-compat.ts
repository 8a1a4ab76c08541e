import type { Schema } from 'apache-arrow';
import { displayLocation } from '../storage/location.js';
import { ParquetSchemaMismatchError } from './parquet-errors.js';

/**
 * Checks that every file has the same columns with the same types as the first one (matched by
 * name: column order may differ, readers reorder). Nullability may differ: the result is nullable.
 */
export function checkSameSchema(first: { file: string; schema: Schema }, other: { file: string; schema: Schema }): void {
  const a = displayLocation(first.file);
  const b = displayLocation(other.file);
  const theirs = new Map(other.schema.fields.map((f) => [f.name, f]));
  for (const field of first.schema.fields) {
    const match = theirs.get(field.name);
    if (!match) throw new ParquetSchemaMismatchError(a, b, field.name, 'missing in the second file');
    if (String(match.type) !== String(field.type)) throw new ParquetSchemaMismatchError(a, b, field.name, `type ${String(field.type)} vs ${String(match.type)}`);
  }
  const ours = new Set(first.schema.fields.map((f) => f.name));
  for (const field of other.schema.fields) {
    if (!ours.has(field.name)) throw new ParquetSchemaMismatchError(a, b, field.name, 'missing in the first file');
  }
}
