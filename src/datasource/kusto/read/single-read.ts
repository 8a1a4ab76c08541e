/**
 * Single mode (reference §4.3): the pushed-down query runs as one query and its result becomes
 * Arrow batches directly (no storage). Columns are matched by name with the planned schema; a
 * missing column fails the read naming it, a column of another type is cast (customSchema).
 */
import { RecordBatch, Schema, Struct, Type, makeData, makeVector, type Field } from 'apache-arrow';
import { dynamicToNested, isNestedType } from '../rest/dynamic-to-nested.js';
import { castData } from '../../../executor/eval/cast.js';
import { KjobError } from '../../../errors/kjob-error.js';
import { arrowSchemaOfKustoColumns } from '../types/kusto-to-arrow.js';
import type { KustoQueryClient } from '../rest/kusto-query-client.js';
import { rowsToBatches } from '../rest/rows-to-arrow.js';
import type { KustoResultTable } from '../rest/v2-response.js';

export class KustoResultSchemaError extends KjobError {
  override name = 'KustoResultSchemaError';
}

/** The result as batches in the planned schema (columns matched by name, types must agree). */
export function resultToBatches(result: KustoResultTable, planned: Schema, batchRows?: number): RecordBatch[] {
  const actual = arrowSchemaOfKustoColumns(result.columns);
  const byName = new Map(actual.fields.map((f, i) => [f.name, i]));
  const order: number[] = [];
  const fields: Field[] = [];
  for (const f of planned.fields) {
    const i = byName.get(f.name);
    if (i === undefined) {
      throw new KustoResultSchemaError('SCHEMA_MISMATCH', `The query result has no column '${f.name}' (it has: ${actual.fields.map((x) => x.name).join(', ')})`, {
        resolution: 'customSchema must name columns the query returns; or drop customSchema to use the query\'s own schema.',
        context: { column: f.name },
      });
    }
    const a = actual.fields[i]!;
    order.push(i);
    fields.push(a);
  }
  const schema = new Schema(fields);
  const rows = order.length === result.columns.length && order.every((x, k) => x === k) ? result.rows : result.rows.map((r) => order.map((i) => r[i] ?? null));
  const batches = [...rowsToBatches(schema, rows, batchRows)];
  return fields.every((f, k) => String(f.type) === String(planned.fields[k]!.type)) ? batches : batches.map((b) => castToSchema(b, planned));
}

/**
 * A `customSchema` (or user schema) may name other types than Kusto's: the columns are cast to them
 * with kjob's Spark casts (e.g. datetime → timestamp[µs], long → int), as Spark would read them;
 * dynamic JSON text into a struct/list type is decoded (dynamic-to-nested.ts).
 */
export function castToSchema(batch: RecordBatch, planned: Schema): RecordBatch {
  const children = planned.fields.map((f, k) => {
    const d = batch.data.children[k]!;
    return isNestedType(f.type) && d.type.typeId === Type.Utf8 ? dynamicToNested([...makeVector(d)] as (string | null)[], f.type) : castData(d, f.type);
  });
  return new RecordBatch(planned, makeData({ type: new Struct(planned.fields), length: batch.numRows, nullCount: 0, children }));
}

export async function runSingleQuery(client: KustoQueryClient, query: string, planned: Schema, signal?: AbortSignal): Promise<RecordBatch[]> {
  const result = await client.query(query, { activity: 'KJOB.read.single', ...(signal ? { signal } : {}) });
  return resultToBatches(result, planned);
}
