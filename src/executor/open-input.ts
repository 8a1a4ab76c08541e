import type { RecordBatch, Schema } from 'apache-arrow';
import { schemaFromJson } from '../arrow/schema-json.js';
import type { TaskContext } from '../datasource/datasource.js';
import { localDataBatches } from '../datasource/memory/local-data.js';
import { rangeBatches } from '../datasource/memory/range-batches.js';
import { getDataSource } from '../datasource/registry.js';
import { PlanError } from '../errors/kjob-error.js';
import { assertNever } from '../plan/expr-name.js';
import { schemaToJson } from '../arrow/schema-json.js';
import type { LeafSpec, LocalDataSplit, NarrowOp, RangeSplit, TaskInput } from '../plan/task-plan.js';
import { filterBatch, headBatch, projectBatch } from './eval/batch-ops.js';
import type { EvalEnv } from './eval/evaluate.js';
import { getPartitionFunction } from './partition-functions.js';

/** Counters a task reports back. */
export interface InputMetrics {
  rowsRead: number;
  bytesRead: number;
}

/**
 * The record-batch stream of a task input: splits are read lazily, one batch at a time, and every
 * narrow operation is a streaming transform, so memory stays bounded by a few batches whatever the
 * partition size. Stopping early (limit) closes the upstream readers.
 */
export function openInput(input: TaskInput, ctx: TaskContext, env: EvalEnv, metrics: InputMetrics): AsyncIterable<RecordBatch> {
  switch (input.kind) {
    case 'split':
      return counted(readSplit(input.leaf, input.split, ctx), metrics);
    case 'group': {
      let stream: AsyncIterable<RecordBatch> = concat(input.inputs.map((i) => () => openInput(i, ctx, env, metrics)));
      for (const op of input.ops) stream = applyOp(op, stream, ctx, env);
      return stream;
    }
    default:
      return assertNever(input);
  }
}

function readSplit(leaf: LeafSpec, split: Readonly<Record<string, unknown>>, ctx: TaskContext): AsyncIterable<RecordBatch> {
  switch (leaf.kind) {
    case 'LocalData':
      return fromArray(localDataBatches((split as unknown as LocalDataSplit).ipc));
    case 'Range':
      return rangeBatches(split as unknown as RangeSplit, ctx.signal);
    case 'Scan':
      return scanSplit(leaf, split, ctx);
    default:
      return assertNever(leaf);
  }
}

async function* scanSplit(leaf: Extract<LeafSpec, { kind: 'Scan' }>, split: Readonly<Record<string, unknown>>, ctx: TaskContext): AsyncGenerator<RecordBatch> {
  const ds = await getDataSource(leaf.format);
  if (!ds.readSplit) throw new PlanError(`The '${leaf.format}' data source cannot be read`);
  yield* ds.readSplit(split, leaf.options, schemaFromJson(leaf.schema), ctx);
}

export function applyOp(op: NarrowOp, input: AsyncIterable<RecordBatch>, ctx: TaskContext, env: EvalEnv): AsyncIterable<RecordBatch> {
  switch (op.kind) {
    case 'Filter':
      return (async function* () {
        for await (const b of input) {
          ctx.signal.throwIfAborted();
          const out = filterBatch(b, op.condition, env);
          if (out.numRows > 0) yield out;
        }
      })();
    case 'Project':
      return (async function* () {
        const cache = new WeakMap<Schema, Schema>();
        for await (const b of input) {
          ctx.signal.throwIfAborted();
          yield projectBatch(b, op.exprs, env, cache);
        }
      })();
    case 'Limit':
      return (async function* () {
        let left = op.n;
        if (left <= 0) return;
        for await (const b of input) {
          const out = headBatch(b, left);
          left -= out.numRows;
          if (out.numRows) yield out;
          if (left <= 0) return;
        }
      })();
    case 'MapPartitions': {
      const fn = getPartitionFunction(op.name);
      const declared = op.schema ? schemaFromJson(op.schema) : undefined;
      return (async function* () {
        for await (const b of fn(input, ctx)) {
          if (declared) checkDeclared(op.name, declared, b.schema);
          yield b;
        }
      })();
    }
    default:
      return assertNever(op);
  }
}

function checkDeclared(name: string, declared: Schema, actual: Schema): void {
  const want = declared.fields.map((f) => f.name).join(',');
  const got = actual.fields.map((f) => f.name).join(',');
  if (want !== got)
    throw new PlanError(`Partition function '${name}' returned columns (${got}) but declared (${want})`, {
      context: { function: name, declared: JSON.stringify(schemaToJson(declared)) },
    });
}

async function* concat(parts: (() => AsyncIterable<RecordBatch>)[]): AsyncGenerator<RecordBatch> {
  for (const open of parts) yield* open();
}

async function* fromArray(batches: RecordBatch[]): AsyncGenerator<RecordBatch> {
  yield* batches;
}

async function* counted(input: AsyncIterable<RecordBatch>, metrics: InputMetrics): AsyncGenerator<RecordBatch> {
  for await (const b of input) {
    metrics.rowsRead += b.numRows;
    metrics.bytesRead += batchBytes(b);
    yield b;
  }
}

function batchBytes(b: RecordBatch): number {
  return (b.data as unknown as { byteLength?: number }).byteLength ?? 0;
}
