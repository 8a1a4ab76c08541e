import { Field, Int64, type RecordBatch, Schema } from 'apache-arrow';
import { fixedData } from '../../arrow/build-data.js';
import { doublesToInt64 } from '../../arrow/int64-as-double.js';
import { makeBatch } from '../../executor/eval/batch-ops.js';
import type { RangeSplit } from '../../plan/task-plan.js';

/** Rows per batch produced by `session.range`: big enough to amortise, small enough to stay in cache. */
export const RANGE_BATCH_ROWS = 65_536;

/** The schema of `session.range(...)`: one non-null int64 column `id`, as in Spark. */
export function rangeSchema(): Schema {
  return new Schema([new Field('id', new Int64(), false)]);
}

/** The rows of one range split, generated batch by batch (never materialised whole). */
export async function* rangeBatches(split: RangeSplit, signal?: AbortSignal): AsyncGenerator<RecordBatch> {
  const schema = rangeSchema();
  const step = BigInt(split.step);
  const end = BigInt(split.end);
  let next = BigInt(split.start);
  const more = () => (step > 0n ? next < end : next > end);
  while (more()) {
    signal?.throwIfAborted();
    const remaining = (step > 0n ? end - next + step - 1n : next - end - step - 1n) / (step > 0n ? step : -step);
    const n = Number(remaining < BigInt(RANGE_BATCH_ROWS) ? remaining : BigInt(RANGE_BATCH_ROWS));
    const values = new BigInt64Array(n);
    const last = next + BigInt(n) * step;
    if (next > -(2n ** 52n) && next < 2n ** 52n && last > -(2n ** 52n) && last < 2n ** 52n) {
      // Fast path: exact in doubles, written as int64 words without creating a BigInt per row.
      const base = Number(next);
      const d = Number(step);
      const doubles = new Float64Array(n);
      for (let i = 0; i < n; i++) doubles[i] = base + i * d;
      doublesToInt64(doubles, values);
    } else for (let i = 0; i < n; i++) values[i] = next + BigInt(i) * step;
    next += BigInt(n) * step;
    yield makeBatch(schema, [fixedData(new Int64(), values, null)], n);
  }
}
