import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../../src/datasource/kusto/polling/clock.js';
import { resolveKustoSinkOptions } from '../../../../src/datasource/kusto/options/sink-options.js';
import { moveAcceptedExtents } from '../../../../src/datasource/kusto/write/move-extents.js';
import { dropTaggedExtentsCommand } from '../../../../src/datasource/kusto/write/staging-cleanup.js';
import { blobSizeStats } from '../../../../src/datasource/kusto/write/commit-write.js';
import { statusTableClient } from '../../../../src/datasource/kusto/write/status-poller.js';
import type { KustoEngineClient } from '../../../../src/datasource/kusto/client/engine-client.js';
import { silentLog as silent } from '../../../support/test-log.js';


describe('commit building blocks', () => {
  it('roll-back command: exact tag match, escaped names (golden)', () => {
    assert.equal(
      dropTaggedExtentsCommand("T'x", ['drop-by:kjob-r-p0-a0', 'drop-by:kjob-r-p1-a2']),
      `.drop extents <| .show table ["T'x"] extents | where (strcat('\\r\\n', Tags, '\\r\\n') contains_cs '\\r\\ndrop-by:kjob-r-p0-a0\\r\\n' or strcat('\\r\\n', Tags, '\\r\\n') contains_cs '\\r\\ndrop-by:kjob-r-p1-a2\\r\\n') | project ExtentId`,
    );
  });
  it('blob size distribution', () => {
    assert.deepEqual(blobSizeStats([300e6, 5, 200e6]), { count: 3, minRawBytes: 5, medianRawBytes: 200e6, maxRawBytes: 300e6, smallBlobs: 1 });
    assert.deepEqual(blobSizeStats([]), { count: 0, minRawBytes: 0, medianRawBytes: 0, maxRawBytes: 0, smallBlobs: 0 });
  });
  it('status table client from path-style (Azurite) and Azure URLs', () => {
    const a = statusTableClient('https://127.0.0.1:10002/devstoreaccount1/ingestionsstatus?sv=2019-02-02&sig=abc&tn=ingestionsstatus');
    assert.equal(a.tableName, 'ingestionsstatus');
    assert.equal(a.url, 'https://127.0.0.1:10002/devstoreaccount1');
    const b = statusTableClient('https://acct.table.core.windows.net/ingestionsstatus20240101?sv=x&sig=y');
    assert.equal(b.tableName, 'ingestionsstatus20240101');
    assert.equal(b.url, 'https://acct.table.core.windows.net');
  });
});

