/**
 * Runs one `.export async … to parquet` and waits for it (reference §4.4 steps 7–8, §4.6): the
 * command returns an OperationId; `.show operations <id>` is polled at the async-operation cadence
 * (1 s doubling to 4 s, 30 s after a minute) until the state leaves InProgress. A wait longer than
 * `timeoutLimit` raises TimeoutAwaitingPendingOperationException naming the OperationId; a final
 * state other than Completed raises FailedOperationException with OperationId, State and Status.
 * Transient polling errors are logged and polling goes on; a permanent one ends the wait.
 */
import type { Log } from '../../datasource.js';
import type { KustoEngineClient } from '../client/engine-client.js';
import { FailedOperationException, TimeoutAwaitingPendingOperationException } from '../errors/operation-errors.js';
import { isTransientKustoError } from '../errors/transient-kusto-error.js';
import { showOperationsCommand } from '../kql/operation-commands.js';
import { ASYNC_OPERATION_CADENCE, pollUntil, type PollCadence } from '../polling/poll-cadence.js';
import type { Clock } from '../polling/clock.js';

export interface ExportRun {
  readonly engine: KustoEngineClient;
  readonly database: string;
  readonly command: string;
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly log: Log;
  readonly cadence?: PollCadence;
  readonly requestId: string;
}

export async function runExport(r: ExportRun): Promise<void> {
  const rows = await r.engine.mgmt(r.database, r.command, { activity: 'KJOB.read.export' });
  const id = String(Object.values(rows[0] ?? {})[0] ?? '');
  if (id === '') throw new FailedOperationException('(none)', 'Unknown', '.export async returned no OperationId', { requestId: r.requestId });
  const outcome = await pollUntil({
    poll: async () => (await r.engine.mgmt(r.database, showOperationsCommand(id), { activity: 'KJOB.read.exportStatus' })).at(-1),
    isDone: (row) => String(row['State'] ?? '') !== 'InProgress' && String(row['State'] ?? '') !== '',
    cadence: r.cadence ?? ASYNC_OPERATION_CADENCE,
    timeoutMs: r.timeoutMs,
    clock: r.clock,
    onError: (e) => {
      if (!isTransientKustoError(e)) return false;
      r.log.warn({ operationId: id, err: String(e) }, 'polling the export failed transiently; polling on');
      return true;
    },
  });
  if (!outcome.done) throw new TimeoutAwaitingPendingOperationException(id, { requestId: r.requestId, context: { waitedMs: outcome.waitedMs, polls: outcome.polls } });
  const state = String(outcome.value['State']);
  if (state !== 'Completed') throw new FailedOperationException(id, state, String(outcome.value['Status'] ?? ''), { requestId: r.requestId });
}
