import { isKjobError } from '../../../errors/kjob-error.js';

/**
 * Every error of a write names its request id (to look its commands up with `.show commands`): errors
 * raised by the pure modules (adjustSchema, the move policy) do not know it, so it is added here.
 */
export function withRequestId(e: unknown, requestId: string): unknown {
  if (isKjobError(e) && e.requestId === undefined) Object.defineProperty(e, 'requestId', { value: requestId, enumerable: true });
  return e;
}
