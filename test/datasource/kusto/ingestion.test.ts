import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IngestionProperties, DataFormat, ReportLevel, ReportMethod, IngestionMappingKind } from 'azure-kusto-ingest';
import { blobIngestionProperties } from '../../../src/datasource/kusto/ingest/blob-ingestion-properties.js';
import { resolveKustoSinkOptions } from '../../../src/datasource/kusto/options/sink-options.js';
import { interpretIngestionStatus, operationState } from '../../../src/datasource/kusto/polling/ingestion-status.js';
import { attemptTagValue, attemptExtentTag } from '../../../src/datasource/kusto/naming/staging-names.js';
import { IngestionFailedException } from '../../../src/datasource/kusto/errors/ingestion-errors.js';

const base = { kustoCluster: 'c', kustoDatabase: 'db', kustoTable: 'T', accessToken: 't' };

describe('blob ingestion properties', () => {
  it('Transactional: staging table, table reporting, attempt tag as drop-by, user tags and mapping', () => {
    const o = resolveKustoSinkOptions({ ...base, sparkIngestionPropertiesJson: JSON.stringify({ additionalTags: ['x'], ingestByTags: ['ib'], ingestIfNotExists: ['ignored-per-blob'], creationTime: '2024-01-02T00:00:00Z', csvMapping: '[{"Column":"a","Properties":{"Ordinal":"0"}}]' }) });
    const tag = attemptTagValue('r', 0, 1);
    const p = blobIngestionProperties(o, { stagingTable: 'tmp', sealedOnRollOver: false, attemptTag: tag });
    assert.deepEqual(p, {
      database: 'db', table: 'tmp', format: DataFormat.CSV, flushImmediately: false,
      dropByTags: ['kjob-r-p0-a1'], ingestByTags: ['ib'], additionalTags: ['x'],
      additionalProperties: { creationTime: '2024-01-02T00:00:00.000Z', ingestionMapping: '[{"Column":"a","Properties":{"Ordinal":"0"}}]', ingestionMappingType: 'Csv' },
      reportLevel: ReportLevel.FailuresAndSuccesses, reportMethod: ReportMethod.Table,
    });
    assert.equal(`drop-by:${tag}`, attemptExtentTag('r', 0, 1));
    // The SDK accepts the object as it is.
    const sdk = new IngestionProperties(p);
    sdk.validate();
    assert.equal(sdk.table, 'tmp');
    assert.throws(() => blobIngestionProperties(o, { sealedOnRollOver: false }), /staging table/);
  });
  it('flushes sealed blobs unless disableFlushImmediately; Queued goes to the destination with SDK defaults', () => {
    const q = resolveKustoSinkOptions({ ...base, writeMode: 'Queued', sparkIngestionPropertiesJson: '{"csvMappingNameReference":"m1"}' });
    const p = blobIngestionProperties(q, { sealedOnRollOver: true, dedupTag: 'kjob:r:0:2' });
    assert.deepEqual(p, { database: 'db', table: 'T', format: DataFormat.CSV, flushImmediately: true, ingestByTags: ['kjob:r:0:2'], ingestIfNotExists: '["kjob:r:0:2"]', ingestionMappingReference: 'm1', ingestionMappingKind: IngestionMappingKind.CSV });
    new IngestionProperties(p).validate();
    const noFlush = resolveKustoSinkOptions({ ...base, writeMode: 'Queued', disableFlushImmediately: 'true' });
    assert.equal(blobIngestionProperties(noFlush, { sealedOnRollOver: true }).flushImmediately, false);
  });
});

describe('ingestion status and operation state', () => {
  const ctx = { requestId: 'r', cluster: 'c', database: 'db', table: 'tmp', partition: 2, toleratesDedupSkips: false };
  it('pending, done and failures', () => {
    assert.equal(interpretIngestionStatus({ Status: 'Pending' }, ctx), 'pending');
    assert.equal(interpretIngestionStatus({ Status: 'Queued' }, ctx), 'pending');
    assert.equal(interpretIngestionStatus({ Status: 'Succeeded' }, ctx), 'done');
    assert.equal(interpretIngestionStatus({ Status: 'Skipped', ErrorCodeString: 'Skipped_NoData' }, ctx), 'done');
    assert.throws(() => interpretIngestionStatus({ Status: 'Skipped', ErrorCodeString: 'Skipped_IngestByTagAlreadyExists' }, ctx), IngestionFailedException);
    assert.equal(interpretIngestionStatus({ Status: 'Skipped', ErrorCodeString: 'Skipped_IngestByTagAlreadyExists' }, { ...ctx, toleratesDedupSkips: true }), 'done');
    assert.throws(() => interpretIngestionStatus({ Status: 'Failed', FailureStatus: 'Permanent', ErrorCodeString: 'BadRequest_InvalidBlob', Details: 'bad' }, ctx), (e: unknown) => {
      assert.ok(e instanceof IngestionFailedException);
      assert.equal(e.errorCode, 'BadRequest_InvalidBlob');
      assert.match(e.message, /^Ingestion to Kusto failed with status 'Failed'\. RequestId: r cluster: 'c', database: 'db', table: 'tmp' , partition: '2'\. Ingestion info: '\{\n  "Status": "Failed"/);
      return true;
    });
    assert.throws(() => interpretIngestionStatus({ Status: 'PartiallySucceeded', FailureStatus: 'Transient' }, ctx), (e: unknown) => e instanceof IngestionFailedException && e.retryable);
  });
  it('operation states', () => {
    assert.equal(operationState(undefined), 'pending');
    assert.equal(operationState({ State: 'InProgress' }), 'pending');
    assert.equal(operationState({ State: 'Completed' }), 'completed');
    assert.deepEqual(operationState({ State: 'Failed', Status: 'boom' }), { failed: { state: 'Failed', status: 'boom' } });
  });
});
