import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CsvColumnMapping, JsonColumnMapping, ValidationPolicy, ValidationOptions, ValidationImplications } from 'azure-kusto-ingest';
import { parseIngestionMessage, IngestionMessageError } from '../../../src/emulator/dm/queue-message.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64');

/** A default stream ingestion, as the Node SDK 7.0.1 writes it (reference §3.5). */
const base = {
  IngestionStatusInTable: null,
  ApplicationForTracing: 'app',
  ClientVersionForTracing: 'Kusto.JavaScript.Client:{7.0.3}|Runtime.Node:{v20.20.2}',
  BlobPath: 'http://127.0.0.1:20000/devstoreaccount1/tempstorage/db1__T1__cbb7.csv?sv=2026-04-06&sr=c&sp=racwdl&sig=abc',
  RawDataSize: null,
  DatabaseName: 'db1',
  TableName: 'T1',
  RetainBlobOnSuccess: true,
  FlushImmediately: false,
  IgnoreSizeLimit: false,
  ReportLevel: 0,
  ReportMethod: 0,
  SourceMessageCreationTime: '2026-11-21T20:55:18.203Z',
  Id: '70b5366d-8c0a-4812-8fbc-f8b0d9522111',
  AdditionalProperties: { authorizationContext: 'fake-identity-token', format: 'csv' },
};

