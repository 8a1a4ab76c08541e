import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isKjobError } from '../../../src/errors/kjob-error.js';
import { FailedOperationException, RetriesExhaustedException, TimeoutAwaitingPendingOperationException } from '../../../src/datasource/kusto/errors/operation-errors.js';
import { IngestionFailedException, IngestionPollingTimeoutException, IngestionServiceException, NoStorageContainersException } from '../../../src/datasource/kusto/errors/ingestion-errors.js';
import { InvalidParameterException, SchemaMatchException } from '../../../src/datasource/kusto/errors/parameter-errors.js';
import { httpStatusOf, isTransientKustoError, kustoPermanentFlag } from '../../../src/datasource/kusto/errors/transient-kusto-error.js';

describe('named Kusto errors', () => {
  it('carry the connector\'s messages, codes and context', () => {
    const f = new FailedOperationException('op-1', 'Failed', 'Extents have different schemas', { requestId: 'r1' });
    assert.equal(f.message, "Failed to execute Kusto operation with OperationId 'op-1', State: 'Failed', Status: 'Extents have different schemas'");
    assert.equal(f.code, 'KUSTO_OPERATION_FAILED');
    assert.equal(f.context.operationId, 'op-1');
    assert.equal(f.requestId, 'r1');
    assert.match(f.describe(), /Resolution: Inspect '\.show operations op-1'/);
    const t = new TimeoutAwaitingPendingOperationException('op-2');
    assert.equal(t.message, "Timed out while waiting for operation with OperationId 'op-2'");
    assert.equal(t.code, 'KUSTO_TIMEOUT');
    assert.equal(new NoStorageContainersException().message, 'No storage containers received. Failed to allocate temporary storage');
    assert.equal(new RetriesExhaustedException(11, undefined).message, 'Failed to move extents after 11 tries.');
    assert.equal(new RetriesExhaustedException(11, 3).message, 'Failed to move extents after 11 triesand 3 were moved.');
    assert.equal(new SchemaMatchException('Target table schema does not match to DataFrame schema.Target columns: a, b.Source columns: x, y').code, 'SCHEMA_MISMATCH');
    assert.equal(new InvalidParameterException('x', { option: 'writeMode' }).context.option, 'writeMode');
    assert.ok(new IngestionServiceException('busy').retryable);
    const failed = new IngestionFailedException({ status: 'Failed', requestId: 'r', cluster: 'c', database: 'db', table: 'tmp', partition: 3, failureStatus: 'Permanent', errorCode: 'BadRequest_InvalidBlob' });
    assert.match(failed.message, /^Ingestion to Kusto failed with status 'Failed'\. RequestId: r cluster: 'c', database: 'db', table: 'tmp' , partition: '3'\. Ingestion info: '/);
    assert.equal(failed.errorCode, 'BadRequest_InvalidBlob');
    assert.equal(failed.retryable, false);
    const poll = new IngestionPollingTimeoutException({ table: 'tmp', partition: 1, waitedMs: 600_000 });
    assert.match(poll.likelyCause!, /MaximumBatchingTimeSpan/);
    for (const e of [f, t, failed, poll]) assert.ok(isKjobError(e));
  });
  it('redacts secrets that reach a message', () => {
    const e = new IngestionServiceException('upload to https://a.blob.core.windows.net/c?sv=1&sig=TOPSECRET failed');
    assert.ok(!e.message.includes('TOPSECRET'));
  });
});

describe('isTransientKustoError', () => {
  const axiosLike = (status: number, body?: unknown) => Object.assign(new Error(`Request failed with status code ${status}`), { response: { status, data: body } });
  it('classifies HTTP statuses', () => {
    assert.equal(isTransientKustoError(axiosLike(429)), true);
    assert.equal(isTransientKustoError(axiosLike(503)), true);
    assert.equal(isTransientKustoError(axiosLike(500)), true);
    assert.equal(isTransientKustoError(axiosLike(400)), false);
    assert.equal(isTransientKustoError(axiosLike(403)), false);
    assert.equal(httpStatusOf(axiosLike(404)), 404);
  });
  it('honours @permanent from the Kusto error body', () => {
    const permanent500 = axiosLike(500, { error: { code: 'Internal', '@permanent': true } });
    assert.equal(kustoPermanentFlag(permanent500), true);
    assert.equal(isTransientKustoError(permanent500), false);
    assert.equal(isTransientKustoError(axiosLike(400, JSON.stringify({ error: { '@permanent': false } }))), true);
  });
  it('classifies network errors, SDK throttling, causes and kjob errors', () => {
    assert.equal(isTransientKustoError(Object.assign(new Error('read'), { code: 'ECONNRESET' })), true);
    assert.equal(isTransientKustoError(Object.assign(new Error('x'), { code: 'ETIMEDOUT' })), true);
    assert.equal(isTransientKustoError(new Error('socket hang up')), true);
    const throttling = Object.assign(new Error('POST request failed with status 429 (Too Many Requests)'), { name: 'ThrottlingError' });
    assert.equal(isTransientKustoError(throttling), true);
    assert.equal(isTransientKustoError(new Error('wrapped', { cause: axiosLike(502) })), true);
    assert.equal(isTransientKustoError(Object.assign(new Error('sdk'), { inner: Object.assign(new Error('x'), { code: 'EAI_AGAIN' }) })), true);
    assert.equal(isTransientKustoError(new Error('Semantic error: unknown column')), false);
    assert.equal(isTransientKustoError(new IngestionServiceException('x')), true);
    assert.equal(isTransientKustoError(new InvalidParameterException('x')), false);
    assert.equal(isTransientKustoError(undefined), false);
  });
});
