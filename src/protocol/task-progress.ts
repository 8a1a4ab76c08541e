/**
 * What an executor reports about a task attempt through BullMQ's progress events (the driver's
 * QueueEvents 'progress'), so that the driver sees attempt starts and retried failures, which BullMQ
 * itself reports only as state changes without the error.
 */
export type TaskProgress =
  | { readonly kind: 'started'; readonly attempt: number; readonly executorId: string }
  | {
      readonly kind: 'attempt-failed';
      readonly attempt: number;
      readonly executorId: string;
      /** encodeTaskFailure() text. */
      readonly error: string;
      readonly unrecoverable: boolean;
      readonly willRetry: boolean;
      /** Attempts counted against maxAttempts so far, this one included. */
      readonly attemptsMade: number;
    };

export function parseTaskProgress(data: unknown): TaskProgress | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const o = data as Record<string, unknown>;
  if (typeof o['attempt'] !== 'number' || typeof o['executorId'] !== 'string') return undefined;
  if (o['kind'] === 'started') return { kind: 'started', attempt: o['attempt'], executorId: o['executorId'] };
  if (o['kind'] === 'attempt-failed' && typeof o['error'] === 'string') {
    return {
      kind: 'attempt-failed',
      attempt: o['attempt'],
      executorId: o['executorId'],
      error: o['error'],
      unrecoverable: o['unrecoverable'] === true,
      willRetry: o['willRetry'] === true,
      attemptsMade: typeof o['attemptsMade'] === 'number' ? o['attemptsMade'] : o['attempt'] + 1,
    };
  }
  return undefined;
}
