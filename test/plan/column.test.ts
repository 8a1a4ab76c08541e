import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Column } from '../../src/plan/column.js';
import { col, concat, current_timestamp, date_trunc, lit, lower, when } from '../../src/plan/functions.js';
import { literalExpr } from '../../src/plan/literal.js';

describe('Column DSL', () => {
  it('builds frozen expression trees and never changes the receiver', () => {
    const a = col('a');
    const b = a.plus(1);
    assert.deepEqual(a.expr, { kind: 'col', name: 'a' });
    assert.deepEqual(b.expr, { kind: 'binary', op: '+', left: { kind: 'col', name: 'a' }, right: { kind: 'lit', value: 1, type: 'int32' } });
    assert.ok(Object.isFrozen(b.expr));
    assert.throws(() => {
      (b.expr as { kind: string }).kind = 'x';
    }, TypeError);
  });
  it('serialises to JSON and back to the same tree', () => {
    const c = when(col('delay').gt(30).and(col('origin').isin('SEA', 'SFO')), lit(1n))
      .when(col('ts').lt(new Date('2024-01-01T00:00:00Z')), lit(Number.NaN))
      .otherwise(concat(lower('name'), lit("it's \"quoted\"\n"), date_trunc('hour', 'ts').cast('string')))
      .alias('x');
    const json = JSON.parse(JSON.stringify(c));
    assert.deepEqual(json, c.expr);
    assert.deepEqual(new Column(json).expr, c.expr);
  });
  it('tags literals JSON cannot hold', () => {
    assert.deepEqual(literalExpr(5), { kind: 'lit', value: 5, type: 'int32' });
    assert.deepEqual(literalExpr(2 ** 40), { kind: 'lit', value: { $bigint: String(2 ** 40) }, type: 'int64' });
    assert.deepEqual(literalExpr(1.5), { kind: 'lit', value: 1.5, type: 'float64' });
    assert.deepEqual(literalExpr(-5n), { kind: 'lit', value: { $bigint: '-5' }, type: 'int64' });
    assert.deepEqual(literalExpr(NaN), { kind: 'lit', value: { $nan: true }, type: 'float64' });
    assert.deepEqual(literalExpr(-Infinity), { kind: 'lit', value: { $inf: -1 }, type: 'float64' });
    assert.deepEqual(literalExpr(new Date(0)), { kind: 'lit', value: { $timestamp: '1970-01-01T00:00:00.000Z' }, type: 'timestamp' });
    assert.deepEqual(literalExpr(null), { kind: 'lit', value: null });
    assert.throws(() => literalExpr(new Date(NaN)), /invalid/);
    assert.throws(() => literalExpr({} as never), /Unsupported literal/);
  });
  it('names unaliased expressions like Spark', () => {
    assert.equal(String(col('a').plus(1)), '(a + 1)');
    assert.equal(String(col('a').eq('x').and(col('b').isNull().not())), '((a = x) AND (NOT (b IS NULL)))');
    assert.equal(String(col('a').cast('int')), 'CAST(a AS INT)');
    assert.equal(String(when(col('a').gt(1), 'big').otherwise('small')), 'CASE WHEN (a > 1) THEN big ELSE small END');
    assert.equal(String(current_timestamp()), 'current_timestamp()');
    assert.equal(String(col('a').isin(1, 2)), '(a IN (1, 2))');
  });
  it('rejects empty names', () => {
    assert.throws(() => col(''), /non-empty/);
    assert.throws(() => col('a').alias(''), /non-empty/);
  });
});
