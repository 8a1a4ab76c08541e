/** Errors of Kusto async operations (`.move async`, `.export async`) and of the move-extents loop. */
import { KjobError, type KjobErrorDetails } from '../../../errors/kjob-error.js';

/** The guide's words for each failure, shared with `kjob doctor` (src/doctor), which reports the same causes. */
export const OPERATION_TIMEOUT_CAUSE = 'The operation (export or move of a large data set) takes longer than timeoutLimit, or the cluster is overloaded.';
export const operationTimeoutResolution = (operationId: string): string => `Track it with '.show operations ${operationId}'; raise timeoutLimit (seconds) if it is only slow.`;
export const FAILED_OPERATION_CAUSE = 'Kusto rejected or aborted the operation; Status holds its reason (e.g. permissions on the export storage, a schema difference between staging and destination).';
export const failedOperationResolution = (operationId: string): string => `Inspect '.show operations ${operationId}' and '.show operation ${operationId} details'.`;
export const MOVE_RETRIES_EXHAUSTED_CAUSE = 'Move extents kept failing: schema differences between the staging and destination table, a materialized view on the destination, or cluster load.';
export const MOVE_RETRIES_EXHAUSTED_RESOLUTION = 'Check .show operations for the failed moves; consider writeMode=Queued, or raise maxRetriesOnMoveExtents.';

/** The wait for an async operation outlived `timeoutLimit`. The operation may still be running. */
export class TimeoutAwaitingPendingOperationException extends KjobError {
  override name = 'TimeoutAwaitingPendingOperationException';
  readonly operationId: string;
  constructor(operationId: string, details: KjobErrorDetails = {}) {
    super('KUSTO_TIMEOUT', `Timed out while waiting for operation with OperationId '${operationId}'`, {
      likelyCause: OPERATION_TIMEOUT_CAUSE,
      resolution: operationTimeoutResolution(operationId),
      ...details,
      context: { operationId, ...details.context },
      retryable: false,
    });
    this.operationId = operationId;
  }
}

/** An async operation ended in a state other than Completed. */
export class FailedOperationException extends KjobError {
  override name = 'FailedOperationException';
  readonly operationId: string;
  readonly state: string;
  readonly status: string;
  constructor(operationId: string, state: string, status: string, details: KjobErrorDetails = {}) {
    super('KUSTO_OPERATION_FAILED', `Failed to execute Kusto operation with OperationId '${operationId}', State: '${state}', Status: '${status}'`, {
      likelyCause: FAILED_OPERATION_CAUSE,
      resolution: failedOperationResolution(operationId),
      ...details,
      context: { operationId, state, status, ...details.context },
    });
    this.operationId = operationId;
    this.state = state;
    this.status = status;
  }
}

/**
 * The move of staging extents into the destination failed too often. The connector's text is kept,
 * including its missing space before "and" ("…tries and 3 were moved" reads "…triesand 3…"): log
 * scrapers written for the connector keep matching.
 */
export class RetriesExhaustedException extends KjobError {
  override name = 'RetriesExhaustedException';
  constructor(retries: number, movedExtents: number | undefined, details: KjobErrorDetails = {}) {
    super('RETRIES_EXHAUSTED', `Failed to move extents after ${retries} tries${movedExtents ? `and ${movedExtents} were moved` : ''}.`, {
      likelyCause: MOVE_RETRIES_EXHAUSTED_CAUSE,
      resolution: MOVE_RETRIES_EXHAUSTED_RESOLUTION,
      ...details,
      context: { retries, movedExtents, ...details.context },
      retryable: false,
    });
  }
}