describe('parseIngestionMessage', () => {
  it('reads a default SDK message', () => {
    const m = parseIngestionMessage(b64(base));
    assert.equal(m.id, base.Id);
    assert.equal(m.database, 'db1');
    assert.equal(m.table, 'T1');
    assert.equal(m.blobPath, base.BlobPath);
    assert.equal(m.format, 'csv');
    assert.equal(m.flushImmediately, false);
    assert.equal(m.reportLevel, 0);
    assert.equal(m.reportMethod, 0);
    assert.equal(m.rawDataSize, undefined);
    assert.deepEqual(m.tags, []);
    assert.deepEqual(m.ingestIfNotExists, []);
    assert.equal(m.mapping, undefined);
    assert.equal(m.statusTable, undefined);
    assert.equal(m.sourceMessageCreationTime?.toISOString(), '2026-11-21T20:55:18.203Z');
  });

  it('reads every optional property, tags as a JSON string and ingestIfNotExists as an array', () => {
    const m = parseIngestionMessage(
      b64({
        ...base,
        FlushImmediately: true,
        ReportLevel: 2,
        ReportMethod: 1,
        RawDataSize: 264,
        IngestionStatusInTable: { tableConnectionString: 'https://127.0.0.1:1?sv=1&tn=ingestionsstatus', partitionKey: 'p', rowKey: 'r' },
        AdditionalProperties: {
          authorizationContext: 'tok',
          tags: '["t1","drop-by:d1","ingest-by:i1"]',
          ingestIfNotExists: ['i1'],
          ingestionMappingReference: 'map1',
          format: 'JSON',
          ignoreFirstRecord: true,
          creationTime: '2020-01-02T03:04:05Z',
          ValidationPolicy: new ValidationPolicy(ValidationOptions.ValidateCsvInputConstantColumns, ValidationImplications.Fail),
        },
      }),
    );
    assert.equal(m.flushImmediately, true);
    assert.equal(m.reportLevel, 2);
    assert.equal(m.reportMethod, 1);
    assert.equal(m.rawDataSize, 264);
    assert.deepEqual(m.statusTable, { tableConnectionString: 'https://127.0.0.1:1?sv=1&tn=ingestionsstatus', partitionKey: 'p', rowKey: 'r' });
    assert.deepEqual(m.tags, ['t1', 'drop-by:d1', 'ingest-by:i1']);
    assert.deepEqual(m.ingestIfNotExists, ['i1']);
    assert.equal(m.mappingReference, 'map1');
    assert.equal(m.format, 'json');
    assert.equal(m.ignoreFirstRecord, true);
    assert.equal(m.creationTime?.toISOString(), '2020-01-02T03:04:05.000Z');
    assert.equal(m.validationImplications, 0);
  });

  it('is case-insensitive on every field and accepts .NET casing and string-encoded values', () => {
    const m = parseIngestionMessage(
      b64({
        id: 'x1', databasename: 'd', TABLENAME: 't', blobpath: 'http://b', flushimmediately: 'True', reportlevel: '2',
        IngestionStatusInTable: JSON.stringify({ TableConnectionString: 'https://t?tn=s', PartitionKey: 'x1', RowKey: 'x1' }),
        additionalproperties: { FORMAT: 'multijson', INGESTIFNOTEXISTS: '["a","b"]', Tags: ['plain'], IgnoreFirstRecord: 'false', validationpolicy: '{"validationimplications":1}' },
      }),
    );
    assert.equal(m.id, 'x1');
    assert.equal(m.flushImmediately, true);
    assert.equal(m.reportLevel, 2);
    assert.equal(m.statusTable?.rowKey, 'x1');
    assert.equal(m.format, 'multijson');
    assert.deepEqual(m.ingestIfNotExists, ['a', 'b']);
    assert.deepEqual(m.tags, ['plain']);
    assert.equal(m.ignoreFirstRecord, false);
    assert.equal(m.validationImplications, 1);
  });

  it('normalises inline CSV and JSON mappings as the SDK serialises them', () => {
    const csv = [CsvColumnMapping.withOrdinal('c1', 0, 'string'), CsvColumnMapping.withOrdinal('c 2', 3, 'long')].map((c) => c.toApiMapping());
    const m = parseIngestionMessage(b64({ ...base, AdditionalProperties: { format: 'csv', ingestionMapping: JSON.stringify(csv), ingestionMappingType: 'Csv' } }));
    assert.deepEqual(m.mapping, [
      { column: 'c1', dataType: 'string', ordinal: 0 },
      { column: 'c 2', dataType: 'long', ordinal: 3 },
    ]);
    assert.equal(m.mappingKind, 'Csv');
    const json = [JsonColumnMapping.withPath('ts', '$.x', 'datetime')].map((c) => c.toApiMapping());
    const j = parseIngestionMessage(b64({ ...base, AdditionalProperties: { format: 'json', ingestionMapping: JSON.stringify(json) } }));
    assert.deepEqual(j.mapping, [{ column: 'ts', dataType: 'datetime', path: '$.x' }]);
  });

  it("accepts the Spark connector's csvMapping shape (columnName/columnType/properties)", () => {
    const mapping = '[{"columnName":"a","columnType":"int","properties":{"Ordinal":"1"}},{"columnName":"src","columnType":"string","properties":{"Transform":"SourceLocation"}}]';
    const m = parseIngestionMessage(b64({ ...base, AdditionalProperties: { format: 'csv', ingestionMapping: mapping } }));
    assert.deepEqual(m.mapping, [
      { column: 'a', dataType: 'int', ordinal: 1 },
      { column: 'src', dataType: 'string', transform: 'SourceLocation' },
    ]);
  });

  it('keeps unicode intact through base64 UTF-8', () => {
    const m = parseIngestionMessage(b64({ ...base, TableName: 'Tåble_ü', AdditionalProperties: { format: 'csv', tags: '["日本"]' } }));
    assert.equal(m.table, 'Tåble_ü');
    assert.deepEqual(m.tags, ['日本']);
  });

  it('rejects bad messages with what it could read, so the failure can still be reported', () => {
    assert.throws(() => parseIngestionMessage('!!!not base64!!!'), (e: IngestionMessageError) => e.errorCode === 'BadRequest_InvalidMessage');
    assert.throws(() => parseIngestionMessage(Buffer.from('not json').toString('base64')), /does not decode to JSON/);
    assert.throws(
      () => parseIngestionMessage(b64({ ...base, AdditionalProperties: { format: 'avro' } })),
      (e: IngestionMessageError) => e.errorCode === 'BadRequest_FormatNotSupported' && e.partial.id === base.Id && e.partial.table === 'T1',
    );
    assert.throws(() => parseIngestionMessage(b64({ ...base, BlobPath: undefined })), /BlobPath is missing/);
    assert.throws(
      () => parseIngestionMessage(b64({ ...base, AdditionalProperties: { ingestionMapping: '[{"Column":"a","Properties":{"Ordinal":"-1"}}]' } })),
      /column a.*invalid Ordinal/,
    );
    assert.throws(() => parseIngestionMessage(b64({ ...base, AdditionalProperties: { tags: '[1,{"x":2}]' } })), /tags\[1\]/);
    assert.throws(() => parseIngestionMessage(b64({ ...base, AdditionalProperties: { creationTime: 'yesterday' } })), /creationTime is not a valid date/);
  });
});
