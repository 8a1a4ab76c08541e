import { childLogger } from '../../util/logger.js';
import type { ExtentMeta } from './catalog-types.js';
import { quoteIdent } from './sql-text.js';
import type { KustoStore } from './store.js';

/**
 * Background merge of small extents, as the service's merge policy does: once a table holds more
 * than `threshold` extents, extents with identical tags (and no drop-by tag) are rewritten as one.
 * Without it every ingestion adds a branch to the table's UNION ALL view and queries slow down
 * with thousands of extents. Tables whose merge policy says AllowMerge=false are left alone (the
 * Spark connector sets that on its temp tables before moving their extents).
 */
const log = childLogger({ component: 'emulator-merge' });

function mergeAllowed(store: KustoStore, database: string, tableId: number): boolean {
  const text = store.policy(database, tableId, 'merge');
  if (!text) return true;
  try {
    const p = JSON.parse(text) as { AllowMerge?: unknown };
    return !(p.AllowMerge === false || String(p.AllowMerge).toLowerCase() === 'false');
  } catch {
    return true;
  }
}

/** Groups of two or more extents of one table that may become one. */
export function mergeGroups(extents: readonly ExtentMeta[]): ExtentMeta[][] {
  const groups = new Map<string, ExtentMeta[]>();
  for (const e of extents) {
    if (e.tags.some((t) => t.startsWith('drop-by:'))) continue;
    const key = JSON.stringify([...e.tags].sort());
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  }
  return [...groups.values()].filter((g) => g.length >= 2);
}

export class ExtentMerger {
  private readonly pending = new Set<number>();
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: KustoStore,
    private readonly threshold = 32,
  ) {}

  /** Called after a commit that added extents to the table. */
  notify(tableId: number): void {
    if (this.stopped || this.threshold <= 0) return;
    const t = this.store.catalog.tables.get(tableId);
    if (!t || this.store.catalog.extentsOf(tableId).length <= this.threshold) return;
    this.pending.add(tableId);
    this.running ??= new Promise<void>((r) => setImmediate(r)).then(() => this.drain()).finally(() => (this.running = undefined));
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.stopped) {
      const [id] = this.pending;
      this.pending.delete(id!);
      try {
        await this.mergeTable(id!);
      } catch (err) {
        log.warn({ err: (err as Error).message, tableId: id }, 'extent merge failed; extents left as they were');
      }
    }
  }

  async mergeTable(tableId: number): Promise<number> {
    return this.store.write(async (tx) => {
      const t = tx.state.tables.get(tableId);
      if (!t || !mergeAllowed(this.store, t.database, t.id)) return 0;
      const extents = tx.state.extentsOf(tableId);
      if (extents.length <= this.threshold) return 0;
      let merged = 0;
      const cols = t.columns.map((c) => quoteIdent(c.name)).join(', ');
      for (const group of mergeGroups(extents)) {
        const select = group.map((e) => `SELECT ${cols} FROM ${e.storage}`).join(' UNION ALL ');
        const storage = await tx.createExtentStorage(t.columns, select);
        const createdOn = group.reduce((m, e) => (e.createdOn > m ? e.createdOn : m), group[0]!.createdOn);
        await tx.addExtent({ tableId, rows: group.reduce((s, e) => s + e.rows, 0), originalSize: group.reduce((s, e) => s + e.originalSize, 0), createdOn, tags: group[0]!.tags, storage });
        for (const e of group) await tx.dropExtent(e);
        merged += group.length;
      }
      return merged;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}
