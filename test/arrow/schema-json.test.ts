import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as A from 'apache-arrow';
import { Field, Int64, List, Map_, Schema, Struct, Utf8, Type } from 'apache-arrow';
import { schemaFromJson, schemaToJson } from '../../src/arrow/schema-json.js';

const entries = (value: Field['type']) => new Field('entries', new Struct([new Field('key', new Utf8(), false), new Field('value', value, true)]), false);

describe('schema JSON', () => {
  it('maps round-trip with their entries, value types and keysSorted', () => {
    const schema = new Schema([
      new Field('m', new Map_(entries(new Int64())), true),
      new Field('sorted', new Map_(entries(new List(new Field('item', new Utf8(), true))), true), false),
    ]);
    const json = schemaToJson(schema);
    assert.equal(json.fields[0]!.type, 'map');
    assert.equal(json.fields[1]!.type, 'map<sorted>');
    const back = schemaFromJson(JSON.parse(JSON.stringify(json)));
    assert.equal(back.fields[0]!.type.typeId, Type.Map);
    assert.equal((back.fields[1]!.type as Map_).keysSorted, true);
    assert.equal(String(back.fields[0]!.type), String(schema.fields[0]!.type));
    assert.equal(String(back.fields[1]!.type), String(schema.fields[1]!.type));
    assert.equal(back.fields[1]!.nullable, false);
  });
  it('every Arrow type the Kusto sink writes reaches executors exactly (unit, zone, width, size, bit width)', () => {
    const item = (t: A.DataType) => new Field('item', t, true);
    const types: A.DataType[] = [
      new A.TimestampSecond(), new A.TimestampMillisecond(), new A.TimestampMicrosecond('Europe/Paris'), new A.TimestampNanosecond('+05:30'), new A.TimestampMicrosecond(),
      new A.DateDay(), new A.DateMillisecond(), new A.Uint8(), new A.Uint16(), new A.Uint32(), new A.Uint64(), new A.Float16(),
      new A.DurationSecond(), new A.DurationMillisecond(), new A.DurationMicrosecond(), new A.DurationNanosecond(),
      new A.TimeSecond(), new A.TimeMillisecond(), new A.TimeMicrosecond(), new A.TimeNanosecond(),
      new A.LargeUtf8(), new A.LargeBinary(), new A.FixedSizeBinary(16), new A.Dictionary(new A.Utf8(), new A.Int16()),
      new A.LargeList(item(new A.Int64())), new A.FixedSizeList(3, item(new A.LargeList(item(new A.Utf8())))),
      new A.Decimal(4, 38, 128), new A.Decimal(5, 60, 256), new A.Decimal(0, 76, 256),
      new A.IntervalDayTime(), new A.IntervalYearMonth(), new A.IntervalMonthDayNano(),
    ];
    const schema = new Schema(types.map((t, i) => new Field(`c${i}`, t, true)));
    const back = schemaFromJson(JSON.parse(JSON.stringify(schemaToJson(schema))) as never);
    back.fields.forEach((f, i) => {
      const want = types[i]!;
      assert.equal(String(f.type), String(want), `c${i}`);
      assert.equal(f.type.typeId, want.typeId, `c${i}`);
      const width = (t: A.DataType) => (t as unknown as { bitWidth?: number }).bitWidth;
      assert.equal(width(f.type), width(want), `c${i} bit width`);
    });
  });
  it('a map without its entries struct is refused naming the field', () => {
    assert.throws(() => schemaFromJson({ fields: [{ name: 'bad', nullable: true, type: 'map', children: [] }] } as never), /map field 'bad'/);
  });
});
