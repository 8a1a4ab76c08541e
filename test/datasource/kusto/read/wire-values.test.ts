// The pure pieces of the raw V2 path: lossless JSON, frame parsing with in-body errors, exact value
// conversions, and the batch conversion's errors naming the column and row.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JsonNumber, parseLosslessJson, stringifyLossless } from '../../../../src/datasource/kusto/rest/lossless-json.js';
import { parseQueryResponse } from '../../../../src/datasource/kusto/rest/v2-response.js';
import { datetimeTextToNanos, decimalCell, longCell, realCell, timespanTextToNanos } from '../../../../src/datasource/kusto/rest/kusto-values.js';
import { rowsToBatch } from '../../../../src/datasource/kusto/rest/rows-to-arrow.js';
import { arrowSchemaOfKustoColumns } from '../../../../src/datasource/kusto/types/kusto-to-arrow.js';
import { isLimitsText } from '../../../../src/datasource/kusto/rest/kusto-request-error.js';

describe('lossless JSON', () => {
  it('keeps number digits, strings with escapes and nesting', () => {
    const v = parseLosslessJson('[9007199254740993, -1.50e+3, "a\\"b\\\\c\\u00fc", {"k": [true, false, null]}, 0]') as unknown[];
    assert.equal((v[0] as JsonNumber).text, '9007199254740993');
    assert.equal((v[1] as JsonNumber).text, '-1.50e+3');
    assert.equal(v[2], 'a"b\\cü');
    assert.equal(stringifyLossless(v as never), '[9007199254740993,-1.50e+3,"a\\"b\\\\cü",{"k":[true,false,null]},0]');
  });
  // No wall-clock assertion (it flaked on a loaded machine): a quadratic parse of this 4 MB body
  // would take hours, so the test's own timeout is the check.
  it('parses in linear time (a large body of escape-free strings)', { timeout: 60_000 }, () => {
    const body = `[${Array.from({ length: 200_000 }, (_, i) => `["row-${i}",${i}]`).join(',')},["a\\\\b",1]]`;
    const v = parseLosslessJson(body) as unknown[][];
    assert.equal(v.length, 200_001);
    assert.equal(v[200_000]![0], 'a\\b');
    assert.equal(v[199_999]![0], 'row-199999');
  });
  it('rejects malformed input with the offset', () => {
    assert.throws(() => parseLosslessJson('[1,]'), /offset 3/);
    assert.throws(() => parseLosslessJson('{"a":01}'), /bad number|trailing|expected/);
    assert.throws(() => parseLosslessJson('"open'), /unterminated/);
  });
});

describe('V2 response parsing', () => {
  const frames = (rows: string, completion = '{"FrameType":"DataSetCompletion","HasErrors":false,"Cancelled":false}') =>
    `[{"FrameType":"DataSetHeader"},{"FrameType":"DataTable","TableKind":"PrimaryResult","Columns":[{"ColumnName":"l","ColumnType":"long"}],"Rows":${rows}},${completion}]`;
  it('reads the primary result losslessly', () => {
    const r = parseQueryResponse(frames('[[9223372036854775807],[null]]'));
    assert.deepEqual(r.errors, []);
    assert.equal((r.primary!.rows[0]![0] as JsonNumber).text, '9223372036854775807');
  });
  it('reports errors inside a 200 once, with the OneApi code', () => {
    const r = parseQueryResponse(frames('[]', '{"FrameType":"DataSetCompletion","HasErrors":true,"OneApiErrors":[{"error":{"code":"LimitsExceeded","@message":"too big"}}]}'));
    assert.deepEqual(r.errors, [{ message: 'too big', code: 'LimitsExceeded' }]);
  });
  it('recognises the service wordings of a limits error', () => {
    assert.ok(isLimitsText('Query execution has exceeded the allowed limits (80DA0003): The results of this query exceed the set limit of 64 MB'));
    assert.ok(isLimitsText('LimitsExceeded internal record count limit 500000'));
    assert.ok(!isLimitsText('Syntax error: Query could not be parsed'));
  });
});

describe('exact Kusto value conversions', () => {
  it('datetime to ns keeps 100-ns digits and refuses what ns cannot hold', () => {
    assert.equal(datetimeTextToNanos('2024-01-02T03:04:05.1234567Z'), 1704164645123456700n);
    assert.equal(datetimeTextToNanos('1969-12-31T23:59:59.9999999Z'), -100n);
    assert.throws(() => datetimeTextToNanos('0099-01-01T00:00:00Z'), /outside the range/);
    assert.throws(() => datetimeTextToNanos('9999-12-31T23:59:59.9999999Z'), /outside the range of an Arrow nanosecond timestamp/);
    assert.throws(() => datetimeTextToNanos('yesterday'), /not a Kusto datetime/);
  });
  it('timespan to ns', () => {
    assert.equal(timespanTextToNanos('1.02:03:04.5000001'), 93_784_500_000_100n);
    assert.equal(timespanTextToNanos('-00:00:01.5'), -1_500_000_000n);
    assert.throws(() => timespanTextToNanos('10675199.02:48:05.4775807'), /outside the range/);
  });
  it('long, real and decimal cells', () => {
    assert.equal(longCell(new JsonNumber('-9223372036854775808')), -9223372036854775808n);
    assert.throws(() => longCell(new JsonNumber('9223372036854775808')), /outside the range/);
    assert.ok(Number.isNaN(realCell('NaN')));
    assert.equal(realCell('-Infinity'), -Infinity);
    assert.equal(decimalCell('12.340000000000000001', 18), 12_340000000000000001n);
    assert.equal(decimalCell(new JsonNumber('1E-05'), 18), 10_000_000_000_000n);
    assert.throws(() => decimalCell('0.0000000000000000001', 18), /more than 18 fractional digits/);
  });
  it('a cell that cannot be converted fails naming the column and row', () => {
    const schema = arrowSchemaOfKustoColumns([{ name: 'when', type: 'datetime' }]);
    assert.throws(() => rowsToBatch(schema, [['2024-01-01T00:00:00Z'], ['3000-01-01T00:00:00Z']]), (e: Error) => e.name === 'KustoValueConversionError' && /Column 'when' \(datetime\), row 1/.test(e.message));
  });
});
