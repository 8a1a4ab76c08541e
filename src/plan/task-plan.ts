import type { Split, WriteJob } from '../datasource/datasource.js';
import { PlanError } from '../errors/kjob-error.js';
import type { Expr } from './expr.js';
import type { SchemaJson } from './plan-node.js';

/**
 * The per-task plan (`TaskDescription.plan`): which splits the task reads, the narrow operations it
 * applies batch by batch, and what it returns. Plain JSON, validated on receipt by executors (which
 * may run another build than the driver).
 *
 * A task's input is a tree: a `split` leaf reads one split of a source; a `group` concatenates its
 * inputs in order and then applies its operations to the concatenated stream (so mapPartitions sees
 * the whole partition, and union branches keep their own operations).
 */
export const TASK_PLAN_VERSION = 1;

/** Where a split comes from. Scan options are secret-free (executors resolve credentials themselves). */
export type LeafSpec =
  | { readonly kind: 'Scan'; readonly format: string; readonly options: Readonly<Record<string, string>>; readonly schema: SchemaJson }
  | { readonly kind: 'LocalData'; readonly schema: SchemaJson }
  | { readonly kind: 'Range' };

/** LocalData split: one Arrow IPC stream (base64). Range split: bigint bounds as decimal text. */
export interface LocalDataSplit {
  readonly ipc: string;
}
export interface RangeSplit {
  readonly start: string;
  readonly end: string;
  readonly step: string;
}

export type NarrowOp =
  | { readonly kind: 'Filter'; readonly condition: Expr }
  | { readonly kind: 'Project'; readonly exprs: readonly Expr[] }
  | { readonly kind: 'Limit'; readonly n: number }
  | { readonly kind: 'MapPartitions'; readonly name: string; readonly schema?: SchemaJson };

export type TaskInput =
  | { readonly kind: 'split'; readonly leaf: LeafSpec; readonly split: Split }
  | { readonly kind: 'group'; readonly inputs: readonly TaskInput[]; readonly ops: readonly NarrowOp[] };

export type TaskOutput =
  | { readonly kind: 'collect' }
  | { readonly kind: 'count' }
  | { readonly kind: 'write'; readonly job: WriteJob; readonly schema: SchemaJson }
  | { readonly kind: 'foreach'; readonly name: string }
  /** A sink's own post-write work on an executor (DataSource.runSinkTask), e.g. Kusto's ingestion polling. */
  | { readonly kind: 'sinkTask'; readonly format: string; readonly payload: Readonly<Record<string, unknown>> };

export interface TaskPlan {
  readonly v: typeof TASK_PLAN_VERSION;
  readonly input: TaskInput;
  readonly output: TaskOutput;
  /** current_timestamp() of the action (epoch µs as decimal text): equal in every task. */
  readonly nowMicros: string;
}

/** What a collect task returns. */
export interface CollectOutput {
  readonly ipc: string | null;
  readonly rows: number;
}
/** What a count task returns. */
export interface CountOutput {
  readonly count: number;
}

/** Raised when a task plan is not one this build understands. */
export class InvalidTaskPlanError extends PlanError {
  override name = 'InvalidTaskPlanError';
}

/** Checks the shape of a received plan (not its semantics: the driver analyzed those). */
export function validateTaskPlan(x: unknown): TaskPlan {
  const fail = (why: string): never => {
    throw new InvalidTaskPlanError(`Invalid task plan: ${why}`, { resolution: 'Run the same kjob version on the driver and the executors.' });
  };
  if (!isObject(x)) return fail('not an object');
  if (x['v'] !== TASK_PLAN_VERSION) return fail(`version ${JSON.stringify(x['v'])} (this executor understands ${TASK_PLAN_VERSION})`);
  if (typeof x['nowMicros'] !== 'string' || !/^-?\d+$/.test(x['nowMicros'])) fail('nowMicros must be integer text');
  validateInput(x['input'], 'input', fail);
  const out = x['output'];
  if (!isObject(out)) return fail('output missing');
  switch (out['kind']) {
    case 'collect':
    case 'count':
      break;
    case 'write':
      if (!isObject(out['job']) || typeof (out['job'] as Record<string, unknown>)['format'] !== 'string') fail('output.job.format missing');
      if (!isObject(out['schema']) || !Array.isArray((out['schema'] as Record<string, unknown>)['fields'])) fail('output.schema missing');
      break;
    case 'foreach':
      if (typeof out['name'] !== 'string') fail('output.name missing');
      break;
    case 'sinkTask':
      if (typeof out['format'] !== 'string') fail('output.format missing');
      if (!isObject(out['payload'])) fail('output.payload missing');
      break;
    default:
      fail(`unknown output kind ${JSON.stringify(out['kind'])}`);
  }
  return x as unknown as TaskPlan;
}

function validateInput(x: unknown, path: string, fail: (why: string) => never): void {
  if (!isObject(x)) fail(`${path} is not an object`);
  const o = x as Record<string, unknown>;
  if (o['kind'] === 'split') {
    const leaf = o['leaf'];
    if (!isObject(leaf) || !['Scan', 'LocalData', 'Range'].includes(String(leaf['kind']))) fail(`${path}.leaf has an unknown kind`);
    if (!isObject(o['split'])) fail(`${path}.split missing`);
    return;
  }
  if (o['kind'] !== 'group') fail(`${path}.kind ${JSON.stringify(o['kind'])} unknown`);
  if (!Array.isArray(o['inputs'])) fail(`${path}.inputs missing`);
  if (!Array.isArray(o['ops'])) fail(`${path}.ops missing`);
  (o['inputs'] as unknown[]).forEach((inp, i) => validateInput(inp, `${path}.inputs[${i}]`, fail));
  (o['ops'] as unknown[]).forEach((op, i) => {
    if (!isObject(op) || !['Filter', 'Project', 'Limit', 'MapPartitions'].includes(String(op['kind']))) fail(`${path}.ops[${i}] has an unknown kind`);
  });
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Every MapPartitions function name a task input uses. */
export function partitionFunctionNames(input: TaskInput, out = new Set<string>()): Set<string> {
  if (input.kind === 'group') {
    for (const op of input.ops) if (op.kind === 'MapPartitions') out.add(op.name);
    for (const i of input.inputs) partitionFunctionNames(i, out);
  }
  return out;
}
