import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
  it('a map without its entries struct is refused naming the field', () => {
    assert.throws(() => schemaFromJson({ fields: [{ name: 'bad', nullable: true, type: 'map', children: [] }] } as never), /map field 'bad'/);
  });
});
