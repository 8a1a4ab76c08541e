import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as A from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { ArrowCsvEncoder, encodeBatch } from '../../../src/datasource/kusto/csv/arrow-csv-encoder.js';
import { javaDoubleToString, javaFloatToString } from '../../../src/datasource/kusto/csv/java-number-format.js';
import { formatLocalDateTime } from '../../../src/datasource/kusto/csv/java-time-format.js';

function csv(cols: Record<string, A.Vector>, timeZone?: string): string {
  const batch = new A.Table(cols).batches[0]!;
  return Buffer.concat(encodeBatch(batch, timeZone ? { timeZone } : {})).toString('utf8');
}

function decimalVector(values: (bigint | null)[], scale: number, precision = 38): A.Vector {
  const words = new Uint32Array(values.length * 4);
  const validity = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v === null) return;
    validity[i >> 3]! |= 1 << (i & 7);
    let x = BigInt.asUintN(128, v);
    for (let k = 0; k < 4; k++) {
      words[i * 4 + k] = Number(x & 0xffffffffn);
      x >>= 32n;
    }
  });
  const nullCount = values.filter((v) => v === null).length;
  return A.makeVector(A.makeData({ type: new A.Decimal(scale, precision, 128), length: values.length, nullCount, nullBitmap: validity, data: words }));
}

