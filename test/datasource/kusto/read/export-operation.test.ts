// runExport's wait on `.export async` against a scripted engine and a manual clock: the async-operation
// cadence, the timeout naming the OperationId, a non-Completed state, and transient vs permanent
// polling errors — the paths the emulator reaches only with long real waits.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runExport } from '../../../../src/datasource/kusto/read/export-operation.js';
import { ManualClock } from '../../../../src/datasource/kusto/polling/clock.js';
import type { KustoEngineClient } from '../../../../src/datasource/kusto/client/engine-client.js';
import type { Log } from '../../../../src/datasource/datasource.js';
import { capturingLog, silentLog as silent } from '../../../support/test-log.js';

const OP = '5b1c0a52-8d1e-4d7b-9a57-0c2f1f6a9e11';

/** Each `.show operations` answer in turn (a row, or an error to throw); the last one repeats. */
function scripted(answers: (Record<string, unknown> | Error)[], exportAnswer: Record<string, unknown>[] = [{ OperationId: OP }]) {
  const commands: string[] = [];
  let i = 0;
  const engine = {
    async mgmt(_db: string, text: string) {
      commands.push(text);
      if (text.startsWith('.export')) return exportAnswer;
      const a = answers[Math.min(i++, answers.length - 1)]!;
      if (a instanceof Error) throw a;
      return [a];
    },
  } as unknown as KustoEngineClient;
  return { engine, commands };
}
const run = (engine: KustoEngineClient, clock: ManualClock, timeoutMs = 60_000, log: Log = silent) =>
  runExport({ engine, database: 'db', command: '.export async to parquet (h@"x") <| T', timeoutMs, clock, log, requestId: 'req-1' });
const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { response: { status } });

describe('runExport', () => {
  it('polls at 1 s doubling to 4 s until Completed', async () => {
    const { engine, commands } = scripted([{ State: 'InProgress' }, { State: 'InProgress' }, { State: 'InProgress' }, { State: 'InProgress' }, { State: 'Completed' }]);
    const clock = new ManualClock();
    await run(engine, clock);
    assert.deepEqual(clock.sleeps, [1000, 2000, 4000, 4000]);
    assert.equal(commands[0], '.export async to parquet (h@"x") <| T');
    assert.equal(commands.filter((c) => c.includes(OP)).length, 5);
  });

  it('still InProgress at timeoutLimit: TimeoutAwaitingPendingOperationException naming the OperationId', async () => {
    const { engine } = scripted([{ State: 'InProgress' }]);
    await assert.rejects(run(engine, new ManualClock(), 10_000), (e: Error & { operationId?: string; requestId?: string; resolution?: string }) => {
      assert.equal(e.name, 'TimeoutAwaitingPendingOperationException');
      assert.equal(e.message, `Timed out while waiting for operation with OperationId '${OP}'`);
      assert.equal(e.operationId, OP);
      assert.equal(e.requestId, 'req-1');
      assert.ok(e.resolution?.includes(OP));
      return true;
    });
  });

  it('ends Failed: FailedOperationException with OperationId, State and Status', async () => {
    const { engine } = scripted([{ State: 'InProgress' }, { State: 'Failed', Status: 'Access denied to the export storage' }]);
    await assert.rejects(run(engine, new ManualClock()), (e: Error) => {
      assert.equal(e.name, 'FailedOperationException');
      assert.equal(e.message, `Failed to execute Kusto operation with OperationId '${OP}', State: 'Failed', Status: 'Access denied to the export storage'`);
      return true;
    });
  });

  it('a transient polling error is logged and polling goes on; a permanent one ends the wait', async () => {
    const log = capturingLog();
    const { engine } = scripted([httpError(503), { State: 'Completed' }]);
    await run(engine, new ManualClock(), 60_000, log);
    assert.equal(log.lines.filter((l) => l.level === 'warn').length, 1);
    const { engine: refusing } = scripted([httpError(403)]);
    await assert.rejects(run(refusing, new ManualClock()), /HTTP 403/);
  });

  it('an .export that returns no OperationId fails at once', async () => {
    const { engine } = scripted([{ State: 'Completed' }], []);
    await assert.rejects(run(engine, new ManualClock()), (e: Error) => e.name === 'FailedOperationException' && /returned no OperationId/.test(e.message));
  });
});
