import { type Data, type Field, makeData, RecordBatch, Schema, Struct, Type } from 'apache-arrow';
import { boolBytes, validityBytes } from '../../arrow/read-data.js';
import { takeRows } from '../../arrow/take-rows.js';
import type { Expr } from '../../plan/expr.js';
import { inferField } from '../../plan/infer-type.js';
import { evaluateColumn, type EvalEnv } from './evaluate.js';

/** A record batch from a schema and one chunk per field. */
export function makeBatch(schema: Schema, children: Data[], rows: number): RecordBatch {
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children }));
}

/** The rows of `batch` where `condition` is true (null counts as false, as in SQL WHERE). */
export function filterBatch(batch: RecordBatch, condition: Expr, env: EvalEnv): RecordBatch {
  const cond = evaluateColumn(condition, batch, env);
  const rows = batch.numRows;
  let keep: Uint8Array;
  if (cond.typeId === Type.Null) keep = new Uint8Array(rows);
  else {
    keep = boolBytes(cond);
    const valid = validityBytes(cond);
    if (valid) for (let i = 0; i < rows; i++) keep[i]! &= valid[i]!;
  }
  let count = 0;
  for (let i = 0; i < rows; i++) count += keep[i]!;
  if (count === rows) return batch;
  const indices = new Int32Array(count);
  for (let i = 0, k = 0; i < rows; i++) if (keep[i]) indices[k++] = i;
  return takeBatchRows(batch, indices);
}

/** The rows at `indices` of every column. */
export function takeBatchRows(batch: RecordBatch, indices: Int32Array): RecordBatch {
  const children = batch.data.children.map((c) => takeRows(c as Data, indices));
  return makeBatch(batch.schema, children, indices.length);
}

/** The first `n` rows (no copy: a slice). */
export function headBatch(batch: RecordBatch, n: number): RecordBatch {
  return n >= batch.numRows ? batch : batch.slice(0, n);
}

/**
 * Evaluates a projection. `cache` remembers the output schema per input schema so the type analysis
 * runs once per distinct input schema, not once per batch.
 */
export function projectBatch(batch: RecordBatch, exprs: readonly Expr[], env: EvalEnv, cache?: WeakMap<Schema, Schema>): RecordBatch {
  let schema = cache?.get(batch.schema);
  if (!schema) {
    schema = new Schema(exprs.map((e): Field => inferField(e, batch.schema)));
    cache?.set(batch.schema, schema);
  }
  const children = exprs.map((e) => evaluateColumn(e, batch, env));
  return makeBatch(schema, children, batch.numRows);
}
