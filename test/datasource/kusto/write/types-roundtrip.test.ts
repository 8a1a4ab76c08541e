import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Binary, Bool, DateDay, Decimal, Field, Float32, Float64, Int16, Int32, Int64, Int8, List, Map_, Struct, Table, TimestampMicrosecond, TimestampNanosecond, Uint32, Utf8, makeData, makeVector, vectorFromArray, type DataType } from 'apache-arrow';
import { sinkOptions, useSinkTestContext } from './support.js';

const sink = useSinkTestContext('kusto types');

/** A 64-bit column straight from its values (Arrow's builders take timestamps as ms numbers). */
function big(type: DataType, values: (bigint | null)[]) {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v !== null) bitmap[i >> 3]! |= 1 << (i & 7);
  });
  return makeVector(makeData({ type, length: values.length, nullCount: values.filter((v) => v === null).length, nullBitmap: bitmap, data: new BigInt64Array(values.map((v) => v ?? 0n)) } as never));
}

/** A decimal128 column from unscaled values. */
function dec(scale: number, values: (bigint | null)[]) {
  const words = new Uint32Array(values.length * 4);
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v === null) return;
    bitmap[i >> 3]! |= 1 << (i & 7);
    let x = BigInt.asUintN(128, v);
    for (let w = 0; w < 4; w++) {
      words[i * 4 + w] = Number(x & 0xffffffffn);
      x >>= 32n;
    }
  });
  return makeVector(makeData({ type: new Decimal(scale, 38, 128), length: values.length, nullCount: values.filter((v) => v === null).length, nullBitmap: bitmap, data: words } as never));
}

describe('Arrow types round trip through the Kusto sink', () => {
  it('writes every type and reads the same values back with a plain query', async () => {
    const table = new Table({
      k: vectorFromArray([0, 1, 2], new Int32()),
      i8: vectorFromArray([-128, 0, null], new Int8()),
      i16: vectorFromArray([-32768, 7, 32767], new Int16()),
      i64: big(new Int64(), [-(2n ** 63n), 0n, 2n ** 63n - 1n]),
      u32: vectorFromArray([0, 4294967295, null], new Uint32()),
      f32: vectorFromArray([1.5, -0.25, null], new Float32()),
      f64: vectorFromArray([1e10, Number.NaN, -Infinity], new Float64()),
      b: vectorFromArray([true, false, null], new Bool()),
      s: vectorFromArray(['plain', 'q"uote,comma\nnew\r\nline', 'ünïcødé 😀'], new Utf8()),
      bin: vectorFromArray([new Uint8Array([0, 1, 255]), new Uint8Array([104, 105]), null], new Binary()),
      d: vectorFromArray([Date.UTC(1970, 0, 1), Date.UTC(2024, 1, 29), null], new DateDay()),
      tsu: big(new TimestampMicrosecond(), [0n, 1_700_000_000_123_456n, null]),
      tsn: big(new TimestampNanosecond(), [1_700_000_000_123_456_700n, -1_000_000_000n, null]),
      l: vectorFromArray([[1, 2], [], null], new List(new Field('item', new Int32(), true))),
      dc: dec(4, [1234567891234n, -5n, null]),
      st: vectorFromArray([{ a: 1, b: 'x' }, { a: null, b: 'y"z' }, null], new Struct([new Field('a', new Int32(), true), new Field('b', new Utf8(), true)])),
      // Maps travel through the task plan (schema JSON) and land as JSON objects (null values left out, as the connector's writer).
      m: vectorFromArray([new Map([['k"1', 1n], ['k2', null]]), new Map<string, bigint | null>(), null], new Map_(new Field('entries', new Struct([new Field('key', new Utf8(), false), new Field('value', new Int64(), true)]), false) as never)),
    });
    await sink.spark.createDataFrame(table).write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'Types', { tableCreateOptions: 'CreateIfNotExist' })).mode('append').save();

    const schema = String((await sink.probe.rows('db', '.show table Types cslschema'))[0]!['Schema']).replace(/\s/g, '');
    assert.equal(schema, 'k:int,i8:int,i16:int,i64:long,u32:long,f32:real,f64:real,b:bool,s:string,bin:string,d:datetime,tsu:datetime,tsn:datetime,l:dynamic,dc:decimal,st:dynamic,m:dynamic');
    const rows = await sink.probe.rows(
      'db',
      'Types | order by k asc | project k, i8 = tostring(i8), i16, i64 = tostring(i64), u32 = tostring(u32), f32 = tostring(f32), f64 = tostring(f64), b = tostring(b), s, bin, d = tostring(d), tsu = tostring(tsu), tsn = tostring(tsn), l = tostring(l), dc = tostring(dc), st = tostring(st), m = tostring(m)',
    );
    assert.deepEqual(
      rows.map((r) => ({ ...r, k: Number(r['k']), i16: Number(r['i16']) })),
      [
        { k: 0, i8: '-128', i16: -32768, i64: '-9223372036854775808', u32: '0', f32: '1.5', f64: '10000000000', b: 'true', s: 'plain', bin: 'AAH/', d: '1970-01-01T00:00:00.0000000Z', tsu: '1970-01-01T00:00:00.0000000Z', tsn: '2023-11-14T22:13:20.1234567Z', l: '[1,2]', dc: '123456789.1234', st: '{"a":1,"b":"x"}', m: '{"k\\"1":1}' },
        { k: 1, i8: '0', i16: 7, i64: '0', u32: '4294967295', f32: '-0.25', f64: 'NaN', b: 'false', s: 'q"uote,comma\nnew\r\nline', bin: 'aGk=', d: '2024-02-29T00:00:00.0000000Z', tsu: '2023-11-14T22:13:20.1234560Z', tsn: '1969-12-31T23:59:59.0000000Z', l: '[]', dc: '-0.0005', st: '{"b":"y\\"z"}', m: '{}' },
        { k: 2, i8: '', i16: 32767, i64: '9223372036854775807', u32: '', f32: '', f64: '-Infinity', b: '', s: 'ünïcødé 😀', bin: '', d: '', tsu: '', tsn: '', l: '', dc: '', st: '', m: '' },
      ],
    );
  });
});
