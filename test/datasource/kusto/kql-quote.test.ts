import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hiddenString, hiddenVerbatimString, quoteIdentifier, quoteString, verbatimString } from '../../../src/datasource/kusto/kql/quote.js';
import { boolLiteral, datetimeLiteral, datetimeLiteralFromEpochNanos, decimalLiteral, dynamicLiteral, guidLiteral, intLiteral, longLiteral, realLiteral, timespanLiteral } from '../../../src/datasource/kusto/kql/literals.js';
import { findNodes, parseKql, stringLiteralValue } from './support/kql-parser.js';

const NASTY = [
  '',
  'plain',
  "O'Brien",
  'say "hi"',
  'back\\slash\\',
  "\\'",
  'line\nbreak\r\ncrlf',
  'tab\tand\u0000nul\u0001\u001f\u007f',
  'unicode é 漢字 😀 \u2028 \u2029',
  "'; .drop table T; print '",
  '" | where 1==1 | project "',
  'lone \ud83d surrogate',
  'x'.repeat(5000),
];

describe('quoteString', () => {
  it('writes golden forms', () => {
    assert.equal(quoteString("a'b"), "'a\\'b'");
    assert.equal(quoteString('a\\b'), "'a\\\\b'");
    assert.equal(quoteString('a"b'), "'a\\\"b'");
    assert.equal(quoteString('a\nb\r\t'), "'a\\nb\\r\\t'");
    assert.equal(quoteString('\u0001'), "'\\u0001'");
    assert.equal(quoteString('é😀'), "'é😀'");
  });
  for (const value of NASTY) {
    it(`round-trips through Kusto's lexer: ${JSON.stringify(value).slice(0, 40)}`, () => {
      assert.equal(stringLiteralValue(quoteString(value)), value);
      assert.equal(stringLiteralValue(hiddenString(value)), value);
    });
  }
});

describe('hidden and verbatim literals', () => {
  it('doubles quotes in verbatim form and refuses line breaks', () => {
    assert.equal(hiddenVerbatimString('?sv=1&sig=a"b'), 'h@"?sv=1&sig=a""b"');
    assert.equal(stringLiteralValue(hiddenVerbatimString('a"b\\c')), 'a"b\\c');
    assert.equal(stringLiteralValue(verbatimString('{"A":"x"}')), '{"A":"x"}');
    assert.throws(() => hiddenVerbatimString('a\nb'), /line break/);
    assert.throws(() => verbatimString('a\rb'), /line break/);
  });
});

describe('quoteIdentifier', () => {
  it('writes golden forms', () => {
    assert.equal(quoteIdentifier('T'), "['T']");
    assert.equal(quoteIdentifier("it's"), `["it's"]`);
    assert.equal(quoteIdentifier(`a'b"c`), `['a\\'b\\"c']`);
    assert.equal(quoteIdentifier('a\\b'), "['a\\\\b']");
    assert.throws(() => quoteIdentifier(''), /cannot be empty/);
  });
  for (const name of NASTY.filter((n) => n !== '')) {
    it(`names exactly one column: ${JSON.stringify(name).slice(0, 40)}`, () => {
      const parsed = parseKql(`T | project ${quoteIdentifier(name)}`);
      assert.deepEqual(parsed.diagnostics, []);
      const refs = findNodes(parsed.root, 'BracketedName');
      assert.equal(refs.length, 1);
      const lits = findNodes(refs[0]!, 'StringLiteralExpression');
      assert.equal(lits[0]!.literal, name);
    });
  }
});

function printValue(literal: string): unknown {
  const parsed = parseKql(`print x = ${literal}`);
  assert.deepEqual(parsed.diagnostics, [], literal);
  const lit = (function first(n): unknown {
    if (n.literal !== undefined && n.kind.endsWith('LiteralExpression')) return n.literal;
    for (const c of n.children) {
      const v = first(c);
      if (v !== undefined) return v;
    }
    return undefined;
  })(parsed.root);
  return lit;
}

