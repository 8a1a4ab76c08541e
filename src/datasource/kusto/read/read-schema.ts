/**
 * The schema of a Kusto read (reference §4.1): `customSchema` (a Spark DDL string, no service call)
 * or the result columns of `<query>| take 0`, mapped with types/kusto-to-arrow.ts (datetime →
 * timestamp[ns], timespan → duration[ns], decimal → decimal128(38,18), long → int64, guid and
 * dynamic → JSON/string text).
 */
import type { Schema } from 'apache-arrow';
import { parseDdlSchema } from '../../csv/ddl-schema.js';
import { schemaQuery } from '../kql/query-forms.js';
import { arrowSchemaOfKustoColumns } from '../types/kusto-to-arrow.js';
import type { KustoQueryClient } from '../rest/kusto-query-client.js';

export async function kustoReadSchema(query: string, customSchema: string | undefined, client: KustoQueryClient): Promise<Schema> {
  if (customSchema !== undefined) return parseDdlSchema(customSchema);
  const result = await client.query(schemaQuery(query), { activity: 'KJOB.read.schema' });
  return arrowSchemaOfKustoColumns(result.columns);
}
