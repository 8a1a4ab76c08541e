import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adjustSchema, csvMappingJson, SOURCE_LOCATION_COLUMN, type AdjustSchemaInput } from '../../../src/datasource/kusto/schema/adjust-schema.js';
import { SchemaMatchException } from '../../../src/datasource/kusto/errors/parameter-errors.js';

const src = [{ name: 'a', type: 'string' }, { name: 'b', type: 'long' }];
const base: AdjustSchemaInput = { mode: 'NoAdjustment', source: src, target: [{ name: 'a', type: 'string' }, { name: 'b', type: 'long' }], tableCreateMode: 'FailIfNotExist', writeMode: 'Transactional', addSourceLocationTransform: false };

function throwsSchema(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof SchemaMatchException && e.message === message);
}

describe('adjustSchema', () => {
  it('NoAdjustment checks nothing', () => {
    assert.equal(adjustSchema({ ...base, target: [{ name: 'x', type: 'int' }] }), undefined);
  });
  it('FailIfNotMatch compares names in order, case-sensitively', () => {
    assert.equal(adjustSchema({ ...base, mode: 'FailIfNotMatch' }), undefined);
    throwsSchema(() => adjustSchema({ ...base, mode: 'FailIfNotMatch', target: [{ name: 'b', type: 'long' }, { name: 'a', type: 'string' }] }), 'Target table schema does not match to DataFrame schema.Target columns: b, a.Source columns: a, b');
    throwsSchema(() => adjustSchema({ ...base, mode: 'FailIfNotMatch', target: [{ name: 'A', type: 'string' }, { name: 'b', type: 'long' }] }), 'Target table schema does not match to DataFrame schema.Target columns: A, b.Source columns: a, b');
    throwsSchema(() => adjustSchema({ ...base, mode: 'FailIfNotMatch', target: undefined }), 'Target table schema does not match to DataFrame schema.Target columns: .Source columns: a, b');
    assert.equal(adjustSchema({ ...base, mode: 'FailIfNotMatch', target: undefined, tableCreateMode: 'CreateIfNotExist' }), undefined);
  });
  it('GenerateDynamicCsvMapping maps by name with target types and source ordinals', () => {
    const m = adjustSchema({ ...base, mode: 'GenerateDynamicCsvMapping', source: [{ name: 'b', type: 'int' }, { name: 'a', type: 'string' }], target: [{ name: 'a', type: 'string' }, { name: 'b', type: 'long' }, { name: 'c', type: 'real' }] })!;
    assert.equal(csvMappingJson(m), '[{"columnName":"b","columnType":"long","properties":{"Ordinal":"0"}},{"columnName":"a","columnType":"string","properties":{"Ordinal":"1"}}]');
    const created = adjustSchema({ ...base, mode: 'GenerateDynamicCsvMapping', target: undefined, tableCreateMode: 'CreateIfNotExist' })!;
    assert.deepEqual(created.map((e) => e.columnType), ['string', 'long']);
    throwsSchema(() => adjustSchema({ ...base, mode: 'GenerateDynamicCsvMapping', source: [...src, { name: 'x', type: 'int' }, { name: 'y', type: 'int' }] }), 'Source schema has columns that are not present in the target: x, y.');
    throwsSchema(() => adjustSchema({ ...base, mode: 'GenerateDynamicCsvMapping', tableCreateMode: 'CreateIfNotExist', source: [...src, { name: 'x', type: 'int' }] }), 'Source schema has columns that are not present in the target: x.');
  });
  it('adds the source-location transform and checks its column', () => {
    const target = [...base.target!, { name: SOURCE_LOCATION_COLUMN, type: 'string' }];
    const m = adjustSchema({ ...base, addSourceLocationTransform: true, target })!;
    assert.deepEqual(m.at(-1), { columnName: SOURCE_LOCATION_COLUMN, columnType: 'string', properties: { Transform: 'SourceLocation' } });
    throwsSchema(() => adjustSchema({ ...base, addSourceLocationTransform: true }), `addSourceLocationTransform is set to true, but the target schema does not contain the column '${SOURCE_LOCATION_COLUMN}' of type 'string'`);
    const warnings: string[] = [];
    const queued = adjustSchema({ ...base, addSourceLocationTransform: true, writeMode: 'Queued', target, source: [...src, { name: 'extra', type: 'int' }], warn: (w) => warnings.push(w) })!;
    assert.deepEqual(warnings, ['Source schema has columns that are not present in the target: extra.']);
    assert.deepEqual(queued.map((e) => e.columnName), ['a', 'b', SOURCE_LOCATION_COLUMN]);
  });
});
