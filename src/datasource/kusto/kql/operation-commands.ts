/** Async-operation commands (`.move async`, `.export async`, `.drop async … extent tags`). */
import { quoteString } from './quote.js';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

// Operation ids are GUIDs and are written bare, as the connector does; anything else is quoted.
function operationId(id: string): string {
  return GUID.test(id) ? id : quoteString(id);
}

/** One row per state change; the last row holds `State` (InProgress, Completed, Failed …) and `Status`. */
export function showOperationsCommand(operationId_: string): string {
  return `.show operations ${operationId(operationId_)}`;
}

/** The result rows of a finished operation (for `.move extents`: one row per moved extent). */
export function showOperationDetailsCommand(operationId_: string): string {
  return `.show operation ${operationId(operationId_)} details`;
}
