import { randomUUID } from 'node:crypto';
import type { AsyncOperation, ResultTable } from '../contracts.js';

/**
 * The async-operation registry behind `.move async`, `.set-or-append async`, `.drop async … extent
 * tags`, `.export async`: an operation is InProgress until its work settles, then Completed (with
 * the details `.show operation <id> details` returns) or Failed with the error as Status.
 */
export class OperationRegistry {
  private readonly ops = new Map<string, AsyncOperation>();
  private readonly pending = new Set<Promise<void>>();

  start(database: string, operation: string, clientRequestId: string | undefined, run: () => Promise<ResultTable | undefined>): string {
    const operationId = randomUUID();
    const startedOn = new Date();
    const base = { operationId, operation, database, startedOn, ...(clientRequestId === undefined ? {} : { clientRequestId }) };
    this.ops.set(operationId, { ...base, state: 'InProgress', status: '', lastUpdatedOn: startedOn });
    const p = (async () => {
      // Let the caller see InProgress and return the id before any work happens.
      await new Promise((r) => setImmediate(r));
      try {
        const details = await run();
        this.ops.set(operationId, { ...base, state: 'Completed', status: '', lastUpdatedOn: new Date(), ...(details ? { details } : {}) });
      } catch (err) {
        this.ops.set(operationId, { ...base, state: 'Failed', status: (err as Error).message, lastUpdatedOn: new Date() });
      }
    })();
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return operationId;
  }

  get(operationId: string): AsyncOperation | undefined {
    return this.ops.get(operationId);
  }

  list(): AsyncOperation[] {
    return [...this.ops.values()];
  }

  /** Waits for running operations (used when the emulator stops). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
