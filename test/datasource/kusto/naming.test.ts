import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attemptExtentTag, blobName, exportDirectory, queuedBlobIngestByTag, stagingTableName } from '../../../src/datasource/kusto/naming/staging-names.js';
import { quoteIdentifier } from '../../../src/datasource/kusto/kql/quote.js';
import { parseKql } from './support/kql-parser.js';

describe('staging names', () => {
  it('staging table: connector form, non-alphanumerics → _', () => {
    assert.equal(stagingTableName({ appName: 'My App', table: 'T', requestId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' }), 'sparkTempTable_My_App_T_3f2504e0_4f89_11d3_9a0c_0305e82c3301');
    assert.equal(stagingTableName({ appName: 'a', table: "it's", batchId: 7, requestId: 'r' }), 'sparkTempTable_a_it_s7_r');
    const long = stagingTableName({ appName: 'a', table: 'x'.repeat(2000), requestId: 'r' });
    assert.ok(long.length <= 1024 && long.startsWith('sparkTempTable_'));
    assert.deepEqual(parseKql(`.drop table ${quoteIdentifier(long)} ifexists`).diagnostics, []);
  });
  it('blob names are deterministic per attempt and blob counter', () => {
    const p = { database: 'my-db', stagingTable: 'sparkTempTable_a_T_r', partition: 3, attempt: 1, blobIndex: 2 };
    assert.equal(blobName(p), 'my_db_sparkTempTable_a_T_r_p3_a1_b2_kjob.csv.gz');
    assert.equal(blobName(p), blobName({ ...p }));
    assert.notEqual(blobName(p), blobName({ ...p, attempt: 2 }));
    assert.throws(() => blobName({ ...p, blobIndex: -1 }), /non-negative integer/);
  });
  it('export directory is sanitised', () => {
    assert.equal(exportDirectory('my-db', '3f2504e0-4f89'), 'my_db/dir3f2504e0_4f89/');
    assert.equal(exportDirectory('a/b c', 'u'), 'a/b_c/diru/');
  });
  it('tags are bounded and deterministic', () => {
    assert.equal(attemptExtentTag('r1', 4, 0), 'drop-by:kjob-r1-p4-a0');
    assert.equal(queuedBlobIngestByTag('r1', 4, 2), 'kjob:r1:4:2');
    const longTag = attemptExtentTag('r'.repeat(300), 1, 1);
    assert.ok(longTag.length <= 128 && longTag.startsWith('drop-by:kjob-'));
    assert.equal(longTag, attemptExtentTag('r'.repeat(300), 1, 1));
    assert.notEqual(longTag, attemptExtentTag('r'.repeat(300), 1, 2));
    assert.ok(queuedBlobIngestByTag('x'.repeat(300), 1, 1).length <= 118);
  });
});
