import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Expr, LiteralValue } from '../../../src/plan/expr.js';
import { expressionToKql, literalToKql, planPushdown, pruneAndFilter } from '../../../src/datasource/kusto/kql/expression-to-kql.js';
import { findNodes, parseKql, shape } from './support/kql-parser.js';

const col = (name: string): Expr => ({ kind: 'col', name });
const lit = (value: LiteralValue): Expr => ({ kind: 'lit', value });
const bin = (op: Extract<Expr, { kind: 'binary' }>['op'], left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const call = (fn: 'startswith' | 'endswith' | 'contains', c: string, v: string): Expr => ({ kind: 'call', fn, args: [col(c), lit(v)] });

describe('expressionToKql (KustoFilterTests translations)', () => {
  const cases: [string, Expr, string | undefined][] = [
    ['EqualTo', bin('==', col('c'), lit('v')), "['c'] == 'v'"],
    ['EqualNullSafe null', bin('<=>', col('c'), lit(null)), "isnull(['c'])"],
    ['EqualNullSafe value', bin('<=>', col('c'), lit(5)), "['c'] == 5"],
    ['GreaterThan', bin('>', col('c'), lit(5)), "['c'] > 5"],
    ['GreaterThanOrEqual', bin('>=', col('c'), lit(5.5)), "['c'] >= real(5.5)"],
    ['LessThan', bin('<', col('c'), lit({ $bigint: '9007199254740993' })), "['c'] < long(9007199254740993)"],
    ['LessThanOrEqual', bin('<=', col('c'), lit({ $timestamp: '2019-02-21T12:30:02.0000001Z' })), "['c'] <= datetime(2019-02-21T12:30:02.0000001Z)"],
    ['sub-100ns timestamps are not pushed', bin('<', col('c'), lit({ $timestamp: '2019-02-21T12:30:02.000000123Z' })), undefined],
    ['In', { kind: 'in', expr: col('c'), values: [lit(1), lit(2)], negated: false }, "['c'] in (1, 2)"],
    ['Not In', { kind: 'in', expr: col('c'), values: [lit('a')], negated: true }, "['c'] !in ('a')"],
    ['In with null', { kind: 'in', expr: col('c'), values: [lit(1), lit(null)], negated: false }, undefined],
    ['IsNull', { kind: 'isNull', expr: col('c'), negated: false }, "isnull(['c'])"],
    ['IsNotNull', { kind: 'isNull', expr: col('c'), negated: true }, "isnotnull(['c'])"],
    ['And', bin('and', bin('>', col('a'), lit(1)), bin('<', col('b'), lit(2))), "(['a'] > 1) and (['b'] < 2)"],
    ['Or', bin('or', bin('>', col('a'), lit(1)), bin('<', col('b'), lit(2))), "(['a'] > 1) or (['b'] < 2)"],
    ['Or with untranslatable side', bin('or', bin('>', col('a'), lit(1)), bin('<', bin('+', col('a'), lit(1)), lit(2))), undefined],
    ['Not', { kind: 'not', expr: bin('==', col('a'), lit(true)) }, "not(['a'] == true)"],
    ['StartsWith', call('startswith', 'c', 'pre'), "['c'] startswith_cs 'pre'"],
    ['EndsWith', call('endswith', 'c', 'post'), "['c'] endswith_cs 'post'"],
    ['Contains', call('contains', 'c', 'mid'), "['c'] contains_cs 'mid'"],
    ['date', bin('==', col('d'), lit({ $date: '2019-02-21' })), "['d'] == datetime(2019-02-21T00:00:00Z)"],
    ['decimal', bin('==', col('d'), lit({ $decimal: '-1.50' })), "['d'] == decimal(-1.50)"],
    ['NaN', bin('==', col('d'), lit({ $nan: true })), "['d'] == real(nan)"],
    ['-Inf', bin('>', col('d'), lit({ $inf: -1 })), "['d'] > real(-inf)"],
    ['bool', bin('!=', col('b'), lit(false)), "['b'] != false"],
    ['literal on the left', bin('<', lit(3), col('x')), "3 < ['x']"],
    ['EqualTo null is not pushed', bin('==', col('c'), lit(null)), undefined],
    ['column vs column', bin('==', col('a'), col('b')), "['a'] == ['b']"],
    ['lit vs lit is not pushed', bin('==', lit(1), lit(1)), undefined],
    ['cast is not pushed', bin('==', { kind: 'cast', expr: col('a'), to: 'string' }, lit('1')), undefined],
    ['functions other than string matches', { kind: 'call', fn: 'lower', args: [col('a')] }, undefined],
  ];
  for (const [name, expr, expected] of cases) {
    it(name, () => {
      assert.equal(expressionToKql(expr), expected);
      if (expected !== undefined) assert.deepEqual(parseKql(`T | where ${expected}`).diagnostics, []);
    });
  }
  it('drops filters on columns outside the schema', () => {
    assert.equal(expressionToKql(bin('==', col('zz'), lit(1)), { knownColumns: new Set(['a']) }), undefined);
    assert.equal(expressionToKql(bin('==', col('a'), lit(1)), { knownColumns: new Set(['a']) }), "['a'] == 1");
  });
  it('formats literals of every type', () => {
    assert.equal(literalToKql(null), undefined);
    assert.equal(literalToKql(1e21), 'real(1e+21)');
    assert.equal(literalToKql(-0), 'real(-0.0)');
    assert.equal(literalToKql({ $inf: 1 }), 'real(+inf)');
  });
});

describe('pruneAndFilter', () => {
  it('matches the connector\'s test vector', () => {
    const q = pruneAndFilter('MyTable | take 100', [call('endswith', 'ColA', 'EndingString'), bin('<=', col('ColB'), lit(5))], ['ColA', 'ColB'], new Set(['ColA']));
    assert.equal(q, "MyTable | take 100 | where ['ColA'] endswith_cs 'EndingString' and ['ColB'] <= 5 | project tostring(['ColA']), ['ColB']");
  });
  it('omits empty clauses and reports what was not pushed', () => {
    assert.equal(pruneAndFilter('T;', [], []), 'T');
    const plan = planPushdown('T', [bin('>', col('a'), lit(1)), { kind: 'call', fn: 'lower', args: [col('a')] }], []);
    assert.equal(plan.query, "T | where ['a'] > 1");
    assert.equal(plan.pushed.length, 1);
    assert.equal(plan.notPushed.length, 1);
    assert.equal(pruneAndFilter('T // note', [], ['a']), "T // note\n | project ['a']");
  });
  it('cannot be injected through column names or values', () => {
    const nastyCol = "x'] == 1 or 1==1 //\n| project ['secret";
    const nastyValues = ["' or 1==1 //", '\\\' or true or \'', 'a\nb | take 1', 'where project "', 'and', 'tostring(1)'];
    const filters: Expr[] = [
      bin('==', col(nastyCol), lit(nastyValues[0]!)),
      ...nastyValues.slice(1).map((v) => call('contains', 'and', v)),
      { kind: 'in', expr: col('project'), values: nastyValues.map(lit), negated: false },
    ];
    const q = pruneAndFilter('T', filters, [nastyCol, 'where'], new Set());
    const parsed = parseKql(q);
    assert.deepEqual(parsed.diagnostics, []);
    // Exactly one where and one project, and no stray take: the structure is what we built.
    assert.equal(findNodes(parsed.root, 'FilterOperator').length, 1);
    assert.equal(findNodes(parsed.root, 'ProjectOperator').length, 1);
    assert.equal(findNodes(parsed.root, 'TakeOperator').length, 0);
    const where = findNodes(parsed.root, 'FilterOperator')[0]!;
    // The first conjunct compares the nasty column with the nasty value, both read back verbatim.
    const eq = findNodes(where, 'EqualExpression')[0]!;
    const lits = findNodes(eq, 'StringLiteralExpression').map((n) => n.literal);
    assert.deepEqual(lits, [nastyCol, nastyValues[0]]);
    const contains = findNodes(where, 'ContainsCsExpression').map((n) => findNodes(n, 'StringLiteralExpression').map((l) => l.literal));
    assert.deepEqual(contains, nastyValues.slice(1).map((v) => ['and', v]));
    const inValues = findNodes(findNodes(where, 'InExpression')[0]!, 'StringLiteralExpression').map((n) => n.literal);
    assert.deepEqual(inValues, ['project', ...nastyValues]);
    assert.equal(shape(findNodes(parsed.root, 'ProjectOperator')[0]!), `ProjectOperator(NameReference(StringLiteralExpression=${JSON.stringify(nastyCol)}),NameReference(StringLiteralExpression="where"))`);
  });
});
