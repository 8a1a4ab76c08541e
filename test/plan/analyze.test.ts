import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/plan/analyze.js';
import { explainPlan } from '../../src/plan/explain.js';
import { col, date_trunc, lit, substring, year } from '../../src/plan/functions.js';
import type { PlanNode } from '../../src/plan/plan-node.js';
import { schemaToJson } from '../../src/arrow/schema-json.js';
import { toArrowSchema } from '../../src/arrow/schema-spec.js';
import { typeName } from '../../src/arrow/data-types.js';

const scan: PlanNode = {
  kind: 'Scan',
  format: 'parquet',
  options: { mergeSchema: 'false', sasToken: 'sv=1&sig=secret' },
  paths: ['data/flights.parquet'],
  schema: schemaToJson(toArrowSchema('date timestamp, delay int, distance int, origin string, destination string')),
  pushedFilters: [],
};

const names = (n: PlanNode) => analyze(n).fields.map((f) => `${f.name}:${typeName(f.type)}`);

describe('analyze', () => {
  it('computes the output schema of projections', () => {
    const p: PlanNode = { kind: 'Project', input: scan, exprs: [col('origin').expr, col('delay').plus(1.5).alias('d').expr, year('date').expr, col('delay').gt(30).expr] };
    assert.deepEqual(names(p), ['origin:string', 'd:float64', 'year(date):int32', '(delay > 30):boolean']);
  });
  it('names an unknown column and lists those available', () => {
    const p: PlanNode = { kind: 'Project', input: scan, exprs: [col('dela').expr] };
    assert.throws(() => analyze(p), { name: 'PlanError', message: "Column 'dela' not found; available: date, delay, distance, origin, destination" });
  });
  it('resolves columns case-insensitively when unambiguous', () => {
    const p: PlanNode = { kind: 'Project', input: scan, exprs: [col('DELAY').expr] };
    assert.deepEqual(names(p), ['delay:int32']);
  });
  it('names the expression of a type mismatch', () => {
    const f: PlanNode = { kind: 'Filter', input: scan, condition: col('origin').plus(1).expr };
    assert.throws(() => analyze(f), /Type mismatch in \(origin \+ 1\): '\+' needs numeric operands, got string and int32/);
    const g: PlanNode = { kind: 'Filter', input: scan, condition: col('delay').expr };
    assert.throws(() => analyze(g), /Filter condition delay must be boolean, got int32/);
    const h: PlanNode = { kind: 'Project', input: scan, exprs: [substring('origin', lit('a') as never, 2).expr] };
    assert.throws(() => analyze(h), /substring\(\) position must be an integer/);
    const k: PlanNode = { kind: 'Project', input: scan, exprs: [date_trunc('fortnight', 'date').expr] };
    assert.throws(() => analyze(k), /date_trunc\(\) unit must be one of/);
    const m: PlanNode = { kind: 'Project', input: scan, exprs: [col('origin').and(col('delay').gt(1)).expr] };
    assert.throws(() => analyze(m), /AND needs boolean operands, got string on the left/);
  });
  it('checks arity of hand-built calls', () => {
    const p: PlanNode = { kind: 'Project', input: scan, exprs: [{ kind: 'call', fn: 'lower', args: [] }] };
    assert.throws(() => analyze(p), /lower\(\) takes 1 argument/);
  });
  it('widens union columns and rejects unions of different widths or incompatible types', () => {
    const a: PlanNode = { kind: 'Range', start: '0', end: '3', step: '1', partitions: 1 };
    const b: PlanNode = { kind: 'Project', input: scan, exprs: [col('delay').expr] };
    assert.deepEqual(names({ kind: 'Union', inputs: [b, a] }), ['delay:int64']);
    assert.throws(() => analyze({ kind: 'Union', inputs: [scan, a] }), /same number of columns/);
    const c: PlanNode = { kind: 'Project', input: scan, exprs: [col('date').expr] };
    assert.throws(() => analyze({ kind: 'Union', inputs: [c, { kind: 'Project', input: scan, exprs: [lit(true).expr] }] }), /union\(\) column 1 \('date'\)/);
  });
  it('rejects bad limits and partition counts', () => {
    assert.throws(() => analyze({ kind: 'Limit', input: scan, n: -1 }), /non-negative integer/);
    assert.throws(() => analyze({ kind: 'Repartition', input: scan, n: 0 }), /positive integer/);
  });
});

describe('explain', () => {
  it('prints the plan tree (golden) with secrets redacted', () => {
    const plan: PlanNode = {
      kind: 'Limit',
      n: 10,
      input: {
        kind: 'Union',
        inputs: [
          { kind: 'Project', input: { kind: 'Filter', input: scan, condition: col('delay').gt(30).expr }, exprs: [col('origin').expr, col('delay').multiply(2).alias('d2').expr] },
          { kind: 'Project', input: { kind: 'Repartition', n: 4, input: scan }, exprs: [col('destination').expr, lit(0).expr] },
        ],
      },
    };
    assert.equal(
      explainPlan(plan),
      [
        'Limit 10',
        '+- Union',
        '   :- Project [origin, (delay * 2) AS d2]',
        '   :  +- Filter (delay > 30)',
        '   :     +- Scan parquet [date, delay, distance, origin, destination] paths=[data/flights.parquet] options={"mergeSchema":"false","sasToken":"<redacted>"}',
        '   +- Project [destination, 0]',
        '      +- Repartition 4 (round-robin over splits)',
        '         +- Scan parquet [date, delay, distance, origin, destination] paths=[data/flights.parquet] options={"mergeSchema":"false","sasToken":"<redacted>"}',
      ].join('\n'),
    );
  });
});
