/**
 * Outcomes of asynchronous writes (a sink's `WriteJob.async`, e.g. Kusto's `writeEnableAsync`): `save()`
 * returns at once and the tasks and the commit go on in the background; the outcome is kept here by
 * the write's id for the rest of the process (a handle can be asked for after the fact).
 */
import type { WriteSummary } from '../datasource/datasource.js';

const outcomes = new Map<string, Promise<WriteSummary>>();

export function registerAsyncWrite(id: string, outcome: Promise<WriteSummary>): void {
  outcomes.set(id, outcome);
}

/** The outcome of the asynchronous write with this id: resolves with its summary, rejects with its error. */
export function asyncWriteOutcome(id: string): Promise<WriteSummary> | undefined {
  return outcomes.get(id);
}
