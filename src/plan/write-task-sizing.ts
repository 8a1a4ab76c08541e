import type { LeafSpec, LocalDataSplit, RangeSplit, TaskInput } from './task-plan.js';

/**
 * Pure pieces of the write-task sizing a sink may opt into (`DataSource.planWriteTasks`): estimate
 * what each task input will write, pick a target per task, and regroup consecutive task inputs up to
 * that target. A regrouped task reads its inputs one after the other (a `group` input without ops of
 * its own), so each input keeps its own operations and the rows written are the same.
 */

/** Bytes the sink writes per byte of a leaf's estimate (e.g. CSV per compressed Parquet byte). */
export type ExpansionFactor = (leaf: LeafSpec) => number;

/** What a split of a leaf is expected to weigh before expansion; undefined when nothing is known. */
export function splitSourceBytes(leaf: LeafSpec, split: Readonly<Record<string, unknown>>): number | undefined {
  const declared = split['estimatedBytes'];
  if (typeof declared === 'number' && Number.isFinite(declared) && declared >= 0) return declared;
  if (leaf.kind === 'LocalData') return Math.floor(((split as unknown as LocalDataSplit).ipc?.length ?? 0) * 0.75);
  if (leaf.kind === 'Range') {
    const r = split as unknown as RangeSplit;
    const count = (BigInt(r.end) - BigInt(r.start)) / BigInt(r.step);
    // One bigint column: the Arrow width stands for the estimate.
    return Number(count < 0n ? 0n : count) * 8;
  }
  return undefined;
}

/**
 * Estimated output bytes of one task input (sum over its splits); undefined if any split is unknown,
 * and under a mapPartitions, whose output size is anyone's guess and whose function may rely on
 * seeing exactly its own partition (so such inputs are never grouped).
 */
export function estimatedOutputBytes(input: TaskInput, factor: ExpansionFactor): number | undefined {
  if (input.kind === 'split') {
    const bytes = splitSourceBytes(input.leaf, input.split);
    return bytes === undefined ? undefined : bytes * factor(input.leaf);
  }
  if (input.ops.some((op) => op.kind === 'MapPartitions')) return undefined;
  let sum = 0;
  for (const i of input.inputs) {
    const b = estimatedOutputBytes(i, factor);
    if (b === undefined) return undefined;
    sum += b;
  }
  return sum;
}

/**
 * Target bytes per write task: the total spread over the parallelism, clamped to [min, max]. At or
 * above `parallelism × min` in total this yields at least `parallelism` tasks; below it the data is
 * "small" and tasks of `min` bytes (fewer than the parallelism) are preferred to small blobs.
 */
export function writeTaskTargetBytes(totalBytes: number, parallelism: number, minBytes: number, maxBytes: number): number {
  const spread = totalBytes / Math.max(1, parallelism);
  return Math.min(maxBytes, Math.max(minBytes, spread));
}

/**
 * Groups consecutive indexes so that each group stays at or under `target` (a single input above the
 * target stays alone). Inputs of unknown size (undefined) are never grouped: each stays a task of its
 * own, as planned.
 */
export function groupConsecutive(sizes: readonly (number | undefined)[], target: number): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  const flush = () => {
    if (current.length > 0) groups.push(current);
    current = [];
    bytes = 0;
  };
  sizes.forEach((size, i) => {
    if (size === undefined) {
      flush();
      groups.push([i]);
      return;
    }
    if (current.length > 0 && bytes + size > target) flush();
    current.push(i);
    bytes += size;
  });
  flush();
  return groups;
}

/**
 * Balanced consecutive grouping: k = ceil(total / target) groups of about total / k each (so a total
 * just above the target gives two halves, not a full group and a crumb). Each input goes to the group
 * its midpoint falls in, and a group never passes the target (an input above it stays alone); inputs
 * of unknown size stay alone too.
 */
export function groupBalanced(sizes: readonly (number | undefined)[], target: number): number[][] {
  const total = sizes.reduce<number>((n, s) => n + (s ?? 0), 0);
  const k = Math.max(1, Math.ceil(total / Math.max(1, target)));
  const share = total / k;
  const groups: number[][] = [];
  let key = '';
  let segment = 0;
  let cum = 0;
  let groupBytes = 0;
  sizes.forEach((size, i) => {
    if (size === undefined) {
      groups.push([i]);
      segment++;
      key = '';
      return;
    }
    const index = share > 0 ? Math.min(k - 1, Math.floor((cum + size / 2) / share)) : 0;
    cum += size;
    const next = `${segment}:${index}`;
    // A new group at each share boundary, and before a group would pass the target (a lone input may).
    if (next !== key || groupBytes + size > target) {
      groups.push([]);
      groupBytes = 0;
    }
    key = next;
    groupBytes += size;
    groups[groups.length - 1]!.push(i);
  });
  return groups;
}

/** One task input per group: a lone input as it was, several as a group read in order. */
export function regroupInputs(inputs: readonly TaskInput[], groups: readonly (readonly number[])[]): TaskInput[] {
  const seen = new Set<number>();
  const out = groups.map((g) => {
    for (const i of g) {
      if (i < 0 || i >= inputs.length || seen.has(i)) throw new RangeError(`write-task grouping: index ${i} out of range or used twice`);
      seen.add(i);
    }
    return g.length === 1 ? inputs[g[0]!]! : { kind: 'group' as const, inputs: g.map((i) => inputs[i]!), ops: [] };
  });
  if (seen.size !== inputs.length) throw new RangeError(`write-task grouping covers ${seen.size} of ${inputs.length} inputs`);
  return out;
}

export interface WriteTaskSizing {
  readonly inputs: TaskInput[];
  readonly estimatedBytes: number;
  readonly targetBytes: number;
}

/** The whole rule: estimate, target = clamp(total / parallelism, min, max), balanced consecutive grouping. */
export function sizeWriteTasks(inputs: readonly TaskInput[], o: { readonly factor: ExpansionFactor; readonly parallelism: number; readonly minBytes: number; readonly maxBytes: number }): WriteTaskSizing {
  const sizes = inputs.map((i) => estimatedOutputBytes(i, o.factor));
  const total = sizes.reduce<number>((n, s) => n + (s ?? 0), 0);
  const target = writeTaskTargetBytes(total, o.parallelism, o.minBytes, o.maxBytes);
  return { inputs: regroupInputs(inputs, groupBalanced(sizes, target)), estimatedBytes: total, targetBytes: target };
}
