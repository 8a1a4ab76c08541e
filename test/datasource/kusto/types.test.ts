import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as A from 'apache-arrow';
import { createTableSchemaTextOfArrow, kustoTypeOfArrow, kustoTypeOfDataTypeName, schemaTextFromShowSchemaRows } from '../../../src/datasource/kusto/types/arrow-to-kusto.js';
import { arrowSchemaOfKustoColumns, arrowTypeOfKusto, KUSTO_TYPE_METADATA_KEY, normalizeKustoType } from '../../../src/datasource/kusto/types/kusto-to-arrow.js';
import { createTableCommand } from '../../../src/datasource/kusto/kql/table-commands.js';

describe('Arrow → Kusto types', () => {
  it('maps every family', () => {
    const cases: [A.DataType, string][] = [
      [new A.Utf8(), 'string'], [new A.LargeUtf8(), 'string'], [new A.Bool(), 'bool'],
      [new A.Int8(), 'int'], [new A.Int16(), 'int'], [new A.Int32(), 'int'], [new A.Uint8(), 'int'], [new A.Uint16(), 'int'], [new A.Uint32(), 'long'],
      [new A.Int64(), 'long'], [new A.Uint64(), 'decimal'], [new A.Float32(), 'real'], [new A.Float64(), 'real'], [new A.Float16(), 'real'],
      [new A.Decimal(2, 10, 128), 'decimal'], [new A.DateDay(), 'datetime'], [new A.TimestampMicrosecond(), 'datetime'], [new A.TimestampNanosecond('UTC'), 'datetime'],
      [new A.DurationMillisecond(), 'timespan'], [new A.Binary(), 'string'], [new A.FixedSizeBinary(16), 'string'],
      [new A.List(new A.Field('i', new A.Int32())), 'dynamic'], [new A.Struct([]), 'dynamic'], [new A.Dictionary(new A.Utf8(), new A.Int32()), 'string'],
      [new A.Null(), 'string'],
      // The wider Arrow set: time of day is a timespan since midnight; large/fixed-size forms as their families.
      [new A.TimeSecond(), 'timespan'], [new A.TimeMillisecond(), 'timespan'], [new A.TimeMicrosecond(), 'timespan'], [new A.TimeNanosecond(), 'timespan'],
      [new A.DurationSecond(), 'timespan'], [new A.DurationNanosecond(), 'timespan'], [new A.DateMillisecond(), 'datetime'],
      [new A.TimestampSecond('Europe/Paris'), 'datetime'], [new A.TimestampMillisecond(), 'datetime'],
      [new A.LargeBinary(), 'string'], [new A.LargeList(new A.Field('i', new A.Int64())), 'dynamic'], [new A.FixedSizeList(2, new A.Field('i', new A.Int64())), 'dynamic'],
      [new A.Decimal(5, 60, 256), 'decimal'], [new A.Dictionary(new A.Int64(), new A.Int8()), 'long'],
    ];
    for (const [t, k] of cases) assert.equal(kustoTypeOfArrow(t), k, String(t));
    assert.equal(kustoTypeOfDataTypeName('decimal(10,2)'), 'decimal');
    assert.equal(kustoTypeOfDataTypeName('json'), 'dynamic');
    assert.equal(kustoTypeOfDataTypeName('int16'), 'int');
  });
  it('refuses intervals naming the column (no Kusto type keeps a month)', () => {
    for (const t of [new A.IntervalDayTime(), new A.IntervalYearMonth(), new A.IntervalMonthDayNano()]) {
      assert.throws(() => createTableSchemaTextOfArrow(new A.Schema([new A.Field('ok', new A.Int32()), new A.Field('period', t)])), (e: Error) => {
        assert.equal(e.name, 'InvalidParameterException');
        assert.equal(e.message, `Column 'period' has Arrow type ${String(t)}, which has no Kusto column type: an interval of months or days has no fixed length`);
        return true;
      });
    }
  });
  it('builds .create table schema text', () => {
    const schema = new A.Schema([new A.Field('ts', new A.TimestampMicrosecond()), new A.Field("it's", new A.Int64()), new A.Field('tags', new A.Map_(new A.Field('entries', new A.Struct([new A.Field('key', new A.Utf8(), false), new A.Field('value', new A.Utf8())])) as never))]);
    assert.equal(createTableSchemaTextOfArrow(schema), `['ts']:datetime,["it's"]:long,['tags']:dynamic`);
    assert.equal(createTableCommand('T', createTableSchemaTextOfArrow(schema)), `.create table ['T'] (['ts']:datetime,["it's"]:long,['tags']:dynamic)`);
  });
  it('reads the schema of an existing table (extractSchemaFromResultTable)', () => {
    const rows = [
      { Name: 'SubscriptionGuid', Type: 'System.String', CslType: 'string' },
      JSON.stringify({ Name: 'Identifier', Type: 'System.String', CslType: 'string' }),
      { Name: 'SomeNumber', Type: 'System.Int64', CslType: 'long' },
    ];
    assert.equal(schemaTextFromShowSchemaRows(rows), "['SubscriptionGuid']:string,['Identifier']:string,['SomeNumber']:long");
    assert.throws(() => schemaTextFromShowSchemaRows([{ Name: 'x' }]), /lacks Name\/CslType/);
  });
});

describe('Kusto → Arrow types', () => {
  it('maps v2 and v1 names and keeps the Kusto type in metadata', () => {
    assert.ok(arrowTypeOfKusto('datetime') instanceof A.Timestamp);
    assert.equal((arrowTypeOfKusto('datetime') as A.Timestamp).unit, A.TimeUnit.NANOSECOND);
    assert.ok(arrowTypeOfKusto('timespan') instanceof A.Duration);
    const dec = arrowTypeOfKusto('sqldecimal') as A.Decimal;
    assert.deepEqual([dec.precision, dec.scale, dec.bitWidth], [38, 18, 128]);
    assert.ok(arrowTypeOfKusto('Int64') instanceof A.Int64);
    assert.ok(arrowTypeOfKusto('int') instanceof A.Int32);
    assert.ok(arrowTypeOfKusto('SByte') instanceof A.Bool);
    assert.ok(arrowTypeOfKusto('double') instanceof A.Float64);
    assert.ok(arrowTypeOfKusto('object') instanceof A.Utf8);
    assert.equal(normalizeKustoType('System.Guid'), 'guid');
    assert.equal(normalizeKustoType('whatever'), 'string');
    const schema = arrowSchemaOfKustoColumns([{ name: 'g', type: 'guid' }, { name: 'd', type: 'dynamic' }]);
    assert.equal(schema.fields[0]!.metadata.get(KUSTO_TYPE_METADATA_KEY), 'guid');
    assert.equal(schema.fields[1]!.metadata.get(KUSTO_TYPE_METADATA_KEY), 'dynamic');
    const structured = arrowSchemaOfKustoColumns([{ name: 'd', type: 'dynamic' }, { name: 'e', type: 'dynamic' }], new Map([['d', new A.List(new A.Field('item', new A.Int64()))]]));
    assert.ok(structured.fields[0]!.type instanceof A.List);
    assert.ok(structured.fields[1]!.type instanceof A.Utf8);
    assert.equal(createTableSchemaTextOfArrow(structured), "['d']:dynamic,['e']:dynamic");
    // A read-then-write keeps guid and dynamic columns.
    assert.equal(createTableSchemaTextOfArrow(schema), "['g']:guid,['d']:dynamic");
  });
});
