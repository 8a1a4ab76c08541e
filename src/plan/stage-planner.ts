import type { PushdownOffer, Split } from '../datasource/datasource.js';
import type { Expr } from './expr.js';
import { assertNever } from './expr-name.js';
import type { FilterNode, PlanNode, ProjectNode, ScanNode } from './plan-node.js';
import type { LeafSpec, NarrowOp, RangeSplit, TaskInput } from './task-plan.js';

/** What the driver learns from a source's planRead for one Scan. */
export interface ResolvedScan {
  readonly leaf: LeafSpec;
  readonly splits: readonly Split[];
  /** Offered filters the source applies itself (compared structurally). */
  readonly pushedFilters: readonly Expr[];
}

export type ScanResolver = (scan: ScanNode, offer: PushdownOffer) => Promise<ResolvedScan>;

/** A partition under construction: inputs concatenated in order, then ops applied. */
interface Part {
  readonly inputs: readonly TaskInput[];
  readonly ops: readonly NarrowOp[];
}

/**
 * Cuts a logical plan into the inputs of one stage, one TaskInput per task:
 * source splits × the chain of narrow operations. Union concatenates task lists; repartition(n)
 * deals whole splits round-robin to n tasks (no shuffle: never more tasks than splits); coalesce(n)
 * groups adjacent splits into at most n tasks; limit(n) becomes one task that reads its inputs in
 * order and stops after n rows (each input is limited to n as well).
 */
export async function planStageInputs(root: PlanNode, resolveScan: ScanResolver): Promise<TaskInput[]> {
  const parts = await compile(root, resolveScan);
  return parts.map(toInput);
}

async function compile(node: PlanNode, resolveScan: ScanResolver): Promise<Part[]> {
  switch (node.kind) {
    case 'Scan':
      return scanParts(node, [], undefined, [], resolveScan);
    case 'LocalData': {
      const leaf: LeafSpec = { kind: 'LocalData', schema: node.schema };
      return node.partitions.map((ipc) => ({ inputs: [{ kind: 'split', leaf, split: { ipc } }], ops: [] }));
    }
    case 'Range':
      return rangeSplits(BigInt(node.start), BigInt(node.end), BigInt(node.step), node.partitions).map((split) => ({
        inputs: [{ kind: 'split', leaf: { kind: 'Range' }, split: { ...split } }],
        ops: [],
      }));
    case 'Filter':
    case 'Project': {
      const pushed = await tryPushdown(node, resolveScan);
      if (pushed) return pushed;
      const op: NarrowOp = node.kind === 'Filter' ? { kind: 'Filter', condition: node.condition } : { kind: 'Project', exprs: node.exprs };
      return appendOp(await compile(node.input, resolveScan), op);
    }
    case 'MapPartitions':
      return appendOp(await compile(node.input, resolveScan), { kind: 'MapPartitions', name: node.name, ...(node.schema ? { schema: node.schema } : {}) });
    case 'Limit': {
      const limit: NarrowOp = { kind: 'Limit', n: node.n };
      const parts = appendOp(await compile(node.input, resolveScan), limit);
      return [{ inputs: parts.map(toInput), ops: [limit] }];
    }
    case 'Union': {
      const all = await Promise.all(node.inputs.map((i) => compile(i, resolveScan)));
      return all.flat();
    }
    case 'Repartition': {
      const units = unitsOf(await compile(node.input, resolveScan));
      const n = Math.min(node.n, units.length);
      const groups: TaskInput[][] = Array.from({ length: n }, () => []);
      units.forEach((u, i) => groups[i % n]!.push(u));
      return groups.map((inputs) => ({ inputs, ops: [] }));
    }
    case 'Coalesce': {
      const parts = await compile(node.input, resolveScan);
      if (parts.length <= node.n) return parts;
      const out: Part[] = [];
      for (let k = 0; k < node.n; k++) {
        const from = Math.floor((k * parts.length) / node.n);
        const to = Math.floor(((k + 1) * parts.length) / node.n);
        out.push({ inputs: parts.slice(from, to).map(toInput), ops: [] });
      }
      return out;
    }
    default:
      return assertNever(node);
  }
}

/**
 * For a chain Filter*…(Project)? directly above a Scan, offers the filters (split into conjuncts) and
 * the columns the projection needs to the source; filters it does not accept stay as executor ops.
 */
