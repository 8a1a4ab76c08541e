import type { Expr } from './expr.js';
import { assertNever, exprName } from './expr-name.js';
import type { NarrowOp, TaskInput, TaskPlan } from './task-plan.js';

/** What explain shows about one planned scan. */
export interface ScanSummary {
  readonly format: string;
  readonly offeredFilters: readonly Expr[];
  readonly requiredColumns?: readonly string[];
  readonly pushedFilters: readonly Expr[];
  readonly splits: number;
}

const MAX_TASKS_SHOWN = 10;

/**
 * The physical side of `explain('extended')`: the tasks one action would run (each task's splits and
 * operations) and what every source scan was offered and accepted for pushdown.
 */
export function explainTasks(plans: readonly TaskPlan[], scans: readonly ScanSummary[]): string {
  const kind = plans[0]?.output.kind ?? 'collect';
  const lines = [`Stage: ${plans.length} task(s), output ${kind}`];
  plans.slice(0, MAX_TASKS_SHOWN).forEach((p, i) => lines.push(`  task ${i}: ${describeInput(p.input)}`));
  if (plans.length > MAX_TASKS_SHOWN) lines.push(`  … ${plans.length - MAX_TASKS_SHOWN} more task(s)`);
  for (const s of scans) {
    const list = (es: readonly Expr[]) => (es.length ? es.map(exprName).join(', ') : 'none');
    lines.push(
      `Scan ${s.format}: ${s.splits} split(s); offered filters: ${list(s.offeredFilters)}; pushed: ${list(s.pushedFilters)}; required columns: ${s.requiredColumns ? s.requiredColumns.join(', ') : 'all'}`,
    );
  }
  return lines.join('\n');
}

function describeInput(i: TaskInput): string {
  if (i.kind === 'split') {
    switch (i.leaf.kind) {
      case 'Range': {
        const r = i.split as { start?: string; end?: string; step?: string };
        return `Range [${r.start}, ${r.end})${r.step !== '1' ? ` step ${r.step}` : ''}`;
      }
      case 'LocalData':
        return 'LocalData';
      case 'Scan':
        return `Scan ${i.leaf.format}${typeof i.split.description === 'string' ? ` ${i.split.description}` : ''}`;
      default:
        return assertNever(i.leaf);
    }
  }
  const inputs = i.inputs.map(describeInput);
  const source = inputs.length === 1 ? inputs[0]! : `(${inputs.join(' + ')})`;
  return [source, ...i.ops.map(describeOp)].join(' → ');
}

function describeOp(op: NarrowOp): string {
  switch (op.kind) {
    case 'Filter':
      return `Filter ${exprName(op.condition)}`;
    case 'Project':
      return `Project [${op.exprs.map((e) => (e.kind === 'alias' ? `${exprName(e.expr)} AS ${e.name}` : exprName(e))).join(', ')}]`;
    case 'Limit':
      return `Limit ${op.n}`;
    case 'MapPartitions':
      return `MapPartitions ${op.name}`;
    default:
      return assertNever(op);
  }
}
