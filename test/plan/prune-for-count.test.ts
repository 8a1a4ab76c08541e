import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { schemaToJson } from '../../src/arrow/schema-json.js';
import { toArrowSchema } from '../../src/arrow/schema-spec.js';
import { col } from '../../src/plan/functions.js';
import type { PlanNode, ScanNode } from '../../src/plan/plan-node.js';
import { pruneForCount } from '../../src/plan/prune-for-count.js';

const scan: ScanNode = { kind: 'Scan', format: 'parquet', options: {}, paths: ['f'], schema: schemaToJson(toArrowSchema('a int, b string, c double')), pushedFilters: [] };

describe('pruneForCount', () => {
  it('projects a bare scan to its first column', () => {
    assert.deepEqual(pruneForCount(scan), { kind: 'Project', input: scan, exprs: [col('a').expr] });
  });
  it('projects filters over a scan to the columns the filters read', () => {
    const f: PlanNode = { kind: 'Filter', condition: col('c').gt(1).and(col('b').isNull()).expr, input: scan };
    assert.deepEqual(pruneForCount(f), { kind: 'Project', input: f, exprs: [col('c').expr, col('b').expr] });
  });
  it('leaves other shapes alone', () => {
    const p: PlanNode = { kind: 'Project', exprs: [col('a').expr], input: scan };
    assert.equal(pruneForCount(p), p);
    const r: PlanNode = { kind: 'Range', start: '0', end: '1', step: '1', partitions: 1 };
    assert.equal(pruneForCount(r), r);
    const all: PlanNode = { kind: 'Filter', condition: col('a').gt(col('b').cast('int')).and(col('c').gt(0)).expr, input: scan };
    assert.equal(pruneForCount(all), all);
  });
});