describe('Java number text', () => {
  it('Double.toString', () => {
    const cases: [number, string][] = [
      [1e10, '1.0E10'], [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [0.1, '0.1'], [1, '1.0'], [-0, '-0.0'], [0, '0.0'],
      [1e-5, '1.0E-5'], [0.001, '0.001'], [1e-4, '1.0E-4'], [1234567, '1234567.0'], [1e7, '1.0E7'], [12345678.9, '1.23456789E7'],
      [100, '100.0'], [-3.75e-10, '-3.75E-10'], [5e-324, '4.9E-324'], [1.7976931348623157e308, '1.7976931348623157E308'], [123456.789, '123456.789'], [2e-3, '0.002'],
    ];
    for (const [v, s] of cases) assert.equal(javaDoubleToString(v), s, String(v));
  });
  it('Float.toString of float32 values', () => {
    for (const [v, s] of [[0.1, '0.1'], [1.1, '1.1'], [3.4028235e38, '3.4028235E38'], [1.4e-45, '1.4E-45'], [16777216, '1.6777216E7'], [0.3, '0.3']] as [number, string][]) {
      assert.equal(javaFloatToString(Math.fround(v)), s);
    }
  });
});

describe('LocalDateTime text', () => {
  it('drops zero seconds and groups the fraction by 3/6/9', () => {
    const at = (iso: string, extraNanos = 0n): bigint => BigInt(Date.parse(iso)) * 1_000_000n + extraNanos;
    assert.equal(formatLocalDateTime(at('2020-01-01T10:00:00Z')), '2020-01-01T10:00');
    assert.equal(formatLocalDateTime(at('2020-01-01T10:00:05Z')), '2020-01-01T10:00:05');
    assert.equal(formatLocalDateTime(at('2020-01-01T10:00:00Z', 123_456_000n)), '2020-01-01T10:00:00.123456');
    assert.equal(formatLocalDateTime(at('2020-01-01T10:00:00.123Z')), '2020-01-01T10:00:00.123');
    assert.equal(formatLocalDateTime(at('2020-01-01T10:00:00Z', 123_456_789n)), '2020-01-01T10:00:00.123456789');
    assert.equal(formatLocalDateTime(-1n), '1969-12-31T23:59:59.999999999');
    assert.equal(formatLocalDateTime(at('0001-01-01T00:00:00Z')), '0001-01-01T00:00');
    assert.equal(formatLocalDateTime(at('9999-12-31T23:59:59.999Z')), '9999-12-31T23:59:59.999');
  });
});

describe('CSV vectors (WriterTests)', () => {
  it('quotes strings and doubles quotes', () => {
    assert.equal(csv({ name: A.vectorFromArray(['John," Doe']), n: A.vectorFromArray([1], new A.Int32()) }), '"John,"" Doe",1\n');
  });
  it('writes nothing for null and for the empty string', () => {
    assert.equal(csv({ s: A.vectorFromArray(['', null, 'x'], new A.Utf8()), n: A.vectorFromArray([null, 2n, null], new A.Int64()) }), ',\n,2\n"x",\n');
    assert.equal(csv({ s: A.vectorFromArray([null], new A.Utf8()) }), '\n');
    assert.equal(csv({ s: A.vectorFromArray(['multi\nline\r\n', 'é漢😀'], new A.LargeUtf8()) }), '"multi\nline\r\n"\n"é漢😀"\n');
  });
  it('writes decimals with their scale', () => {
    assert.equal(csv({ d: decimalVector([1_000_000_000n, -1234567891234567891234567891n, 0n, null], 10) }), '"0.1000000000"\n"-123456789123456789.1234567891"\n"0.0000000000"\n\n');
    assert.equal(csv({ d: decimalVector([12345n, -5n], 0, 10) }), '"12345"\n"-5"\n');
  });
  it('writes numbers and booleans as Java does, unquoted', () => {
    assert.equal(csv({ d: A.vectorFromArray([1e10, NaN, Infinity, 0.1, 1, -0, 1e-5], new A.Float64()) }), '1.0E10\nNaN\nInfinity\n0.1\n1.0\n-0.0\n1.0E-5\n');
    assert.equal(csv({ f: A.vectorFromArray([0.1, 2.5], new A.Float32()) }), '0.1\n2.5\n');
    assert.equal(csv({ b: A.vectorFromArray([true, false, null], new A.Bool()), i8: A.vectorFromArray([-128, 127, 0], new A.Int8()), u32: A.vectorFromArray([4294967295, 0, 1], new A.Uint32()) }), 'true,-128,4294967295\nfalse,127,0\n,0,1\n');
    assert.equal(csv({ l: A.vectorFromArray([-9223372036854775808n, 9223372036854775807n], new A.Int64()) }), '-9223372036854775808\n9223372036854775807\n');
  });
  it('writes dates, timestamps of every unit and durations', () => {
    assert.equal(csv({ d: A.vectorFromArray([Date.UTC(2020, 0, 31), Date.UTC(1969, 11, 31)], new A.DateDay()) }), '"2020-01-31"\n"1969-12-31"\n');
    assert.equal(csv({ t: A.vectorFromArray([Date.UTC(2020, 0, 1, 10), Date.UTC(2020, 0, 1, 10, 0, 5), 1577872800123.456], new A.TimestampMicrosecond()) }), '"2020-01-01T10:00"\n"2020-01-01T10:00:05"\n"2020-01-01T10:00:00.123456"\n');
    assert.equal(csv({ t: A.vectorFromArray([Date.UTC(2020, 0, 1, 10, 0, 0, 123)], new A.TimestampMillisecond()) }), '"2020-01-01T10:00:00.123"\n');
    const ns = A.makeVector(A.makeData({ type: new A.TimestampNanosecond(), length: 2, data: new BigInt64Array([1577872800123456789n, -1n]) }));
    assert.equal(csv({ t: ns }), '"2020-01-01T10:00:00.123456789"\n"1969-12-31T23:59:59.999999999"\n');
    assert.equal(csv({ t: A.vectorFromArray([Date.UTC(2020, 6, 1, 10)], new A.TimestampMillisecond()) }, 'Europe/Paris'), '"2020-07-01T12:00"\n');
    assert.equal(csv({ t: A.vectorFromArray([Date.UTC(2020, 0, 1, 10)], new A.TimestampMillisecond()) }, '-05:30'), '"2020-01-01T04:30"\n');
    const dur = A.makeVector(A.makeData({ type: new A.DurationMicrosecond(), length: 2, data: new BigInt64Array([93784_123456n, -1_000_000n]) }));
    assert.equal(csv({ d: dur }), '"1.02:03:04.1234560"\n"-0.00:00:01"\n');
  });
  it('writes binary as base64, null as an empty line', () => {
    const bin = A.vectorFromArray([new Uint8Array([0, 1, 2, 253, 254, 255]), null], new A.Binary());
    assert.equal(csv({ b: bin }), '"AAEC/f7/"\n\n');
  });
  it('writes nested values as JSON (EscapedWriter rules)', () => {
    const st = new A.Struct([new A.Field('emptyArray', new A.List(new A.Field('item', new A.Utf8(), true)), true), new A.Field('emptyString', new A.Utf8(), true)]);
    assert.equal(
      csv({ s: A.vectorFromArray([{ emptyArray: [null, ''], emptyString: '' }, { emptyArray: null, emptyString: '' }, null], st) }),
      '"{""emptyArray"":[null,""""],""emptyString"":""""}"\n"{""emptyString"":""""}"\n\n',
    );
    const inner = new A.Struct([new A.Field('x', new A.Utf8(), true)]);
    const map = new A.Map_<A.Utf8, typeof inner>(new A.Field('entries', new A.Struct([new A.Field('key', new A.Utf8(), false), new A.Field('value', inner, true)])) as never);
    assert.equal(csv({ m: A.vectorFromArray([new Map([['k\n', { x: 'a"b\\c\b\f\r\t\u0001é' }], ['n', null]])], map) }), '"{""k\\n"":{""x"":""a\\""b\\\\c\\b\\f\\r\\t\u0001é""}}"\n');
    const mixed = new A.Struct([
      new A.Field('b', new A.Bool(), true),
      new A.Field('d', new A.Float64(), true),
      new A.Field('n', new A.Float64(), true),
      new A.Field('t', new A.TimestampMillisecond(), true),
      new A.Field('day', new A.DateDay(), true),
      new A.Field('l', new A.List(new A.Field('item', new A.Int64(), true)), true),
      new A.Field('e', new A.Struct([]), true),
    ]);
    assert.equal(
      csv({ s: A.vectorFromArray([{ b: true, d: 1, n: NaN, t: Date.UTC(2020, 0, 1, 10), day: Date.UTC(2020, 0, 2), l: [1n, null, -2n], e: {} }], mixed) }),
      '"{""b"":true,""d"":1.0,""n"":""NaN"",""t"":""2020-01-01T10:00"",""day"":""2020-01-02"",""l"":[1,null,-2],""e"":{}}"\n',
    );
    const decimalInStruct = A.makeVector(A.makeData({ type: new A.Struct([new A.Field('v', new A.Decimal(14, 38, 128), true)]), length: 1, children: [decimalVector([1_000_000_000n], 14).data[0]!] }));
    assert.equal(csv({ s: decimalInStruct }), '"{""v"":""0.00001000000000""}"\n');
  });
  it('decodes dictionary columns', () => {
    const dict = A.vectorFromArray(['a', 'b"', 'a', null], new A.Dictionary(new A.Utf8(), new A.Int32()));
    assert.equal(csv({ d: dict }), '"a"\n"b"""\n"a"\n\n');
  });
});

describe('CSV of the wider Arrow types', () => {
  const utcMs = (y: number, m: number, d: number): number => {
    const dt = new Date(Date.UTC(2000, m, d));
    dt.setUTCFullYear(y); // Date.UTC maps years 0–99 to 1900–1999
    return dt.getTime();
  };
  it('unsigned integers up to uint64 max, float16', () => {
    assert.equal(csv({ u8: A.vectorFromArray([255, 0], new A.Uint8()), u16: A.vectorFromArray([65535, 1], new A.Uint16()), u64: A.vectorFromArray([18446744073709551615n, 0n], new A.Uint64()) }), '255,65535,18446744073709551615\n0,1,0\n');
    assert.equal(csv({ h: A.vectorFromArray([1.5, -0.25, 65504, null], new A.Float16()) }), '1.5\n-0.25\n65504.0\n\n');
  });
  it('large and fixed-size binary as base64, large and fixed-size lists as JSON', () => {
    assert.equal(csv({ b: A.vectorFromArray([new Uint8Array([0, 255]), new Uint8Array([]), null], new A.LargeBinary()) }), '"AP8="\n""\n\n');
    assert.equal(csv({ b: A.vectorFromArray([new Uint8Array([1, 2, 3, 4]), null], new A.FixedSizeBinary(4)) }), '"AQIDBA=="\n\n');
    assert.equal(csv({ l: A.vectorFromArray([[1n, -2n], [], null], new A.LargeList(new A.Field('item', new A.Int64(), true))) }), '"[1,-2]"\n"[]"\n\n');
    assert.equal(csv({ l: A.vectorFromArray([[1, null, 3], null], new A.FixedSizeList(3, new A.Field('item', new A.Float64(), true))) }), '"[1.0,null,3.0]"\n\n');
  });
  it("date(ms) over Kusto's whole range, time of day and durations of every unit as timespans", () => {
    assert.equal(csv({ d: A.vectorFromArray([utcMs(1, 0, 1), utcMs(9999, 11, 31), null], new A.DateMillisecond()) }), '"0001-01-01"\n"9999-12-31"\n\n');
    assert.equal(csv({ t: A.vectorFromArray([0, 45296, 86399], new A.TimeSecond()) }), '"0.00:00:00"\n"0.12:34:56"\n"0.23:59:59"\n');
    assert.equal(csv({ t: A.vectorFromArray([45296789], new A.TimeMillisecond()) }), '"0.12:34:56.7890000"\n');
    const ns = A.makeVector(A.makeData({ type: new A.TimeNanosecond(), length: 1, data: new BigInt64Array([86_399_999_999_999n]) }));
    assert.equal(csv({ t: ns }), '"0.23:59:59.9999999"\n');
    const us = A.makeVector(A.makeData({ type: new A.TimeMicrosecond(), length: 1, data: new BigInt64Array([1n]) }));
    assert.equal(csv({ t: us }), '"0.00:00:00.0000010"\n');
    assert.equal(csv({ d: A.vectorFromArray([-90061n, 0n], new A.DurationSecond()) }), '"-1.01:01:01"\n"0.00:00:00"\n');
    assert.equal(csv({ d: A.vectorFromArray([1500n], new A.DurationMillisecond()) }), '"0.00:00:01.5000000"\n');
    const dns = A.makeVector(A.makeData({ type: new A.DurationNanosecond(), length: 1, data: new BigInt64Array([123n]) }));
    assert.equal(csv({ d: dns }), '"0.00:00:00.0000001"\n');
  });
  it("timestamps with a zone are instants: the wall clock is the sink timeZone's, not the column's", () => {
    assert.equal(csv({ t: A.vectorFromArray([Date.UTC(2020, 6, 1, 10)], new A.TimestampMillisecond('Asia/Tokyo')) }), '"2020-07-01T10:00"\n');
    assert.equal(csv({ t: A.vectorFromArray([0], new A.TimestampSecond('+05:00')), n: A.vectorFromArray([1], new A.Int32()) }), '"1970-01-01T00:00",1\n');
  });
  it('decimal256 with its scale', () => {
    const words = new Uint32Array(8 * 2);
    const put = (row: number, v: bigint): void => {
      let x = BigInt.asUintN(256, v);
      for (let k = 0; k < 8; k++) {
        words[row * 8 + k] = Number(x & 0xffffffffn);
        x >>= 32n;
      }
    };
    put(0, 10n ** 40n + 1n);
    put(1, -7n);
    const d = A.makeVector(A.makeData({ type: new A.Decimal(5, 60, 256), length: 2, data: words }));
    assert.equal(csv({ d }), '"100000000000000000000000000000000000.00001"\n"-0.00007"\n');
  });
  it('nested time of day, uint64 and fixed-size binary in JSON', () => {
    const st = new A.Struct([new A.Field('t', new A.TimeMillisecond(), true), new A.Field('u', new A.Uint64(), true), new A.Field('b', new A.FixedSizeBinary(2), true)]);
    assert.equal(csv({ s: A.vectorFromArray([{ t: 1000, u: 18446744073709551615n, b: new Uint8Array([1, 2]) }], st) }), '"{""t"":""0.00:00:01"",""u"":18446744073709551615,""b"":""AQI=""}"\n');
  });
});

describe('ArrowCsvEncoder streaming', () => {
  const rows = 1000;
  const batch = new A.Table({ s: A.vectorFromArray(Array.from({ length: rows }, (_, i) => `row ${i} ${'é'.repeat(i % 7)}`)), n: A.vectorFromArray(Array.from({ length: rows }, (_, i) => i), new A.Int32()) }).batches[0]!;
  const whole = Buffer.concat(encodeBatch(batch));
  it('counts UTF-8 bytes exactly and bounds chunk size', () => {
    const enc = new ArrowCsvEncoder({ chunkBytes: 64 });
    const r = enc.encode(batch);
    assert.equal(r.bytes, whole.length);
    assert.equal(enc.bytesWritten, whole.length);
    assert.equal(enc.rowsWritten, rows);
    assert.ok(r.chunks.every((c) => c.length <= 64));
    assert.deepEqual(Buffer.concat(r.chunks), whole);
  });
  it('stops on a row boundary at a byte budget and resumes', () => {
    const enc = new ArrowCsvEncoder();
    const parts: Buffer[] = [];
    let next = 0;
    let calls = 0;
    while (next < rows) {
      const r = enc.encode(batch, next, 1000);
      assert.ok(r.bytes >= 1000 || r.nextRow === rows);
      const text = Buffer.concat(r.chunks).toString();
      assert.ok(text.endsWith('\n'));
      parts.push(...r.chunks);
      next = r.nextRow;
      calls++;
    }
    assert.ok(calls > 5);
    assert.deepEqual(Buffer.concat(parts), whole);
  });
  it('exclude mode never passes the budget except for a lone oversized row', () => {
    for (const chunkBytes of [16, 64, 1 << 20]) {
      const enc = new ArrowCsvEncoder({ chunkBytes });
      const parts: Buffer[] = [];
      let next = 0;
      while (next < rows) {
        const r = enc.encode(batch, next, 500, 'exclude');
        assert.ok(r.bytes <= 500, `chunk of ${r.bytes} bytes`);
        assert.equal(Buffer.concat(r.chunks).length, r.bytes);
        parts.push(...r.chunks);
        next = r.nextRow;
      }
      assert.deepEqual(Buffer.concat(parts), whole);
      assert.equal(enc.bytesWritten, whole.length);
    }
    const big = new A.Table({ s: A.vectorFromArray(['x'.repeat(100), 'y', 'z']) }).batches[0]!;
    const enc = new ArrowCsvEncoder({ chunkBytes: 16 });
    const first = enc.encode(big, 0, 10, 'exclude');
    assert.equal(first.nextRow, 1);
    assert.equal(Buffer.concat(first.chunks).toString(), `"${'x'.repeat(100)}"\n`);
    const rest = enc.encode(big, 1, 10, 'exclude');
    assert.equal(Buffer.concat(rest.chunks).toString(), '"y"\n"z"\n');
  });
  it('encodes sliced batches from their window', () => {
    const sliced = batch.slice(10, 12);
    assert.equal(Buffer.concat(encodeBatch(sliced)).toString(), '"row 10 ééé",10\n"row 11 éééé",11\n');
  });
});

describe('RFC-4180 round trip through DuckDB read_csv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kjob-csv-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it('random strings with quotes, commas, newlines and unicode survive', async () => {
    let seed = 42;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = ['a', 'Z', '0', ',', '"', '""', '\n', '\r\n', ' ', 'é', '漢', '😀', '\t', '\\', "'", ';'];
    const values = Array.from({ length: 500 }, () => {
      const len = 1 + Math.floor(rand() * 20);
      return Array.from({ length: len }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    });
    const batch = new A.Table({ s: A.vectorFromArray(values), i: A.vectorFromArray(values.map((_, i) => i), new A.Int32()) }).batches[0]!;
    const file = join(dir, 'rt.csv');
    writeFileSync(file, Buffer.concat(encodeBatch(batch)));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const reader = await conn.runAndReadAll(`SELECT s, i FROM read_csv('${file}', header=false, delim=',', quote='"', escape='"', columns={'s':'VARCHAR','i':'INTEGER'}, strict_mode=false) ORDER BY i`);
      const rows = reader.getRowObjectsJS() as { s: string; i: number }[];
      assert.equal(rows.length, values.length);
      rows.forEach((r, k) => assert.equal(r.s, values[k], `row ${k}`));
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});
