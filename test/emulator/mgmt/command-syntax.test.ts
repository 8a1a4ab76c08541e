import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseColumnList, parseLiteralAt, parseWithProps, unquoteName } from '../../../src/emulator/mgmt/command-syntax.js';
import { splitCommandPipe } from '../../../src/emulator/mgmt/dispatch.js';

describe('management command syntax', () => {
  it('reads every string literal form', () => {
    assert.equal(parseLiteralAt(`'it''s'`, 0).value, 'its'); // two adjacent literals, concatenated as KQL does
    assert.equal(parseLiteralAt(`@'it''s'`, 0).value, "it's");
    assert.equal(parseLiteralAt(`@"{""a"":1}"`, 0).value, '{"a":1}');
    assert.equal(parseLiteralAt(`"a\\"b\\n"`, 0).value, 'a"b\n');
    assert.equal(parseLiteralAt(`h'secret' "x"`, 0).value, 'secretx');
    assert.equal(parseLiteralAt('```multi\nline```', 0).value, 'multi\nline');
  });
  it('reads names, column lists and with-properties (two groups, as the connector sends)', () => {
    assert.equal(unquoteName("['a ''b']"), "a 'b");
    assert.equal(unquoteName('["x\\"y"]'), 'x"y');
    assert.deepEqual(parseColumnList("(['c1']:string,['c2']:long, c3 : int64)"), [{ name: 'c1', type: 'string' }, { name: 'c2', type: 'long' }, { name: 'c3', type: 'long' }]);
    assert.throws(() => parseColumnList('(a:notatype)'), /unknown column type/);
    assert.deepEqual(parseWithProps("with(SetNewIngestionTime=true) with(extentCreatedOnFrom='2024-01-01T00:00:00Z', tags='[\"a,b\"]')"), { setnewingestiontime: 'true', extentcreatedonfrom: '2024-01-01T00:00:00Z', tags: '["a,b"]' });
  });
  it('splits a .show command from the KQL that follows it', () => {
    assert.deepEqual(splitCommandPipe(".show commands | where Text has '|'"), { command: '.show commands', kql: "$command_results | where Text has '|'" });
    assert.deepEqual(splitCommandPipe('.show table T extents;\n$command_results | count'), { command: '.show table T extents', kql: '$command_results | count' });
    assert.equal(splitCommandPipe(".show table T extents with(extentsShowFilteringRuntimePolicy='{\"MaximumResultsCount\":5}');\n"), undefined);
    assert.equal(splitCommandPipe('.move extents to table B <| .show table A extents | where 1 == 1'), undefined);
  });
});
