import { DataType, Dictionary, Field, FixedSizeList, Int32, LargeList, List, Map_, Schema, Struct, Type } from 'apache-arrow';
import type { FieldJson, SchemaJson } from '../plan/plan-node.js';
import { parseTypeName, typeName } from './data-types.js';

/**
 * Arrow schemas as they travel inside plans and tasks (plain JSON), and back. Nested types carry their
 * children; dictionary-encoded columns keep their index type so executors rebuild the exact type.
 */
export function schemaToJson(schema: Schema): SchemaJson {
  return { fields: schema.fields.map(fieldToJson) };
}

export function schemaFromJson(json: SchemaJson): Schema {
  return new Schema(json.fields.map(fieldFromJson));
}

export function fieldToJson(f: Field): FieldJson {
  const metadata = f.metadata.size ? Object.fromEntries(f.metadata) : undefined;
  const base = { name: f.name, nullable: f.nullable, ...(metadata ? { metadata } : {}) };
  const t = f.type as DataType;
  switch (t.typeId) {
    case Type.List:
      return { ...base, type: 'list', children: (t as List).children.map(fieldToJson) };
    case Type.LargeList:
      return { ...base, type: 'large_list', children: (t as LargeList).children.map(fieldToJson) };
    case Type.FixedSizeList:
      return { ...base, type: `fixed_size_list(${(t as FixedSizeList).listSize})`, children: (t as FixedSizeList).children.map(fieldToJson) };
    case Type.Struct:
      return { ...base, type: 'struct', children: (t as Struct).children.map(fieldToJson) };
    case Type.Map: {
      // One child: the entries struct (key, value), as Arrow lays a map out.
      const m = t as Map_;
      return { ...base, type: m.keysSorted ? 'map<sorted>' : 'map', children: m.children.map(fieldToJson) };
    }
    case Type.Dictionary: {
      const d = t as Dictionary;
      return { ...base, type: `dictionary<${typeName(d.indices)}>`, children: [fieldToJson(new Field('value', d.dictionary, true))] };
    }
    default:
      return { ...base, type: typeName(t) };
  }
}

export function fieldFromJson(j: FieldJson): Field {
  const metadata = j.metadata ? new Map(Object.entries(j.metadata)) : null;
  return new Field(j.name, typeFromJson(j), j.nullable, metadata);
}

function typeFromJson(j: FieldJson): DataType {
  const children = (j.children ?? []).map(fieldFromJson);
  if (j.type === 'list') return new List(children[0] ?? new Field('item', new Int32(), true));
  if (j.type === 'large_list') return new LargeList(children[0] ?? new Field('item', new Int32(), true));
  const fixedList = /^fixed_size_list\((\d+)\)$/.exec(j.type);
  if (fixedList) return new FixedSizeList(Number(fixedList[1]), children[0] ?? new Field('item', new Int32(), true));
  if (j.type === 'struct') return new Struct(children);
  if (j.type === 'map' || j.type === 'map<sorted>') {
    const entries = children[0];
    if (!entries || !(entries.type instanceof Struct) || entries.type.children.length !== 2) throw new TypeError(`map field '${j.name}' needs one entries struct child of (key, value)`);
    return new Map_(entries as Field<Struct>, j.type === 'map<sorted>');
  }
  const dict = /^dictionary<(.+)>$/.exec(j.type);
  if (dict) return new Dictionary(children[0]?.type ?? parseTypeName('string'), parseTypeName(dict[1]!) as never);
  return parseTypeName(j.type);
}
