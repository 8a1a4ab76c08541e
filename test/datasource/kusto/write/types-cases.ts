/**
 * Arrow tables whose every column must round-trip through the Kusto sink exactly (written with
 * CreateIfNotExist, read back with a plain query), shared by types-roundtrip.test.ts (local[2]) and
 * bullmq-matrix.test.ts (executor processes: the types also cross the task boundary as schema JSON and
 * Arrow IPC). Expected values are Kusto's own text of each value (`tostring`), so a changed unit, an
 * offset, a lost digit or a wrong column type all show. Values below Kusto's 100-ns tick are avoided on
 * purpose: Kusto cannot store them, so they could not round-trip anywhere.
 */
import assert from 'node:assert/strict';
import {
  Binary, Bool, DateDay, DateMillisecond, Decimal, Dictionary, DurationMicrosecond, DurationNanosecond, DurationSecond, Field, FixedSizeBinary, FixedSizeList, Float16, Float32, Float64,
  Int16, Int32, Int64, Int8, LargeBinary, LargeList, LargeUtf8, List, Map_, Struct, Table, TimeMillisecond, TimeNanosecond, TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond,
  TimestampSecond, Uint16, Uint32, Uint64, Uint8, Utf8, makeData, makeVector, vectorFromArray, type DataType,
} from 'apache-arrow';
import type { Session } from '../../../../src/driver/session.js';
import type { KustoProbe } from './support.js';
import { sinkOptions } from './support.js';

function validity(values: readonly unknown[]): Uint8Array {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v !== null) bitmap[i >> 3]! |= 1 << (i & 7);
  });
  return bitmap;
}

/** A 64-bit column straight from its values (Arrow's builders take timestamps as ms numbers). */
function big(type: DataType, values: (bigint | null)[]) {
  return makeVector(makeData({ type, length: values.length, nullCount: values.filter((v) => v === null).length, nullBitmap: validity(values), data: new BigInt64Array(values.map((v) => v ?? 0n)) } as never));
}

/** A decimal column (128 or 256 bits) from unscaled values. */
function dec(scale: number, precision: number, bitWidth: 128 | 256, values: (bigint | null)[]) {
  const stride = bitWidth / 32;
  const words = new Uint32Array(values.length * stride);
  values.forEach((v, i) => {
    if (v === null) return;
    let x = BigInt.asUintN(bitWidth, v);
    for (let w = 0; w < stride; w++) {
      words[i * stride + w] = Number(x & 0xffffffffn);
      x >>= 32n;
    }
  });
  return makeVector(makeData({ type: new Decimal(scale, precision, bitWidth), length: values.length, nullCount: values.filter((v) => v === null).length, nullBitmap: validity(values), data: words } as never));
}

/** Milliseconds since the epoch of a UTC calendar date (Date.UTC maps years 0–99 to 1900–1999). */
function utcMs(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  return d.getTime();
}

export interface RoundTripCase {
  readonly name: string;
  readonly table: () => Table;
  /** `.show table … cslschema` without spaces. */
  readonly schema: string;
  /** The read-back query (after `['<table>'] | order by k asc | project `). */
  readonly projection: string;
  readonly rows: readonly Record<string, unknown>[];
}

/** The first set: Spark's types and Arrow's common ones. */
const core: RoundTripCase = {
  name: 'core',
  table: () =>
    new Table({
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
      dc: dec(4, 38, 128, [1234567891234n, -5n, null]),
      st: vectorFromArray([{ a: 1, b: 'x' }, { a: null, b: 'y"z' }, null], new Struct([new Field('a', new Int32(), true), new Field('b', new Utf8(), true)])),
      // Maps travel through the task plan (schema JSON) and land as JSON objects (null values left out, as the connector's writer).
      m: vectorFromArray([new Map([['k"1', 1n], ['k2', null]]), new Map<string, bigint | null>(), null], new Map_(new Field('entries', new Struct([new Field('key', new Utf8(), false), new Field('value', new Int64(), true)]), false) as never)),
    }),
  schema: 'k:int,i8:int,i16:int,i64:long,u32:long,f32:real,f64:real,b:bool,s:string,bin:string,d:datetime,tsu:datetime,tsn:datetime,l:dynamic,dc:decimal,st:dynamic,m:dynamic',
  projection: 'k = tostring(k), i8 = tostring(i8), i16 = tostring(i16), i64 = tostring(i64), u32 = tostring(u32), f32 = tostring(f32), f64 = tostring(f64), b = tostring(b), s, bin, d = tostring(d), tsu = tostring(tsu), tsn = tostring(tsn), l = tostring(l), dc = tostring(dc), st = tostring(st), m = tostring(m)',
  rows: [
    { k: '0', i8: '-128', i16: '-32768', i64: '-9223372036854775808', u32: '0', f32: '1.5', f64: '10000000000', b: 'true', s: 'plain', bin: 'AAH/', d: '1970-01-01T00:00:00.0000000Z', tsu: '1970-01-01T00:00:00.0000000Z', tsn: '2023-11-14T22:13:20.1234567Z', l: '[1,2]', dc: '123456789.1234', st: '{"a":1,"b":"x"}', m: '{"k\\"1":1}' },
    { k: '1', i8: '0', i16: '7', i64: '0', u32: '4294967295', f32: '-0.25', f64: 'NaN', b: 'false', s: 'q"uote,comma\nnew\r\nline', bin: 'aGk=', d: '2024-02-29T00:00:00.0000000Z', tsu: '2023-11-14T22:13:20.1234560Z', tsn: '1969-12-31T23:59:59.0000000Z', l: '[]', dc: '-0.0005', st: '{"b":"y\\"z"}', m: '{}' },
    { k: '2', i8: '', i16: '32767', i64: '9223372036854775807', u32: '', f32: '', f64: '-Infinity', b: '', s: 'ünïcødé 😀', bin: '', d: '', tsu: '', tsn: '', l: '', dc: '', st: '', m: '' },
  ],
};

