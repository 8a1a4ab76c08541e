import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { estimatedOutputBytes, groupBalanced, groupConsecutive, regroupInputs, sizeWriteTasks, writeTaskTargetBytes } from '../../src/plan/write-task-sizing.js';
import type { LeafSpec, TaskInput } from '../../src/plan/task-plan.js';

const MB = 1024 * 1024;
const leaf: LeafSpec = { kind: 'Scan', format: 'parquet', options: {}, schema: { fields: [] } as never };
const split = (bytes: number | undefined, name = String(bytes)): TaskInput => ({ kind: 'split', leaf, split: { name, ...(bytes === undefined ? {} : { estimatedBytes: bytes }) } });
const one = () => 1;
const rule = (parallelism: number) => ({ factor: one, parallelism, minBytes: 100 * MB, maxBytes: 1024 * MB });

describe('write-task sizing', () => {
  it('target = clamp(total / parallelism, min, max)', () => {
    assert.equal(writeTaskTargetBytes(10 * MB, 4, 100 * MB, 1024 * MB), 100 * MB);
    assert.equal(writeTaskTargetBytes(2000 * MB, 4, 100 * MB, 1024 * MB), 500 * MB);
    assert.equal(writeTaskTargetBytes(100_000 * MB, 4, 100 * MB, 1024 * MB), 1024 * MB);
  });

  it('groups consecutive small inputs up to the target, never above it', () => {
    assert.deepEqual(groupConsecutive([40, 40, 40, 10, 90, 5], 100), [[0, 1], [2, 3], [4, 5]]);
  });

  it('a huge input stays alone; unknown sizes are never grouped', () => {
    assert.deepEqual(groupConsecutive([10, 500, 10, 10], 100), [[0], [1], [2, 3]]);
    assert.deepEqual(groupConsecutive([10, undefined, 10, 10], 100), [[0], [1], [2, 3]]);
  });

  it('balanced grouping: a total just above the target makes two halves, not a group and a crumb', () => {
    // 11 inputs of 10 for a target of 100: greedy gives [10 inputs][1 input]; balanced 6 + 5.
    const sizes = Array.from({ length: 11 }, () => 10);
    assert.deepEqual(groupConsecutive(sizes, 100).map((g) => g.length), [10, 1]);
    assert.deepEqual(groupBalanced(sizes, 100).map((g) => g.length), [5, 6]);
    assert.deepEqual(groupBalanced([10, 500, 10, 10], 100).map((g) => g.length), [1, 1, 2]);
    assert.deepEqual(groupBalanced([10, undefined, 10, 10], 100), [[0], [1], [2, 3]]);
  });

  it('many tiny splits (small data) become one task', () => {
    const inputs = Array.from({ length: 30 }, (_, i) => split(1000 + i, `s${i}`));
    const sized = sizeWriteTasks(inputs, rule(2));
    assert.equal(sized.inputs.length, 1);
    const g = sized.inputs[0]!;
    assert.equal(g.kind, 'group');
    // Read in the planned order, every split exactly once.
    assert.deepEqual(g.kind === 'group' && g.inputs.map((i) => (i.kind === 'split' ? i.split['name'] : '?')), inputs.map((_, i) => `s${i}`));
  });

  it('parallelism floor: at or above parallelism × min the task count never drops below the parallelism', () => {
    for (const parallelism of [2, 3, 8]) {
      // 100 splits of 37 MB = 3.7 GB; for parallelism 8 the spread is 462 MB per task.
      const inputs = Array.from({ length: 100 }, (_, i) => split(37 * MB, `s${i}`));
      const sized = sizeWriteTasks(inputs, rule(parallelism));
      assert.ok(sized.inputs.length >= parallelism, `${sized.inputs.length} tasks for parallelism ${parallelism}`);
      assert.ok(sized.inputs.length < 100, 'grouped');
      assert.equal(sized.inputs.flatMap((i) => (i.kind === 'group' ? i.inputs : [i])).length, 100);
    }
  });

  it('inputs already at the target are left as they are', () => {
    const inputs = Array.from({ length: 4 }, () => split(700 * MB));
    const sized = sizeWriteTasks(inputs, rule(2));
    assert.deepEqual(sized.inputs, inputs);
  });

  it('estimates apply the expansion factor, sum groups, and derive LocalData and Range sizes', () => {
    const factor = (l: LeafSpec) => (l.kind === 'Scan' ? 8 : 1);
    assert.equal(estimatedOutputBytes(split(10), factor), 80);
    assert.equal(estimatedOutputBytes({ kind: 'group', inputs: [split(10), split(5)], ops: [] }, factor), 120);
    assert.equal(estimatedOutputBytes({ kind: 'group', inputs: [split(10), split(undefined)], ops: [] }, factor), undefined);
    assert.equal(estimatedOutputBytes({ kind: 'group', inputs: [split(10)], ops: [{ kind: 'MapPartitions', name: 'f' }] }, factor), undefined, 'mapPartitions: unknown');
    assert.equal(estimatedOutputBytes({ kind: 'split', leaf: { kind: 'LocalData', schema: { fields: [] } as never }, split: { ipc: 'AAAA' } }, factor), 3);
    assert.equal(estimatedOutputBytes({ kind: 'split', leaf: { kind: 'Range' }, split: { start: '0', end: '100', step: '1' } }, factor), 800);
  });

  it('regroupInputs refuses groupings that lose or repeat an input', () => {
    const inputs = [split(1), split(2), split(3)];
    assert.throws(() => regroupInputs(inputs, [[0, 1]]), /covers 2 of 3/);
    assert.throws(() => regroupInputs(inputs, [[0, 1], [1, 2]]), /used twice/);
  });
});
