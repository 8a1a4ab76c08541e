import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDelimited, UnterminatedQuoteError, unescapeTsve } from '../../../src/emulator/ingest/delimited-parser.js';
import { convertText, convertStructured, INVALID } from '../../../src/emulator/ingest/convert-value.js';
import { splitJsonLines, splitMultiJson } from '../../../src/emulator/ingest/json-records.js';
import { compileJsonPath, evalJsonPath } from '../../../src/emulator/ingest/json-path.js';
import { parseMapping } from '../../../src/emulator/ingest/column-mapping.js';

describe('CSV with Kusto quoting rules', () => {
  const parse = (t: string, sep = ',') => [...parseDelimited(t, sep)].map((r) => r.fields);
  it('handles doubled quotes, separators and newlines inside quotes, CRLF, BOM and empty fields', () => {
    assert.deepEqual(parse('\ufeffa,"b ""q"", c",\r\n"multi\nline",,x\n\n"",last,'), [['a', 'b "q", c', ''], ['multi\nline', '', 'x'], ['', 'last', '']]);
  });
  it('reports the line of an unterminated quote', () => {
    assert.throws(() => parse('ok,1\nbad,"open\n'), (e: unknown) => e instanceof UnterminatedQuoteError && e.line === 2);
  });
  it('splits other separators and unescapes TSVE', () => {
    assert.deepEqual(parse('a|b|"c|d"', '|'), [['a', 'b', 'c|d']]);
    assert.equal(unescapeTsve('a\\tb\\nc\\\\d'), 'a\tb\nc\\d');
  });
});

describe('value conversion', () => {
  it('converts text per Kusto type, empty = null except string', () => {
    assert.equal(convertText('long', '9223372036854775807'), 9223372036854775807n);
    assert.equal(convertText('long', '9223372036854775808'), INVALID);
    assert.equal(convertText('int', '2147483648'), INVALID);
    assert.equal(convertText('real', 'NaN'), NaN);
    assert.equal(convertText('real', '-Infinity'), -Infinity);
    assert.equal(convertText('bool', 'TRUE'), true);
    assert.equal(convertText('bool', 'yes'), INVALID);
    assert.equal(convertText('decimal', '.5'), '0.5');
    assert.equal(convertText('decimal', '123456789012345678901'), INVALID);
    assert.equal(convertText('guid', '{0B1F4B2A-3C4D-4E5F-8A9B-0C1D2E3F4A5B}'), '0b1f4b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b');
    assert.equal(convertText('dynamic', 'not json'), '"not json"');
    assert.equal(convertText('dynamic', '{"a":1}'), '{"a":1}');
    assert.equal(convertText('string', ''), '');
    assert.equal(convertText('long', ' '), null);
  });
  it('converts structured values (JSON, Parquet)', () => {
    assert.equal(convertStructured('dynamic', { a: [1] }), '{"a":[1]}');
    assert.equal(convertStructured('dynamic', 'text'), '"text"');
    assert.equal(convertStructured('string', { a: 1 }), '{"a":1}');
    assert.equal(convertStructured('long', 3.9), 3n);
    assert.equal(convertStructured('datetime', '2024-01-01T00:00:00Z'), 17040672000000000n);
    assert.equal(convertStructured('guid', 5), INVALID);
  });
});

describe('JSON records and paths', () => {
  it('splits JSON lines and reports bad lines', () => {
    const r = splitJsonLines('{"a":1}\n\nnot json\n{"a":2}');
    assert.deepEqual(r.records.map((x) => x.value), [{ a: 1 }, { a: 2 }]);
    assert.deepEqual(r.bad.map((b) => b.line), [3]);
  });
  it('splits multijson across lines and arrays, braces inside strings included', () => {
    const r = splitMultiJson('{\n "s": "}{",\n "n": 1\n}\n[{"n":2},{"n":3}] {"n":4}');
    assert.deepEqual(r.records.map((x) => (x.value as { n: number }).n), [1, 2, 3, 4]);
  });
  it('evaluates mapping paths', () => {
    const doc = { a: { 'b c': [10, { d: 'x' }] } };
    assert.equal(evalJsonPath(doc, compileJsonPath("$.a['b c'][1].d")), 'x');
    assert.equal(evalJsonPath(doc, compileJsonPath('$.a.missing')), undefined);
    assert.throws(() => compileJsonPath('a.b'));
  });
  it('normalises current and legacy mapping forms', () => {
    assert.deepEqual(parseMapping('[{"Column":"a","DataType":"long","Properties":{"Ordinal":"2"}}]', 'm'), [{ column: 'a', dataType: 'long', ordinal: 2 }]);
    assert.deepEqual(parseMapping('[{"Name":"b","Ordinal":0}]', 'm'), [{ column: 'b', ordinal: 0 }]);
    assert.deepEqual(parseMapping('[{"column":"c","path":"$.x","transform":"DateTimeFromUnixSeconds"}]', 'm'), [{ column: 'c', path: '$.x', transform: 'DateTimeFromUnixSeconds' }]);
    assert.throws(() => parseMapping('{"a":1}', 'm'));
    // The Spark connector's copy of a mapping, every " turned into '.
    assert.deepEqual(parseMapping("[{'Column':'it\\'s','Properties':{'Ordinal':'1'}}]", 'm'), [{ column: "it's", ordinal: 1 }]);
  });
});