describe('scalar literals', () => {
  it('formats datetimes with up to 100-ns precision, in UTC', () => {
    assert.equal(datetimeLiteral('2024-01-02T03:04:05.1234567Z'), 'datetime(2024-01-02T03:04:05.1234567Z)');
    assert.equal(datetimeLiteral('2024-01-02T03:04:05.123456789Z'), 'datetime(2024-01-02T03:04:05.1234567Z)');
    assert.equal(datetimeLiteral('2024-01-02T03:04:05Z'), 'datetime(2024-01-02T03:04:05Z)');
    assert.equal(datetimeLiteral('2024-01-02'), 'datetime(2024-01-02T00:00:00Z)');
    assert.equal(datetimeLiteral('2024-01-02T01:00:00.5+02:00'), 'datetime(2024-01-01T23:00:00.5Z)');
    assert.equal(datetimeLiteral(new Date(Date.UTC(2020, 0, 1, 10, 0, 0, 123))), 'datetime(2020-01-01T10:00:00.123Z)');
    assert.equal(datetimeLiteral('0001-01-01T00:00:00Z'), 'datetime(0001-01-01T00:00:00Z)');
    assert.equal(datetimeLiteral('9999-12-31T23:59:59.9999999Z'), 'datetime(9999-12-31T23:59:59.9999999Z)');
    assert.equal(datetimeLiteralFromEpochNanos(1_700_000_000_123_456_789n), 'datetime(2023-11-14T22:13:20.1234567Z)');
    assert.equal(datetimeLiteralFromEpochNanos(-1n), 'datetime(1969-12-31T23:59:59.9999999Z)');
    // The JS build of the parser keeps only milliseconds of the value; the full text is checked above.
    assert.equal((printValue(datetimeLiteral('2024-01-02T03:04:05.1234567Z')) as Date).toISOString(), '2024-01-02T03:04:05.123Z');
    assert.throws(() => datetimeLiteral('2024-02-30'), /not a valid calendar/);
    assert.throws(() => datetimeLiteral("2024-01-01') | take 1"), /not an ISO-8601/);
    assert.throws(() => datetimeLiteral(new Date(NaN)), /Invalid Date/);
  });
  it('formats timespans from ticks', () => {
    assert.equal(timespanLiteral(0n), 'timespan(0.00:00:00)');
    assert.equal(timespanLiteral(937_841_234_567n), 'timespan(1.02:03:04.1234567)');
    assert.equal(timespanLiteral(-937_840_000_000n), 'timespan(-1.02:03:04)');
    for (const t of [0n, 937_841_234_567n, -937_840_000_000n, 2n ** 63n - 1n]) assert.deepEqual(parseKql(`print ${timespanLiteral(t)}`).diagnostics, []);
  });
  it('formats numbers, booleans, guids, decimals and dynamics', () => {
    assert.equal(longLiteral(123n), 'long(123)');
    assert.equal(longLiteral(-9223372036854775808n), 'long(-9223372036854775808)');
    assert.throws(() => longLiteral(2n ** 63n), /outside/);
    assert.throws(() => longLiteral(1.5), /not an integer/);
    assert.equal(intLiteral(-5), 'int(-5)');
    assert.throws(() => intLiteral(2 ** 31), /int32/);
    assert.equal(realLiteral(NaN), 'real(nan)');
    assert.equal(realLiteral(Infinity), 'real(+inf)');
    assert.equal(realLiteral(-Infinity), 'real(-inf)');
    assert.equal(realLiteral(-0), 'real(-0.0)');
    assert.equal(realLiteral(1e21), 'real(1e+21)');
    assert.equal(printValue(realLiteral(1e21)), 1e21);
    assert.equal(printValue(realLiteral(5e-324)), 5e-324);
    assert.equal(boolLiteral(true), 'true');
    assert.equal(guidLiteral('74BE27DE-1E4E-49D9-B579-FE0B331D3642'), 'guid(74be27de-1e4e-49d9-b579-fe0b331d3642)');
    assert.throws(() => guidLiteral("x') | take 1"), /not a GUID/);
    assert.equal(decimalLiteral('-123456789123456789.1234567891'), 'decimal(-123456789123456789.1234567891)');
    assert.throws(() => decimalLiteral('1; drop'), /not a decimal/);
    const dyn = { a: 'x"y\u0001\n\u2028', b: [1, null, 2.5e10], "c'": { d: true } };
    const lit = dynamicLiteral(dyn);
    const dynNode = findNodes(parseKql(`print x = ${lit}`).root, 'DynamicExpression')[0]!;
    assert.deepEqual(JSON.parse(dynNode.literal as string), dyn);
    for (const l of [realLiteral(NaN), realLiteral(Infinity), longLiteral(1n), intLiteral(1), guidLiteral('74be27de-1e4e-49d9-b579-fe0b331d3642'), decimalLiteral('1.5'), dynamicLiteral(null)]) {
      assert.deepEqual(parseKql(`print ${l}`).diagnostics, [], l);
    }
  });
});
