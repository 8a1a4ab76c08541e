import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dmCommandHandlers } from '../../../src/emulator/dm/dm-commands.js';
import { IngestionFailureLog, type IngestionFailure } from '../../../src/emulator/dm/ingestion-failure-log.js';

const failure = (over: Partial<IngestionFailure>): IngestionFailure => ({
  operationId: '00000000-0000-0000-0000-000000000001', database: 'db', table: 'T', failedOn: new Date('2026-01-02T03:04:05.678Z'),
  ingestionSourcePath: 'http://h/c/b.csv', details: 'bad', failureKind: 'Permanent', rootActivityId: 'r', errorCode: 'BadRequest_InvalidBlob',
  shouldRetry: false, ingestionSourceId: 's', ingestionProperties: '{}', status: 'Failed', ...over,
});

describe('DM commands', () => {
  const log = new IngestionFailureLog(3);
  const handlers = dmCommandHandlers({ ingestionResources: () => [['TempStorage', 'http://x?sig=1']], exportContainers: () => ['http://e?sig=2'], identityToken: () => 'tok', failures: log });
  const run = async (text: string, database = 'db') => {
    const h = handlers.find((x) => x.matches(text));
    assert.ok(h, `a handler for ${text}`);
    return h.run(text, { database, clientRequestId: undefined, principal: undefined });
  };

  it('answer the SDK commands with single tables of the expected columns', async () => {
    assert.deepEqual((await run('.get ingestion resources ', 'NetDefaultDB')).columns.map((c) => c.name), ['ResourceTypeName', 'StorageRoot']);
    assert.deepEqual((await run('.get kusto identity token')).rows, [['tok']]);
    assert.deepEqual((await run('.show export containers')).rows, [['http://e?sig=2']]);
  });

  it('.show ingestion failures: ADX columns, per database, filter by OperationId, bounded log', async () => {
    log.record(failure({}));
    log.record(failure({ database: 'other', operationId: '00000000-0000-0000-0000-000000000002' }));
    log.record(failure({ operationId: '00000000-0000-0000-0000-000000000003', status: 'PartiallySucceeded' }));
    const all = await run('.show ingestion failures');
    assert.deepEqual(all.columns.map((c) => c.name).slice(0, 8), ['OperationId', 'Database', 'Table', 'FailedOn', 'IngestionSourcePath', 'Details', 'FailureKind', 'RootActivityId']);
    assert.equal(all.rows.length, 2);
    assert.equal(all.rows[0]![3], '2026-01-02T03:04:05.6780000Z');
    assert.equal((await run('.show ingestion failures', 'NetDefaultDB')).rows.length, 3);
    const one = await run(".show ingestion failures with (OperationId = '00000000-0000-0000-0000-000000000003')");
    assert.equal(one.rows.length, 1);
    await assert.rejects(run('.show ingestion failures since yesterday'), /accepts only "with \(OperationId/);
    log.record(failure({ operationId: '00000000-0000-0000-0000-000000000004' }));
    assert.equal(log.all().length, 3);
    assert.equal(log.all()[0]!.operationId, '00000000-0000-0000-0000-000000000002');
  });
});
