import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeRow, encodeValue } from '../../../src/emulator/server/wire-values.js';
import { RawJson } from '../../../src/emulator/engine/raw-json.js';
import { v1Body, v2Body } from '../../../src/emulator/server/wire-format.js';

describe('wire value encodings', () => {
  it('encodes each Kusto type as the service does', () => {
    assert.equal(encodeValue('long', 9007199254740993n, 'v2'), '9007199254740993');
    assert.equal(encodeValue('real', NaN, 'v2'), '"NaN"');
    assert.equal(encodeValue('real', -Infinity, 'v1'), '"-Infinity"');
    assert.equal(encodeValue('decimal', '12.340000000000000000', 'v2'), '"12.34"');
    assert.equal(encodeValue('decimal', '100.000', 'v2'), '"100"');
    assert.equal(encodeValue('datetime', 17041646451234567n, 'v2'), '"2024-01-02T03:04:05.1234567Z"');
    assert.equal(encodeValue('timespan', -15000000n, 'v1'), '"-00:00:01.5000000"');
    assert.equal(encodeValue('dynamic', new RawJson('{"a":12345678901234567890}'), 'v2'), '{"a":12345678901234567890}');
    assert.equal(encodeValue('dynamic', new RawJson('{"a":1}'), 'v1'), '"{\\"a\\":1}"');
    assert.equal(encodeValue('string', 'quote " and \n', 'v2'), '"quote \\" and \\n"');
    assert.equal(encodeValue('bool', null, 'v2'), 'null');
    assert.equal(encodeRow([{ name: 'a', type: 'int' }, { name: 'b', type: 'guid' }], [7, 'g'], 'v1'), '[7,"g"]');
  });
  it('builds V1 and V2 bodies the SDK parses', () => {
    const t = { name: 'PrimaryResult', columns: [{ name: 'x', type: 'long' as const }], rows: [[1n]] };
    const v1 = JSON.parse(v1Body([t]).join('')) as { Tables: { Columns: { ColumnType: string; DataType: string }[] }[] };
    assert.deepEqual(v1.Tables[0]!.Columns[0], { ColumnName: 'x', DataType: 'Int64', ColumnType: 'long' });
    const v2 = JSON.parse(v2Body(t, 'crid').join('')) as { FrameType: string; TableKind?: string }[];
    assert.deepEqual(v2.map((f) => f.TableKind ?? f.FrameType), ['DataSetHeader', 'QueryProperties', 'PrimaryResult', 'QueryCompletionInformation', 'DataSetCompletion']);
    const err = JSON.parse(v2Body(undefined, 'crid', { code: 'E', message: 'boom', kustoType: 'T' }).join('')) as { FrameType: string; HasErrors?: boolean }[];
    assert.equal(err.at(-1)!.HasErrors, true);
  });
});
