import type { RecordBatch } from 'apache-arrow';
import type { TaskContext } from '../datasource/datasource.js';
import { PlanError } from '../errors/kjob-error.js';

/**
 * User code run on executors, looked up by name (code cannot travel in a task; the job module is
 * imported on every executor instead, as a Spark application jar is shipped to every executor).
 *
 * Register at the TOP of the job module, before the session is created: executors import the job
 * module only to run these registrations and stop it at `getOrCreate()` / the first action.
 */

/** For `mapPartitions(name)`: batches of one partition in, batches out (streaming). */
export type PartitionFunction = (batches: AsyncIterable<RecordBatch>, ctx: TaskContext) => AsyncIterable<RecordBatch>;
/** For `foreachPartition(name)`: consumes one partition's batches for their side effects. */
export type ForeachPartitionFunction = (batches: AsyncIterable<RecordBatch>, ctx: TaskContext) => Promise<void> | void;

type Registered = { readonly kind: 'map'; readonly fn: PartitionFunction } | { readonly kind: 'foreach'; readonly fn: ForeachPartitionFunction };

// On globalThis so that two copies of this module (e.g. a job importing kjob through another path) share one registry.
const REGISTRY_KEY = Symbol.for('kjob.partitionFunctions');
const registry: Map<string, Registered> = ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] ??= new Map()) as Map<string, Registered>;

/**
 * Registers a function for `df.mapPartitions(name)`. Registering a name again replaces it.
 *
 * @example
 * registerPartitionFunction('addOne', async function* (batches) { for await (const b of batches) yield b; });
 */
export function registerPartitionFunction(name: string, fn: PartitionFunction): void {
  check(name, fn);
  registry.set(name, { kind: 'map', fn });
}

/** Registers a function for `df.foreachPartition(name)`. */
export function registerForeachPartitionFunction(name: string, fn: ForeachPartitionFunction): void {
  check(name, fn);
  registry.set(name, { kind: 'foreach', fn });
}

export function isPartitionFunctionRegistered(name: string, kind: 'map' | 'foreach'): boolean {
  return registry.get(name)?.kind === kind;
}

export function getPartitionFunction(name: string): PartitionFunction {
  const r = registry.get(name);
  if (r?.kind !== 'map') throw notRegistered(name, 'map');
  return r.fn;
}

export function getForeachPartitionFunction(name: string): ForeachPartitionFunction {
  const r = registry.get(name);
  if (r?.kind !== 'foreach') throw notRegistered(name, 'foreach');
  return r.fn;
}

function check(name: string, fn: unknown): void {
  if (typeof name !== 'string' || !name) throw new PlanError('A partition function needs a non-empty name');
  if (typeof fn !== 'function') throw new PlanError(`Partition function '${name}' is not a function`);
}

export class PartitionFunctionNotFoundError extends PlanError {
  override name = 'PartitionFunctionNotFoundError';
}

function notRegistered(name: string, kind: 'map' | 'foreach'): PartitionFunctionNotFoundError {
  const known = [...registry.entries()].filter(([, r]) => r.kind === kind).map(([n]) => n);
  const how = kind === 'map' ? 'registerPartitionFunction' : 'registerForeachPartitionFunction';
  return new PartitionFunctionNotFoundError(`No ${kind === 'map' ? 'mapPartitions' : 'foreachPartition'} function named '${name}' is registered${known.length ? `; registered: ${known.join(', ')}` : ''}`, {
    context: { function: name },
    resolution: `Call ${how}('${name}', fn) at the top of the job module (before the session is created), so executors register it when they import the module.`,
  });
}