async function tryPushdown(node: FilterNode | ProjectNode, resolveScan: ScanResolver): Promise<Part[] | undefined> {
  let project: ProjectNode | undefined;
  let cur: PlanNode = node;
  if (cur.kind === 'Project') {
    project = cur;
    cur = cur.input;
  }
  const filters: FilterNode[] = [];
  while (cur.kind === 'Filter') {
    filters.push(cur);
    cur = cur.input;
  }
  if (cur.kind !== 'Scan' || (filters.length === 0 && !project)) return undefined;
  // Filters apply bottom-up; the pushdown offer is their conjuncts in that order.
  const conjuncts = filters.reverse().flatMap((f) => splitConjuncts(f.condition));
  const required = project ? requiredColumns(project.exprs, conjuncts) : undefined;
  const projectOp: NarrowOp[] = project ? [{ kind: 'Project', exprs: project.exprs }] : [];
  return scanParts(cur, conjuncts, required, projectOp, resolveScan);
}

async function scanParts(scan: ScanNode, conjuncts: Expr[], required: string[] | undefined, after: NarrowOp[], resolveScan: ScanResolver): Promise<Part[]> {
  const offer: PushdownOffer = required ? { filters: conjuncts, requiredColumns: required } : { filters: conjuncts };
  const resolved = await resolveScan(scan, offer);
  const accepted = new Set(resolved.pushedFilters.map((f) => JSON.stringify(f)));
  const remaining = conjuncts.filter((c) => !accepted.has(JSON.stringify(c)));
  const ops: NarrowOp[] = [...(remaining.length ? [{ kind: 'Filter' as const, condition: andAll(remaining) }] : []), ...after];
  return resolved.splits.map((split) => ({ inputs: [{ kind: 'split', leaf: resolved.leaf, split }], ops }));
}

/** `a AND (b AND c)` → [a, b, c]. */
export function splitConjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...splitConjuncts(e.left), ...splitConjuncts(e.right)] : [e];
}

function andAll(es: Expr[]): Expr {
  return es.reduce((acc, e) => ({ kind: 'binary', op: 'and', left: acc, right: e }));
}

/** Column names referenced by expressions (in first-use order). */
export function referencedColumns(exprs: readonly Expr[], out: string[] = []): string[] {
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'col':
        if (!out.includes(e.name)) out.push(e.name);
        return;
      case 'lit':
        return;
      case 'binary':
        visit(e.left);
        visit(e.right);
        return;
      case 'not':
      case 'negate':
      case 'isNull':
      case 'cast':
      case 'alias':
        visit(e.expr);
        return;
      case 'in':
        visit(e.expr);
        e.values.forEach(visit);
        return;
      case 'case':
        e.branches.forEach((b) => {
          visit(b.when);
          visit(b.then);
        });
        if (e.otherwise) visit(e.otherwise);
        return;
      case 'call':
        e.args.forEach(visit);
        return;
      default:
        assertNever(e);
    }
  };
  exprs.forEach(visit);
  return out;
}

function requiredColumns(project: readonly Expr[], filters: readonly Expr[]): string[] {
  return referencedColumns([...project, ...filters]);
}

function appendOp(parts: Part[], op: NarrowOp): Part[] {
  return parts.map((p) => ({ inputs: p.inputs, ops: [...p.ops, op] }));
}

/** Whole units a regrouping may move between tasks: a part's splits when it has no ops of its own. */
function unitsOf(parts: Part[]): TaskInput[] {
  return parts.flatMap((p) => (p.ops.length === 0 ? [...p.inputs] : [toInput(p)]));
}

function toInput(p: Part): TaskInput {
  if (p.ops.length === 0 && p.inputs.length === 1) return p.inputs[0]!;
  return { kind: 'group', inputs: p.inputs, ops: p.ops };
}

/** Splits [start, end) by step into `partitions` contiguous ranges, as Spark's range does. */
export function rangeSplits(start: bigint, end: bigint, step: bigint, partitions: number): RangeSplit[] {
  const count = step > 0n ? (end > start ? (end - start + step - 1n) / step : 0n) : start > end ? (start - end - step - 1n) / -step : 0n;
  const n = BigInt(Math.max(1, partitions));
  const out: RangeSplit[] = [];
  for (let k = 0n; k < n; k++) {
    const from = (count * k) / n;
    const to = (count * (k + 1n)) / n;
    out.push({ start: String(start + from * step), end: String(start + to * step), step: String(step) });
  }
  return out;
}
