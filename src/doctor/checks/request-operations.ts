/**
 * Check 2b: the async operations (`.export async`, `.move async extents`, `.drop async … extent tags`)
 * of one job, with their states. An operation belongs to the job when it carries the RootActivityId of
 * one of the job's commands: the service gives the operation the root activity of the request that
 * started it (the emulator does the same).
 */
import { FAILED_OPERATION_CAUSE, failedOperationResolution, OPERATION_TIMEOUT_CAUSE, operationTimeoutResolution } from '../../datasource/kusto/errors/operation-errors.js';
import { formatAge } from '../durations.js';
import type { Finding } from '../finding.js';
import { date, freeText, text, type Row } from '../rows.js';
import { isFailedState } from './request-commands.js';

export function operationsOfRequest(commands: readonly Row[], operations: readonly Row[]): Row[] {
  const roots = new Set(commands.map((c) => text(c, 'RootActivityId').toLowerCase()).filter((s) => s !== ''));
  return operations.filter((o) => roots.has(text(o, 'RootActivityId').toLowerCase()));
}

const STATE_CAUSE: Readonly<Record<string, string>> = {
  throttled: 'The cluster throttled the operation: too many concurrent operations of this kind (capacity policy).',
  abandoned: 'The node running the operation restarted or the operation was abandoned by the service.',
  canceled: 'The operation was cancelled (.cancel operation, or the service cancelled it).',
  cancelled: 'The operation was cancelled (.cancel operation, or the service cancelled it).',
};

export function checkRequestOperations(requestId: string, commands: readonly Row[], operations: readonly Row[], now: Date = new Date()): Finding[] {
  const mine = operationsOfRequest(commands, operations);
  if (mine.length === 0) return [{ check: 'operations', status: 'info', title: `No async operations for request id '${requestId}'`, detail: 'Queued and streaming writes and single-mode reads start none; Transactional writes (.move extents) and distributed reads (.export async) do.' }];
  const out: Finding[] = [];
  const done = mine.filter((o) => text(o, 'State') === 'Completed');
  if (done.length > 0) out.push({ check: 'operations', status: 'ok', title: `${done.length} async operation(s) Completed`, detail: done.map((o) => `${text(o, 'Operation')} ${text(o, 'OperationId')}`).join('\n') });
  for (const o of mine) {
    const id = text(o, 'OperationId');
    const state = text(o, 'State');
    const data = { operationId: id, operation: text(o, 'Operation'), state, status: freeText(o, 'Status'), startedOn: date(o, 'StartedOn')?.toISOString() ?? null };
    if (isFailedState(state)) {
      const extra = STATE_CAUSE[state.toLowerCase()];
      out.push({
        check: 'operations',
        status: 'fail',
        title: `${text(o, 'Operation') || 'Operation'} ${id} ${state}`,
        ...(freeText(o, 'Status') ? { detail: freeText(o, 'Status') } : {}),
        cause: extra ? `${extra} ${FAILED_OPERATION_CAUSE}` : FAILED_OPERATION_CAUSE,
        resolution: failedOperationResolution(id),
        data,
      });
    } else if (state === 'InProgress') {
      const started = date(o, 'StartedOn');
      out.push({
        check: 'operations',
        status: 'info',
        title: `${text(o, 'Operation') || 'Operation'} ${id} InProgress${started ? ` for ${formatAge(now.getTime() - started.getTime())}` : ''}`,
        detail: `If it outlives timeoutLimit the job fails with TimeoutAwaitingPendingOperationException. ${OPERATION_TIMEOUT_CAUSE} ${operationTimeoutResolution(id)}`,
        data,
      });
    }
  }
  return out;
}
