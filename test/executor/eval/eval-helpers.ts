import type { RecordBatch, Schema } from 'apache-arrow';
import { toArrowSchema, type SchemaSpec } from '../../../src/arrow/schema-spec.js';
import { rowsToTable } from '../../../src/datasource/memory/rows-to-table.js';
import { columnValues } from '../../../src/driver/collect-rows.js';
import { evaluateColumn } from '../../../src/executor/eval/evaluate.js';
import type { Column } from '../../../src/plan/column.js';
import { inferType } from '../../../src/plan/infer-type.js';
import { typeName } from '../../../src/arrow/data-types.js';

/** A one-batch table from rows (with an explicit schema when given). */
export function batchOf(rows: Record<string, unknown>[], schema?: SchemaSpec): RecordBatch {
  return rowsToTable(rows, schema === undefined ? undefined : toArrowSchema(schema)).batches[0]!;
}

export const ENV = { nowMicros: 1_700_000_000_123_456n };

/** Evaluates a column over a batch; returns its JS values and the type name, checking the evaluator agrees with the analyzer. */
export function evalValues(c: Column, batch: RecordBatch): { values: unknown[]; type: string } {
  const data = evaluateColumn(c.expr, batch, ENV);
  const announced = inferType(c.expr, batch.schema as Schema).type;
  if (typeName(announced) !== typeName(data.type)) throw new Error(`evaluator produced ${typeName(data.type)} but the analyzer announced ${typeName(announced)} for ${c.toString()}`);
  if (data.length !== batch.numRows) throw new Error(`evaluator produced ${data.length} rows for a ${batch.numRows}-row batch`);
  return { values: columnValues(data), type: typeName(data.type) };
}

export function values(c: Column, batch: RecordBatch): unknown[] {
  return evalValues(c, batch).values;
}