describe('move of accepted extents (scripted engine, manual clock)', () => {
  function engine(script: { moveFailures: number; neverCompletes?: boolean; materializedViews?: number }) {
    const sent: string[] = [];
    let moved = false;
    let failures = script.moveFailures;
    const fake = {
      async mgmt(_db: string, command: string) {
        sent.push(command);
        if (command.startsWith('.show table') && command.endsWith('| count') && !command.includes('contains_cs')) return [{ Count: 3 }];
        if (command.includes('| count') && command.includes('contains_cs')) return [{ Count: moved ? 0 : 2 }];
        if (command.startsWith('.show materialized-views')) return [{ Count: script.materializedViews ?? 0 }];
        if (command.startsWith('.move async')) return [{ OperationId: '11111111-2222-3333-4444-555555555555' }];
        if (command.startsWith('.show operations')) {
          if (script.neverCompletes) return [{ State: 'InProgress', Status: '' }];
          if (failures > 0) {
            failures--;
            return [{ State: 'Failed', Status: 'injected' }];
          }
          moved = true;
          return [{ State: 'Completed', Status: '' }];
        }
        if (command.startsWith('.show operation ')) return [{ ExtentId: 'e1', State: 'Moved', Error: '' }, { ExtentId: 'e2', State: 'Moved', Error: '' }];
        return [];
      },
    };
    return { fake: fake as unknown as KustoEngineClient, sent };
  }
  const sink = resolveKustoSinkOptions({ kustoCluster: 'http://127.0.0.1:1', kustoDatabase: 'db', kustoTable: 'T' });
  const base = { sink, stagingTable: 'tmp', acceptedTags: ['drop-by:kjob-r-p0-a1', 'drop-by:kjob-r-p1-a0'], startedAt: new Date('2024-01-01T00:00:00Z'), log: silent };

  it('drops other attempts first, then moves; failures back off 1 s, 2 s (not the connector\'s 24 h)', async () => {
    const { fake, sent } = engine({ moveFailures: 2 });
    const clock = new ManualClock(Date.parse('2024-01-01T00:10:00Z'));
    const r = await moveAcceptedExtents({ ...base, engine: fake, clock });
    assert.deepEqual(r, { extentsMoved: 2, extentsDropped: 1, moveCommands: 3, retries: 2 });
    assert.match(sent[0]!, /^\.alter table \['tmp'\] policy merge/);
    assert.match(sent[2]!, /^\.drop extents <\| \.show table \['tmp'\] extents \| where not\(/);
    assert.ok(sent.findIndex((c) => c.startsWith('.move async')) > 2);
    assert.deepEqual(clock.sleeps, [1000, 2000]);
  });
  it('a destination with a materialized view: the move sets a new ingestion time (exact command text)', async () => {
    const { fake, sent } = engine({ moveFailures: 0, materializedViews: 1 });
    const clock = new ManualClock(Date.parse('2024-01-01T00:10:00Z'));
    await moveAcceptedExtents({ ...base, engine: fake, clock });
    assert.ok(sent.includes(`.show materialized-views | where SourceTable == 'T' | count`), sent.join('\n'));
    const moves = sent.filter((c) => c.startsWith('.move async'));
    // The reference's form with the view flag in one with() group: the connector's two groups
    // (`with(SetNewIngestionTime=true) with(extentCreatedOnFrom=…)`) are not valid Kusto (kql/extent-commands.ts).
    assert.deepEqual(moves, [
      ".move async extents to table ['T'] with(SetNewIngestionTime=true, extentCreatedOnFrom='2024-01-01T00:00:00.000Z', extentCreatedOnTo='2024-01-01T00:11:00.000Z') <|\n" +
        "       .show table ['tmp'] extents | where (strcat('\\r\\n', Tags, '\\r\\n') contains_cs '\\r\\ndrop-by:kjob-r-p0-a1\\r\\n' or strcat('\\r\\n', Tags, '\\r\\n') contains_cs '\\r\\ndrop-by:kjob-r-p1-a0\\r\\n') | project ExtentId;\n",
    ]);
    const plain = engine({ moveFailures: 0 });
    await moveAcceptedExtents({ ...base, engine: plain.fake, clock: new ManualClock(Date.parse('2024-01-01T00:10:00Z')) });
    assert.match(plain.sent.find((c) => c.startsWith('.move async'))!, /^\.move async extents to table \['T'\] with\(extentCreatedOnFrom='2024-01-01T00:00:00\.000Z', extentCreatedOnTo='2024-01-01T00:11:00\.000Z'\) <\|\n/);
  });
  it('gives up with RetriesExhaustedException after maxRetriesOnMoveExtents', async () => {
    const { fake } = engine({ moveFailures: 100 });
    const clock = new ManualClock(0);
    const limited = resolveKustoSinkOptions({ kustoCluster: 'http://127.0.0.1:1', kustoDatabase: 'db', kustoTable: 'T', maxRetriesOnMoveExtents: '3' });
    await assert.rejects(moveAcceptedExtents({ ...base, sink: limited, engine: fake, clock }), (e: Error) => e.name === 'RetriesExhaustedException' && e.message === 'Failed to move extents after 4 tries.');
    assert.deepEqual(clock.sleeps, [1000, 2000, 4000]);
  });
  it('an operation still InProgress at timeoutLimit: TimeoutAwaitingPendingOperationException with the OperationId (not retried)', async () => {
    const { fake, sent } = engine({ moveFailures: 0, neverCompletes: true });
    const clock = new ManualClock(0);
    const short = resolveKustoSinkOptions({ kustoCluster: 'http://127.0.0.1:1', kustoDatabase: 'db', kustoTable: 'T', timeoutLimit: '60' });
    await assert.rejects(moveAcceptedExtents({ ...base, sink: short, engine: fake, clock }), (e: Error & { operationId?: string }) => {
      assert.equal(e.name, 'TimeoutAwaitingPendingOperationException');
      assert.equal(e.operationId, '11111111-2222-3333-4444-555555555555');
      assert.match(e.message, /11111111-2222-3333-4444-555555555555/);
      return true;
    });
    // Polled with the async-operation cadence (1 s doubling, ≤ 4 s in the first minute) until 60 s.
    assert.deepEqual(clock.sleeps.slice(0, 5), [1000, 2000, 4000, 4000, 4000]);
    assert.equal(clock.sleeps.reduce((a, b) => a + b, 0), 60_000);
    assert.equal(sent.filter((c) => c.startsWith('.move async')).length, 1);
  });
});
