import { type RecordBatch, type Schema, Table } from 'apache-arrow';
import { base64ByteLength, batchesToBase64, tableFromBase64 } from '../../arrow/ipc-base64.js';
import { schemaFromJson, schemaToJson } from '../../arrow/schema-json.js';
import { ConfigError } from '../../errors/kjob-error.js';
import { typeName } from '../../arrow/data-types.js';
import type { LocalDataNode } from '../../plan/plan-node.js';
import { rowsToTable } from './rows-to-table.js';

/**
 * `createDataFrame` data travels inside the plan (and so inside every task that reads it), as Arrow
 * IPC. It is capped so that a job cannot push a large dataset through the task queue: past the cap,
 * write the data to a file (parquet, csv) and read it from there.
 *
 * @defaultValue 16 MiB, configurable with the session config `kjob.localData.maxBytes`.
 */
export const DEFAULT_LOCAL_DATA_MAX_BYTES = 16 * 1024 * 1024;

/** Rows per partition when `createDataFrame` is not told how many partitions to make. */
const DEFAULT_PARTITIONS = 1;

export interface LocalDataOptions {
  readonly schema?: Schema;
  readonly partitions?: number;
  readonly maxBytes?: number;
}

/** Builds a LocalData plan node from row objects or an Arrow table. */
export function localDataNode(data: readonly Record<string, unknown>[] | Table, opts: LocalDataOptions = {}): LocalDataNode {
  const table = data instanceof Table ? (opts.schema ? conformTable(data, opts.schema) : data) : rowsToTable(data, opts.schema);
  const maxBytes = opts.maxBytes ?? DEFAULT_LOCAL_DATA_MAX_BYTES;
  const n = Math.max(1, Math.min(opts.partitions ?? DEFAULT_PARTITIONS, Math.max(1, table.numRows)));
  const partitions: string[] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.floor((k * table.numRows) / n);
    const to = Math.floor(((k + 1) * table.numRows) / n);
    const slice = table.slice(from, to);
    partitions.push(batchesToBase64(table.schema, slice.batches));
  }
  const bytes = partitions.reduce((s, p) => s + base64ByteLength(p), 0);
  if (bytes > maxBytes)
    throw new ConfigError(`createDataFrame data is ${bytes} bytes as Arrow IPC, over the ${maxBytes}-byte cap for data carried inside tasks`, {
      context: { bytes, maxBytes },
      resolution: 'Write the data to a parquet or csv file and read it with session.read, or raise the session config kjob.localData.maxBytes.',
    });
  return { kind: 'LocalData', schema: schemaToJson(table.schema), partitions };
}

/** The batches of one LocalData partition. */
export function localDataBatches(ipc: string): RecordBatch[] {
  return tableFromBase64(ipc).batches;
}

/** Schema of a LocalData node as Arrow. */
export function localDataSchema(node: LocalDataNode): Schema {
  return schemaFromJson(node.schema);
}

function conformTable(table: Table, schema: Schema): Table {
  const missing = schema.fields.filter((f) => !table.schema.fields.some((g) => g.name === f.name));
  if (missing.length) throw new ConfigError(`createDataFrame: the Arrow table has no column ${missing.map((f) => `'${f.name}'`).join(', ')} named in the schema`);
  for (const f of schema.fields) {
    const actual = table.schema.fields.find((g) => g.name === f.name)!;
    if (typeName(actual.type) !== typeName(f.type))
      throw new ConfigError(`createDataFrame: column '${f.name}' is ${typeName(actual.type)} in the Arrow table but ${typeName(f.type)} in the schema`, {
        context: { column: f.name },
        resolution: 'Pass the table without a schema and cast the column with withColumn(name, col(name).cast(type)).',
      });
  }
  return table.select(schema.fields.map((f) => f.name));
}


