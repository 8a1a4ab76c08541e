import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { schemaToJson } from '../../src/arrow/schema-json.js';
import { toArrowSchema } from '../../src/arrow/schema-spec.js';
import type { PushdownOffer } from '../../src/datasource/datasource.js';
import { col, lit } from '../../src/plan/functions.js';
import type { PlanNode, ScanNode } from '../../src/plan/plan-node.js';
import { planStageInputs, rangeSplits, type ResolvedScan } from '../../src/plan/stage-planner.js';
import type { TaskInput } from '../../src/plan/task-plan.js';

const range = (partitions: number, end = 100): PlanNode => ({ kind: 'Range', start: '0', end: String(end), step: '1', partitions });
const noScans = async (): Promise<ResolvedScan> => {
  throw new Error('no scans here');
};

/** Compact text of a task input tree: splits as "r<start>", groups as "[…|ops]". */
function show(i: TaskInput): string {
  if (i.kind === 'split') return i.leaf.kind === 'Range' ? `r${(i.split as { start: string }).start}` : `s${JSON.stringify(i.split)}`;
  return `[${i.inputs.map(show).join(',')}${i.ops.length ? `|${i.ops.map((o) => o.kind).join('>')}` : ''}]`;
}

describe('rangeSplits', () => {
  it('splits evenly and covers every row exactly once, for any step', () => {
    assert.deepEqual(rangeSplits(0n, 10n, 1n, 3), [
      { start: '0', end: '3', step: '1' },
      { start: '3', end: '6', step: '1' },
      { start: '6', end: '10', step: '1' },
    ]);
    assert.deepEqual(rangeSplits(10n, 0n, -3n, 2), [
      { start: '10', end: '4', step: '-3' },
      { start: '4', end: '-2', step: '-3' },
    ]);
  });
});

describe('planStageInputs', () => {
  it('makes one task per split with the narrow op chain', async () => {
    const plan: PlanNode = { kind: 'Project', exprs: [col('id').expr], input: { kind: 'Filter', condition: col('id').gt(1).expr, input: range(3) } };
    const tasks = await planStageInputs(plan, noScans);
    assert.deepEqual(tasks.map(show), ['[r0|Filter>Project]', '[r33|Filter>Project]', '[r66|Filter>Project]']);
  });
  it('concatenates union task lists, each branch with its own ops', async () => {
    const plan: PlanNode = { kind: 'Union', inputs: [range(2), { kind: 'Filter', condition: col('id').gt(1).expr, input: range(1) }] };
    assert.deepEqual((await planStageInputs(plan, noScans)).map(show), ['r0', 'r50', '[r0|Filter]']);
  });
  it('deals splits round-robin on repartition and groups adjacent splits on coalesce', async () => {
    assert.deepEqual((await planStageInputs({ kind: 'Repartition', n: 2, input: range(5) }, noScans)).map(show), ['[r0,r40,r80]', '[r20,r60]']);
    assert.deepEqual((await planStageInputs({ kind: 'Coalesce', n: 2, input: range(5) }, noScans)).map(show), ['[r0,r20]', '[r40,r60,r80]']);
    assert.deepEqual((await planStageInputs({ kind: 'Coalesce', n: 9, input: range(2) }, noScans)).length, 2);
    // Never more tasks than splits: repartition is narrow.
    assert.equal((await planStageInputs({ kind: 'Repartition', n: 8, input: range(3) }, noScans)).length, 3);
  });
  it('keeps per-branch ops when repartitioning a union', async () => {
    const plan: PlanNode = { kind: 'Repartition', n: 2, input: { kind: 'Union', inputs: [range(1), { kind: 'MapPartitions', name: 'f', input: range(2) }] } };
    assert.deepEqual((await planStageInputs(plan, noScans)).map(show), ['[r0,[r50|MapPartitions]]', '[r0|MapPartitions]']);
  });
  it('turns limit into one task reading its inputs in order, each pre-limited', async () => {
    const tasks = await planStageInputs({ kind: 'Limit', n: 5, input: range(3) }, noScans);
    assert.deepEqual(tasks.map(show), ['[[r0|Limit],[r33|Limit],[r66|Limit]|Limit]']);
  });

  describe('pushdown', () => {
    const scan: ScanNode = { kind: 'Scan', format: 'test', options: {}, paths: [], schema: schemaToJson(toArrowSchema('a int, b string, c double')), pushedFilters: [] };
    const resolver = (accept: (f: unknown) => boolean, offers: PushdownOffer[]) => async (_s: ScanNode, offer: PushdownOffer): Promise<ResolvedScan> => {
      offers.push(offer);
      return { leaf: { kind: 'Scan', format: 'test', options: {}, schema: scan.schema }, splits: [{ i: 0 }, { i: 1 }], pushedFilters: offer.filters.filter(accept) };
    };
    it('offers the conjuncts of filters directly above a scan and the columns a projection needs, keeping rejected filters', async () => {
      const offers: PushdownOffer[] = [];
      const f1 = col('a').gt(1);
      const f2 = col('b').eq('x');
      const f3 = col('c').lt(2);
      const plan: PlanNode = { kind: 'Project', exprs: [col('b').expr, col('a').plus(1).expr], input: { kind: 'Filter', condition: f3.expr, input: { kind: 'Filter', condition: f1.and(f2).expr, input: scan } } };
      const tasks = await planStageInputs(plan, resolver((f) => JSON.stringify(f) !== JSON.stringify(f2.expr), offers));
      assert.deepEqual(offers, [{ filters: [f1.expr, f2.expr, f3.expr], requiredColumns: ['b', 'a', 'c'] }]);
      assert.equal(tasks.length, 2);
      const t = tasks[0]!;
      assert.equal(t.kind, 'group');
      if (t.kind === 'group') {
        assert.deepEqual(t.ops, [{ kind: 'Filter', condition: f2.expr }, { kind: 'Project', exprs: plan.exprs }]);
      }
    });
    it('offers nothing through a projection below the filter, and all columns without a projection', async () => {
      const offers: PushdownOffer[] = [];
      const plan: PlanNode = { kind: 'Filter', condition: col('x').gt(1).expr, input: { kind: 'Project', exprs: [col('a').alias('x').expr], input: scan } };
      await planStageInputs(plan, resolver(() => true, offers));
      assert.deepEqual(offers, [{ filters: [], requiredColumns: ['a'] }]);
      const offers2: PushdownOffer[] = [];
      const tasks = await planStageInputs({ kind: 'Filter', condition: lit(true).expr, input: scan }, resolver(() => true, offers2));
      assert.deepEqual(offers2, [{ filters: [lit(true).expr] }]);
      assert.deepEqual(tasks.map(show), ['s{"i":0}', 's{"i":1}']);
    });
  });
});