/** The wider Arrow set: other units, zones, unsigned and large/fixed-size forms, time of day, extremes. */
const wide: RoundTripCase = {
  name: 'wide',
  table: () =>
    new Table({
      k: vectorFromArray([0, 1, 2], new Int32()),
      i32: vectorFromArray([-2147483648, 2147483647, null], new Int32()),
      // Kusto's datetime range is 0001-01-01 … 9999-12-31, each end in seconds and milliseconds.
      tss: big(new TimestampSecond(), [-62_135_596_800n, 253_402_300_799n, null]),
      tsms: big(new TimestampMillisecond(), [-62_135_596_800_000n, 253_402_300_799_999n, null]),
      // A zone names how to show an instant, never shifts it: 10:00Z stays 10:00Z.
      tstz: big(new TimestampMicrosecond('Europe/Paris'), [1_593_597_600_000_000n, -1n, null]),
      // Nanoseconds reach only 2262-04-11 (int64); that end, and one tick after the epoch.
      tsnz: big(new TimestampNanosecond('+05:30'), [9_223_372_036_854_775_800n, 100n, null]),
      dd: vectorFromArray([utcMs(1, 1, 1), utcMs(9999, 12, 31), null], new DateDay()),
      dms: vectorFromArray([new Date(utcMs(1, 1, 1)), new Date(utcMs(9999, 12, 31)), null], new DateMillisecond()),
      u8: vectorFromArray([0, 255, null], new Uint8()),
      u16: vectorFromArray([0, 65535, null], new Uint16()),
      // uint64 → decimal: its maximum is above long's and must not wrap or round.
      u64: vectorFromArray([0n, 18_446_744_073_709_551_615n, null], new Uint64()),
      f16: vectorFromArray([1.5, -65504, null], new Float16()),
      f64e: vectorFromArray([5e-324, 1.7976931348623157e308, Infinity], new Float64()),
      durs: big(new DurationSecond(), [-90_061n, 0n, null]),
      durus: big(new DurationMicrosecond(), [93_784_123_456n, -1n, null]),
      durns: big(new DurationNanosecond(), [100n, 9_223_372_036_854_775_800n, null]),
      tod: vectorFromArray([0, 86_399_999, null], new TimeMillisecond()),
      todns: big(new TimeNanosecond(), [100n, 86_399_999_999_900n, null]),
      ls: vectorFromArray(['', 'q"uote,comma\nnew\r\nline ünï 😀', null], new LargeUtf8()),
      lb: vectorFromArray([new Uint8Array([0, 255]), new Uint8Array([]), null], new LargeBinary()),
      fsb: vectorFromArray([new Uint8Array([1, 2, 3, 4]), new Uint8Array([255, 255, 255, 255]), null], new FixedSizeBinary(4)),
      dict: vectorFromArray(['x,"y"', 'ünï\n', null], new Dictionary(new Utf8(), new Int32())),
      ll: vectorFromArray([[1n, -2n], [], null], new LargeList(new Field('item', new Int64(), true))),
      fsl: vectorFromArray([[1.5, null], [-0.25, 2.5], null], new FixedSizeList(2, new Field('item', new Float64(), true))),
      d256: dec(5, 40, 256, [123_456_789_012_345_678_912_345n, -1n, null]),
      nest: vectorFromArray(
        [{ s: 'a"b\\c\n', inner: [{ x: 1, t: 'é' }, null], u: 18_446_744_073_709_551_615n }, { s: '', inner: [], u: null }, null],
        new Struct([
          new Field('s', new Utf8(), true),
          new Field('inner', new List(new Field('item', new Struct([new Field('x', new Int32(), true), new Field('t', new Utf8(), true)]), true)), true),
          new Field('u', new Uint64(), true),
        ]),
      ),
    }),
  schema: 'k:int,i32:int,tss:datetime,tsms:datetime,tstz:datetime,tsnz:datetime,dd:datetime,dms:datetime,u8:int,u16:int,u64:decimal,f16:real,f64e:real,durs:timespan,durus:timespan,durns:timespan,tod:timespan,todns:timespan,ls:string,lb:string,fsb:string,dict:string,ll:dynamic,fsl:dynamic,d256:decimal,nest:dynamic',
  projection:
    'k = tostring(k), i32 = tostring(i32), tss = tostring(tss), tsms = tostring(tsms), tstz = tostring(tstz), tsnz = tostring(tsnz), dd = tostring(dd), dms = tostring(dms), u8 = tostring(u8), u16 = tostring(u16), u64 = tostring(u64), f16 = tostring(f16), f64e, durs = tostring(durs), durus = tostring(durus), durns = tostring(durns), tod = tostring(tod), todns = tostring(todns), ls, lb, fsb, dict, ll = tostring(ll), fsl = tostring(fsl), d256 = tostring(d256), nest = tostring(nest)',
  rows: [
    {
      k: '0', i32: '-2147483648', tss: '0001-01-01T00:00:00.0000000Z', tsms: '0001-01-01T00:00:00.0000000Z', tstz: '2020-07-01T10:00:00.0000000Z', tsnz: '2262-04-11T23:47:16.8547758Z',
      dd: '0001-01-01T00:00:00.0000000Z', dms: '0001-01-01T00:00:00.0000000Z', u8: '0', u16: '0', u64: '0', f16: '1.5', f64e: 5e-324,
      durs: '-1.01:01:01', durus: '1.02:03:04.1234560', durns: '00:00:00.0000001', tod: '00:00:00', todns: '00:00:00.0000001',
      ls: '', lb: 'AP8=', fsb: 'AQIDBA==', dict: 'x,"y"', ll: '[1,-2]', fsl: '[1.5,null]', d256: '1234567890123456789.12345',
      nest: '{"s":"a\\"b\\\\c\\n","inner":[{"x":1,"t":"é"},null],"u":18446744073709551615}',
    },
    {
      k: '1', i32: '2147483647', tss: '9999-12-31T23:59:59.0000000Z', tsms: '9999-12-31T23:59:59.9990000Z', tstz: '1969-12-31T23:59:59.9999990Z', tsnz: '1970-01-01T00:00:00.0000001Z',
      dd: '9999-12-31T00:00:00.0000000Z', dms: '9999-12-31T00:00:00.0000000Z', u8: '255', u16: '65535', u64: '18446744073709551615', f16: '-65504', f64e: 1.7976931348623157e308,
      durs: '00:00:00', durus: '-00:00:00.0000010', durns: '106751.23:47:16.8547758', tod: '23:59:59.9990000', todns: '23:59:59.9999999',
      ls: 'q"uote,comma\nnew\r\nline ünï 😀', lb: '', fsb: '/////w==', dict: 'ünï\n', ll: '[]', fsl: '[-0.25,2.5]', d256: '-0.00001',
      nest: '{"s":"","inner":[]}',
    },
    // Nulls everywhere but f64e (Kusto's JSON carries non-finite reals as text). Kusto strings are never
    // null: the empty string and null both read back as '' (reference §3.5).
    {
      k: '2', i32: '', tss: '', tsms: '', tstz: '', tsnz: '', dd: '', dms: '', u8: '', u16: '', u64: '', f16: '', f64e: 'Infinity',
      durs: '', durus: '', durns: '', tod: '', todns: '', ls: '', lb: '', fsb: '', dict: '', ll: '', fsl: '', d256: '', nest: '',
    },
  ],
};

export const ROUND_TRIP_CASES: readonly RoundTripCase[] = [core, wide];

/** Writes the case's table (CreateIfNotExist) and compares schema and every value read back. */
export async function runRoundTrip(spark: Session, clusterUrl: string, probe: KustoProbe, c: RoundTripCase, table: string): Promise<void> {
  await spark.createDataFrame(c.table()).write.format('kusto').options(sinkOptions(clusterUrl, table, { tableCreateOptions: 'CreateIfNotExist' })).mode('append').save();
  const schema = String((await probe.rows('db', `.show table ['${table}'] cslschema`))[0]!['Schema']).replace(/\s/g, '');
  assert.equal(schema, c.schema);
  const rows = await probe.rows('db', `['${table}'] | order by k asc | project ${c.projection}`);
  assert.deepEqual(rows, c.rows);
}
