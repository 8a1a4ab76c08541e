import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { globToRegExp, splitGlobBase, globSelects, hasHiddenSegment } from '../../../src/datasource/storage/glob.js';
import { parseBlobUrl, blobUrlOf } from '../../../src/datasource/storage/blob-url.js';
import { resolveLocation, registerSchemeResolver } from '../../../src/datasource/storage/location.js';
import { effectiveSplitBytes, OPEN_COST_BYTES } from '../../../src/datasource/storage/split-size.js';
import { partFileName } from '../../../src/datasource/storage/file-commit-protocol.js';

describe('globs', () => {
  it('matches *, ?, [..], {a,b} and ** with segment semantics', () => {
    assert.ok(globToRegExp('*.parquet').test('a.parquet'));
    assert.ok(!globToRegExp('*.parquet').test('d/a.parquet'));
    assert.ok(globToRegExp('**/*.parquet').test('a.parquet'));
    assert.ok(globToRegExp('**/*.parquet').test('x/y/a.parquet'));
    assert.ok(globToRegExp('part-?.{csv,tsv}').test('part-1.tsv'));
    assert.ok(globToRegExp('[ab]*.csv').test('b1.csv') && !globToRegExp('[!ab]*.csv').test('b1.csv'));
    assert.ok(globToRegExp('a+b(1).csv').test('a+b(1).csv'), 'regex metacharacters are literal');
    assert.deepEqual(splitGlobBase('/data/2024/*/x.csv'), { base: '/data/2024', pattern: '*/x.csv' });
    assert.ok(globSelects(globToRegExp('year=*'), 'year=2024/part-0.parquet', (n) => n.endsWith('.parquet')), 'a matched directory reads like a directory');
    assert.ok(hasHiddenSegment('_temporary/0/part.parquet') && hasHiddenSegment('a/.crc') && !hasHiddenSegment('a/b.csv'));
  });
});

describe('blob URLs and locations', () => {
  it('parses host-style and path-style (Azurite) URLs, keeping the SAS apart', () => {
    assert.deepEqual(parseBlobUrl('https://acct.blob.core.windows.net/cont/dir/f%20x.parquet?sv=1&sig=abc'), {
      endpoint: 'https://acct.blob.core.windows.net', account: 'acct', container: 'cont', path: 'dir/f x.parquet', sas: 'sv=1&sig=abc', style: 'host',
    });
    const azurite = parseBlobUrl('http://127.0.0.1:10000/devstoreaccount1/cont/prefix/?sig=s')!;
    assert.equal(azurite.endpoint, 'http://127.0.0.1:10000/devstoreaccount1');
    assert.equal(azurite.path, 'prefix/');
    assert.equal(blobUrlOf(azurite, 'a b/c.csv'), 'http://127.0.0.1:10000/devstoreaccount1/cont/a%20b/c.csv?sig=s');
    assert.throws(() => resolveLocation('http://127.0.0.1:10000/onlyaccount?sig=secret'), (e: Error) => e.name === 'ConfigError' && !e.message.includes('secret'));
  });
  it('resolves local paths against the working directory, file URLs, and registered schemes', () => {
    assert.deepEqual(resolveLocation('data/x.csv', new Map(), '/work'), { kind: 'local', path: '/work/data/x.csv' });
    assert.deepEqual(resolveLocation('file:///tmp/a.csv'), { kind: 'local', path: '/tmp/a.csv' });
    assert.throws(() => resolveLocation('s3://bucket/key'), /Unsupported storage scheme 's3:\/\/'/);
    registerSchemeResolver('testfs', (raw, conf) => ({ kind: 'local', path: `/mnt/${conf.get('root')}/${raw.slice('testfs://'.length)}` }));
    assert.deepEqual(resolveLocation('testfs://x', new Map([['root', 'r']])), { kind: 'local', path: '/mnt/r/x' });
  });
});

describe('split sizing and part names', () => {
  it('spreads input over the cores within [open cost, cap] unless maxSplitBytes is explicit', () => {
    assert.equal(effectiveSplitBytes(undefined, 1 << 30, 4, 128 << 20), 128 << 20);
    assert.equal(effectiveSplitBytes(undefined, 40 << 20, 4, 128 << 20), 10 << 20);
    assert.equal(effectiveSplitBytes(undefined, 1 << 20, 8, 128 << 20), OPEN_COST_BYTES);
    assert.equal(effectiveSplitBytes(1, 1 << 30, 4, 128 << 20), 1);
    assert.equal(partFileName(3, 'job-7', 'snappy.parquet'), 'part-00003-job-7.snappy.parquet');
    assert.equal(partFileName(12, 'j', 'csv', 2), 'part-00012-j-c002.csv');
  });
});
