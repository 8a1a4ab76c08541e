import { childLogger } from '../../util/logger.js';
import type { KustoStore } from './store.js';
import { parseDatetime, nowTicks } from './ticks.js';

/**
 * Honours `auto_delete` policies: a table whose ExpiryDate has passed is dropped (unless it holds
 * data and DeleteIfNotEmpty is false), as the service does for the connector's temp tables.
 */
const log = childLogger({ component: 'emulator-auto-delete' });

export function expiredTables(store: KustoStore, now: bigint): number[] {
  const out: number[] = [];
  for (const t of store.catalog.tables.values()) {
    const text = store.policy(t.database, t.id, 'auto_delete');
    if (!text) continue;
    try {
      const p = JSON.parse(text) as { ExpiryDate?: string; DeleteIfNotEmpty?: boolean };
      const expiry = p.ExpiryDate ? parseDatetime(p.ExpiryDate) : undefined;
      if (expiry === undefined || expiry > now) continue;
      if (!p.DeleteIfNotEmpty && store.catalog.extentsOf(t.id).some((e) => e.rows > 0)) continue;
      out.push(t.id);
    } catch {
      // an unreadable policy deletes nothing
    }
  }
  return out;
}

export function startAutoDelete(store: KustoStore, intervalMs = 5_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    const ids = expiredTables(store, nowTicks());
    if (ids.length === 0) return;
    running = true;
    void store
      .write(async (tx) => {
        for (const id of ids) {
          const t = tx.state.tables.get(id);
          if (!t) continue;
          await tx.dropTable(t);
          log.info({ database: t.database, table: t.name }, 'auto_delete policy expired: table dropped');
        }
      })
      .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'auto_delete sweep failed'))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
