import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, deflateRawSync, crc32 } from 'node:zlib';
import { decompressBlob, sniffCompression, BlobFormatError } from '../../../src/emulator/dm/decompress.js';
import { asciiJson, reportTargets, statusQueueMessage, statusTableUpdate, withoutSas, type BlobOutcome } from '../../../src/emulator/dm/status-messages.js';

/** A zip as streaming writers produce it: sizes only in the data descriptor and central directory. */
function zipOf(files: { name: string; data: Buffer; method: 0 | 8 }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name);
    const body = f.method === 8 ? deflateRawSync(f.data) : f.data;
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x08, 6); // sizes follow in a data descriptor
    local.writeUInt16LE(f.method, 8);
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc, 4);
    descriptor.writeUInt32LE(body.length, 8);
    descriptor.writeUInt32LE(f.data.length, 12);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x08, 8);
    central.writeUInt16LE(f.method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body, descriptor);
    centrals.push(central, name);
    offset += local.length + name.length + body.length + descriptor.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(files.length, 8);
  eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

describe('decompressBlob', () => {
  const csv = Buffer.from('a,"b ""q""",ü\n1,2,3\n');

  it('gunzips by magic bytes whatever the name says', () => {
    const out = decompressBlob(gzipSync(csv), 'x.parquet');
    assert.equal(out.compression, 'gzip');
    assert.deepEqual(out.data, csv);
  });

  it('leaves uncompressed data (e.g. parquet named .parquet.gz) as is', () => {
    const parquetLike = Buffer.from('PAR1....PAR1');
    assert.equal(sniffCompression(parquetLike), 'none');
    assert.deepEqual(decompressBlob(parquetLike, 'p.parquet.gz').data, parquetLike);
  });

  it('reads the first file of a zip (deflated or stored), skipping directories', () => {
    const deflated = zipOf([{ name: 'dir/', data: Buffer.alloc(0), method: 0 }, { name: 'dir/data.csv', data: csv, method: 8 }]);
    assert.equal(sniffCompression(deflated), 'zip');
    assert.deepEqual(decompressBlob(deflated, 'z.zip').data, csv);
    const stored = zipOf([{ name: 'a.json', data: Buffer.from('{"x":1}'), method: 0 }]);
    assert.equal(decompressBlob(stored, 'z.zip').data.toString(), '{"x":1}');
  });

  it('names the blob when compressed data is corrupt', () => {
    const broken = gzipSync(csv).subarray(0, 12);
    assert.throws(() => decompressBlob(broken, 'db__T__1.csv.gz'), (e: Error) => e instanceof BlobFormatError && e.message.includes('db__T__1.csv.gz'));
    const zip = zipOf([{ name: 'a.csv', data: csv, method: 8 }]);
    assert.throws(() => decompressBlob(zip.subarray(0, zip.length - 30), 'z.zip'), BlobFormatError);
  });
});

describe('status messages', () => {
  const base: BlobOutcome = {
    operationId: 'op', database: 'db', table: 'Tä', sourceId: 'id1', sourcePath: 'http://h/c/b.csv', rootActivityId: 'ra', status: 'Succeeded', at: new Date('2026-01-01T00:00:00Z'),
  };

  it('routes by ReportLevel and ReportMethod', () => {
    const failed = { status: 'Failed' as const };
    const ok = { status: 'Succeeded' as const };
    assert.deepEqual(reportTargets(ok, 0, 0, false), { queue: false, table: false });
    assert.deepEqual(reportTargets(failed, 0, 0, false), { queue: true, table: false });
    assert.deepEqual(reportTargets(ok, 2, 0, false), { queue: true, table: false });
    assert.deepEqual(reportTargets(ok, 2, 1, true), { queue: false, table: true });
    assert.deepEqual(reportTargets(ok, 2, 2, true), { queue: true, table: true });
    assert.deepEqual(reportTargets(failed, 1, 2, true), { queue: false, table: false });
    assert.deepEqual(reportTargets({ status: 'Skipped' }, 0, 0, false), { queue: true, table: false });
    assert.deepEqual(reportTargets(ok, 2, 1, false), { queue: false, table: false });
  });

  it('writes ASCII-only base64 JSON with the fields the SDK reads', () => {
    const s = statusQueueMessage(base);
    assert.equal(s.queue, 'success');
    const text = Buffer.from(s.text, 'base64').toString('ascii');
    assert.ok(/^[\x00-\x7f]*$/.test(text));
    assert.deepEqual(JSON.parse(text), { OperationId: 'op', Database: 'db', Table: 'Tä', IngestionSourceId: 'id1', IngestionSourcePath: 'http://h/c/b.csv', RootActivityId: 'ra', SucceededOn: '2026-01-01T00:00:00.000Z' });

    const f = statusQueueMessage({ ...base, status: 'Failed', errorCode: 'BadRequest_InvalidBlob', details: 'line 3: «bad»', failureStatus: 'Permanent' });
    assert.equal(f.queue, 'failure');
    const body = JSON.parse(Buffer.from(f.text, 'base64').toString('ascii'));
    assert.equal(body.Details, 'line 3: «bad»');
    assert.equal(body.ErrorCode, 'BadRequest_InvalidBlob');
    assert.equal(body.FailureStatus, 'Permanent');
    assert.equal(body.ShouldRetry, false);
    assert.equal(body.OriginatesFromUpdatePolicy, false);

    const skipped = JSON.parse(Buffer.from(statusQueueMessage({ ...base, status: 'Skipped' }).text, 'base64').toString('ascii'));
    assert.equal(skipped.ErrorCode, 'Skipped_IngestByTagAlreadyExists');
  });

  it('escapes every non-ASCII character, including astral ones', () => {
    assert.equal(asciiJson({ a: '日😀' }), '{"a":"\\u65e5\\ud83d\\ude00"}');
    assert.deepEqual(JSON.parse(asciiJson({ a: '日😀' })), { a: '日😀' });
  });

  it('builds the status-table merge and strips SAS from paths', () => {
    const row = statusTableUpdate({ ...base, status: 'PartiallySucceeded', details: 'd', errorCode: 'e', failureStatus: 'Transient', extentId: 'x' });
    assert.equal(row['Status'], 'PartiallySucceeded');
    assert.equal(row['FailureStatus'], 'Transient');
    assert.equal(row['ExtentId'], 'x');
    assert.ok(row['UpdatedOn'] instanceof Date);
    assert.equal(withoutSas('http://h/c/b.csv?sv=1&sig=secret'), 'http://h/c/b.csv');
  });
});
