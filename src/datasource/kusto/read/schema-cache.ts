/**
 * The schema `load()` inferred (`<query> | take 0`), remembered for the actions of that DataFrame:
 * planRead runs for every action and would otherwise ask the service again — and the plan was
 * analysed against the inferred schema, so re-using it is also the consistent choice. A new `load()`
 * with the same options queries again (the table may have changed) and replaces the entry.
 * Keyed by a hash of the options (they may hold secrets), bounded.
 */
import { createHash } from 'node:crypto';
import type { Schema } from 'apache-arrow';

const MAX_ENTRIES = 256;
const schemas = new Map<string, Schema>();

function keyOf(options: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(Object.entries(options).map(([k, v]) => [k.toLowerCase(), v]).sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0)));
  return createHash('sha256').update(canonical).digest('hex');
}

export function rememberInferredSchema(options: Readonly<Record<string, string>>, schema: Schema): void {
  const key = keyOf(options);
  schemas.delete(key);
  schemas.set(key, schema);
  if (schemas.size > MAX_ENTRIES) schemas.delete(schemas.keys().next().value!);
}

export function inferredSchema(options: Readonly<Record<string, string>>): Schema | undefined {
  return schemas.get(keyOf(options));
}
