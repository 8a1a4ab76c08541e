import { redactOptions } from '../util/redact.js';
import type { Expr } from './expr.js';
import { assertNever, exprName } from './expr-name.js';
import type { PlanNode } from './plan-node.js';
import { childrenOf } from './analyze.js';

/**
 * A readable plan tree, one node per line, children indented under `+- ` (Spark's layout). Option
 * values that are secrets are redacted.
 */
export function explainPlan(node: PlanNode): string {
  const lines: string[] = [];
  const walk = (n: PlanNode, prefix: string, childPrefix: string) => {
    lines.push(prefix + describe(n));
    const children = childrenOf(n);
    children.forEach((c, i) => {
      const last = i === children.length - 1;
      walk(c, `${childPrefix}${last ? '+- ' : ':- '}`, `${childPrefix}${last ? '   ' : ':  '}`);
    });
  };
  walk(node, '', '');
  return lines.join('\n');
}

function describe(n: PlanNode): string {
  switch (n.kind) {
    case 'Scan': {
      const opts = redactOptions(n.options);
      const optText = Object.keys(opts).length ? ` options=${JSON.stringify(opts)}` : '';
      const paths = n.paths.length ? ` paths=[${n.paths.join(', ')}]` : '';
      const pushed = n.pushedFilters.length ? ` pushed=[${n.pushedFilters.map(exprName).join(', ')}]` : '';
      return `Scan ${n.format} [${n.schema.fields.map((f) => f.name).join(', ')}]${paths}${optText}${pushed}`;
    }
    case 'LocalData':
      return `LocalData [${n.schema.fields.map((f) => f.name).join(', ')}] partitions=${n.partitions.length}`;
    case 'Range':
      return `Range (${n.start}, ${n.end}, step=${n.step}, partitions=${n.partitions})`;
    case 'Project':
      return `Project [${n.exprs.map(projected).join(', ')}]`;
    case 'Filter':
      return `Filter ${exprName(n.condition)}`;
    case 'Limit':
      return `Limit ${n.n}`;
    case 'Union':
      return 'Union';
    case 'Repartition':
      return `Repartition ${n.n} (round-robin over splits)`;
    case 'Coalesce':
      return `Coalesce ${n.n}`;
    case 'MapPartitions':
      return `MapPartitions ${n.name}${n.schema ? ` [${n.schema.fields.map((f) => f.name).join(', ')}]` : ''}`;
    default:
      return assertNever(n);
  }
}

function projected(e: Expr): string {
  return e.kind === 'alias' ? `${exprName(e.expr)} AS ${e.name}` : exprName(e);
}
