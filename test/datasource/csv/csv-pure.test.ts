import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDdlSchema } from '../../../src/datasource/csv/ddl-schema.js';
import { INCOMPLETE, parseRecord, RecordFields, unescapeField, type CsvDialect } from '../../../src/datasource/csv/csv-tokenizer.js';
import { inferValue, mergeInferred, headerNames } from '../../../src/datasource/csv/csv-schema-inference.js';
import { parseTimestamp, parseDate, parseDecimal, parseFloatBytes, parseInteger } from '../../../src/datasource/csv/value-parsers.js';
import { formatDate, formatTimestamp } from '../../../src/datasource/csv/csv-value-format.js';
import { TimeUnit } from 'apache-arrow';

const rfc: CsvDialect = { sep: 44, quote: 34, escape: 34, multiLine: false };
const b = (s: string) => Buffer.from(s, 'utf8');

function fieldsOf(text: string, d: CsvDialect = rfc, final = true): { values: string[]; next: number; malformed?: string } {
  const buf = b(text);
  const f = new RecordFields();
  const next = parseRecord(buf, 0, buf.length, final, d, f);
  if (next === INCOMPLETE) return { values: [], next };
  const values: string[] = [];
  for (let i = 0; i < f.count; i++) {
    const out = new Uint8Array(buf.length);
    const n = unescapeField(buf, f.starts[i]!, f.ends[i]!, d, out);
    values.push(Buffer.from(out.subarray(0, n)).toString('utf8'));
  }
  return { values, next, ...(f.malformed ? { malformed: f.malformed } : {}) };
}

describe('csv tokenizer', () => {
  it('splits plain, quoted, doubled-quote and empty fields, and strips CR of CRLF', () => {
    assert.deepEqual(fieldsOf('a,b,c\nnext').values, ['a', 'b', 'c']);
    assert.equal(fieldsOf('a,b,c\nnext').next, 6);
    assert.deepEqual(fieldsOf('"a,1","say ""hi""",,""\r\n').values, ['a,1', 'say "hi"', '', '']);
    assert.deepEqual(fieldsOf('x,\r\n').values, ['x', '']);
    assert.deepEqual(fieldsOf('日本,🎉').values, ['日本', '🎉']);
  });
  it('reports incomplete records until the final chunk', () => {
    assert.equal(fieldsOf('a,b', rfc, false).next, INCOMPLETE);
    assert.equal(fieldsOf('"a\nb",c\n', { ...rfc, multiLine: true }, false).next, 8);
    assert.equal(fieldsOf('"abc"', rfc, false).next, INCOMPLETE, 'a closing quote at the buffer end may be the first half of ""');
  });
  it('keeps quoted line feeds with multiLine and flags them as unterminated without', () => {
    assert.deepEqual(fieldsOf('"l1\nl2",x\n', { ...rfc, multiLine: true }).values, ['l1\nl2', 'x']);
    const broken = fieldsOf('"l1\nl2",x\n');
    assert.equal(broken.malformed, 'unterminated quoted value');
    assert.equal(broken.next, 4);
  });
  it('supports a backslash escape distinct from the quote', () => {
    const d: CsvDialect = { sep: 59, quote: 39, escape: 92, multiLine: false };
    assert.deepEqual(fieldsOf("'it\\'s';'a\\\\b';c\n", d).values, ["it's", 'a\\b', 'c']);
  });
});

describe('csv value parsing and inference', () => {
  it('parses numbers strictly', () => {
    assert.equal(parseInteger(b(' 42 '), 0, 4), 42);
    assert.equal(parseInteger(b('-9223372036854775808'), 0, 20), -(2n ** 63n));
    assert.equal(parseInteger(b('4x'), 0, 2), undefined);
    assert.equal(parseFloatBytes(b('1e-3'), 0, 4).value, 0.001);
    assert.equal(parseFloatBytes(b('0x1F'), 0, 4).ok, false);
    assert.equal(parseFloatBytes(b('-Infinity'), 0, 9).value, -Infinity);
    assert.equal(parseDecimal(b('-12.50'), 0, 6, 10, 2), -1250n);
    assert.equal(parseDecimal(b('1.234'), 0, 5, 10, 2), undefined, 'digits beyond the scale are refused, not rounded');
  });
  it('parses dates and ISO timestamps, with zones, to UTC micros', () => {
    assert.equal(parseDate(b('1970-01-02'), 0, 10), 1);
    assert.equal(parseDate(b('2023-02-29'), 0, 10), undefined);
    assert.equal(parseDate(b('0001-01-01'), 0, 10), -719162);
    assert.equal(parseTimestamp(b('2024-01-02T03:04:05.123456Z'), 0, 27), 1704164645123456n);
    assert.equal(parseTimestamp(b('2024-01-02 05:04:05+02:00'), 0, 25), 1704164645000000n);
    assert.equal(formatTimestamp(1704164645123456n, TimeUnit.MICROSECOND), '2024-01-02T03:04:05.123456Z');
    assert.equal(formatTimestamp(-1n, TimeUnit.MICROSECOND), '1969-12-31T23:59:59.999999Z');
    assert.equal(formatDate(-719162), '0001-01-01');
  });
  it('infers the narrowest type and widens across values', () => {
    const t = (s: string) => inferValue(b(s), 0, b(s).length);
    assert.deepEqual(['1', '3000000000', '1.5', 'true', '2020-01-01', '2020-01-01T00:00:00Z', 'abc', '99999999999999999999'].map(t), ['int32', 'int64', 'float64', 'boolean', 'date', 'timestamp', 'string', 'string']);
    assert.equal(mergeInferred('int32', 'float64'), 'float64');
    assert.equal(mergeInferred('date', 'timestamp'), 'timestamp');
    assert.equal(mergeInferred('boolean', 'int32'), 'string');
    assert.equal(mergeInferred('null', 'date'), 'date');
    assert.deepEqual(headerNames(['a', '', 'A', 'b']), ['a0', '_c1', 'A2', 'b']);
  });
});

describe('DDL schema strings', () => {
  it('parses Spark DDL with decimals, backticks and NOT NULL', () => {
    const s = parseDdlSchema('a INT, b STRING NOT NULL, `odd, name` DECIMAL(10,2), d date, ts TIMESTAMP, big bigint, f double');
    assert.deepEqual(s.fields.map((f) => [f.name, String(f.type), f.nullable]), [
      ['a', 'Int32', true], ['b', 'Utf8', false], ['odd, name', 'Decimal[10e+2]', true], ['d', 'Date32<DAY>', true],
      ['ts', 'Timestamp<MICROSECOND, UTC>', true], ['big', 'Int64', true], ['f', 'Float64', true],
    ]);
  });
  it('names the culprit of a bad schema', () => {
    assert.throws(() => parseDdlSchema('a INTEGR'), /unknown type 'INTEGR' for column 'a'/);
    assert.throws(() => parseDdlSchema('a INT, a STRING'), /column 'a' is defined twice/);
    assert.throws(() => parseDdlSchema('a DECIMAL(40,2)'), /precision 1..38/);
    assert.throws(() => parseDdlSchema('a INT,'), /empty column definition/);
  });
});
