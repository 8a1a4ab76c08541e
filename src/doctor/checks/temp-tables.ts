/**
 * Check 3: leftover `sparkTempTable_*` staging tables (src/datasource/kusto/naming/staging-names.ts)
 * with their age and row count. A Transactional write drops its staging table when it commits or
 * aborts; one that is left is from a job that was killed, or from one still running.
 */
import { STAGING_TABLE_PREFIX } from '../doctor-commands.js';
import { formatAge } from '../durations.js';
import type { Finding } from '../finding.js';
import { date, num, policyObject, text, type Row } from '../rows.js';

export interface LeftoverTable {
  readonly name: string;
  readonly rows: number;
  readonly extents: number;
  /** Age of the oldest data (the service keeps no creation time for a table); undefined when empty. */
  readonly ageMs: number | undefined;
  readonly oldestData: string | null;
  /** The table's name ends with this request id (the staging name of `--request-id`'s write). */
  readonly ofRequest: boolean;
  /** When its auto_delete policy removes it (the sink sets one on every staging table), if known. */
  readonly autoDeleteOn?: string | null;
}

/** `ExpiryDate` of an auto_delete policy (JSON text or object); null when the table has none. */
export function autoDeleteExpiry(policy: unknown): string | null {
  const p = policyObject(policy);
  const d = p && typeof p['ExpiryDate'] === 'string' ? new Date(p['ExpiryDate']) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : null;
}

export function withAutoDelete(tables: readonly LeftoverTable[], expiries: ReadonlyMap<string, string | null>): LeftoverTable[] {
  return tables.map((t) => (expiries.has(t.name) ? { ...t, autoDeleteOn: expiries.get(t.name) ?? null } : t));
}

/** The staging name ends with `_<requestId>`, non-alphanumerics turned into `_` as the sink names it. */
export function isStagingTableOf(table: string, requestId: string): boolean {
  return table.endsWith(`_${requestId.replace(/[^0-9a-zA-Z]/g, '_')}`);
}

export function leftoverTables(rows: readonly Row[], now: Date, requestId?: string): LeftoverTable[] {
  return rows
    .filter((r) => text(r, 'TableName').startsWith(STAGING_TABLE_PREFIX))
    .map((r) => {
      const oldest = date(r, 'MinExtentsCreationTime');
      return {
        name: text(r, 'TableName'),
        rows: num(r, 'TotalRowCount') ?? 0,
        extents: num(r, 'TotalExtents') ?? 0,
        ageMs: oldest ? Math.max(0, now.getTime() - oldest.getTime()) : undefined,
        oldestData: oldest?.toISOString() ?? null,
        ofRequest: requestId !== undefined && isStagingTableOf(text(r, 'TableName'), requestId),
      };
    })
    .sort((a, b) => (b.ageMs ?? -1) - (a.ageMs ?? -1));
}

function describe(t: LeftoverTable): string {
  const age = t.ageMs === undefined ? 'no data' : `data ${formatAge(t.ageMs)} old`;
  const expiry = t.autoDeleteOn === undefined ? '' : t.autoDeleteOn === null ? ', no auto_delete policy' : `, auto-deleted ${t.autoDeleteOn.slice(0, 16).replace('T', ' ')} UTC`;
  return `${t.name}  ${t.rows} row(s), ${age}${expiry}${t.ofRequest ? '  ← this request' : ''}`;
}

export function checkLeftoverTempTables(database: string, tables: readonly LeftoverTable[]): Finding[] {
  if (tables.length === 0) return [{ check: 'temp-tables', status: 'ok', title: `No leftover ${STAGING_TABLE_PREFIX}* tables in '${database}'` }];
  const lines = tables.map(describe);
  return [{
    check: 'temp-tables',
    status: 'warn',
    title: `${tables.length} leftover ${STAGING_TABLE_PREFIX}* table(s) in '${database}'`,
    detail: lines.join('\n'),
    cause: 'A Transactional write drops its staging table when it commits or aborts; these remain from jobs that were killed or lost their driver (or belong to a write still running). Their auto_delete policy removes them after stagingResourcesAutoCleanupTimeout (7 days by default).',
    resolution: `Make sure no write is running, then drop them: kjob doctor --cluster … --database ${database} --cleanup (or .drop table ['<name>'] ifexists).`,
    data: { tables },
  }];
}
