/**
 * Single mode (reference §4.3): the pushed-down query runs as one query and its result becomes
 * Arrow batches directly (no storage). The result's own columns give the batch schema; it must
 * match the planned one, or the read fails naming the column.
 */
import { RecordBatch, Schema, type Field } from 'apache-arrow';
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
    if (String(a.type) !== String(f.type)) {
      throw new KustoResultSchemaError('SCHEMA_MISMATCH', `Column '${f.name}' is ${String(a.type)} in the query result but ${String(f.type)} in the read schema`, {
        resolution: 'Make customSchema use the Kusto column\'s type (datetime → timestamp[ns], timespan → duration[ns], decimal → decimal(38,18)), or cast in the query.',
        context: { column: f.name },
      });
    }
    order.push(i);
    fields.push(a);
  }
  const schema = new Schema(fields);
  const rows = order.length === result.columns.length && order.every((x, k) => x === k) ? result.rows : result.rows.map((r) => order.map((i) => r[i] ?? null));
  return [...rowsToBatches(schema, rows, batchRows)];
}

export async function runSingleQuery(client: KustoQueryClient, query: string, planned: Schema, signal?: AbortSignal): Promise<RecordBatch[]> {
  const result = await client.query(query, { activity: 'KJOB.read.single', ...(signal ? { signal } : {}) });
  return resultToBatches(result, planned);
}
