/**
 * `--cleanup`: drops leftover staging tables (`.drop table ['…'] ifexists`, escaped). Which tables,
 * and whether the user confirmed, is decided by the caller; this only drops and reports.
 */
import { dropTableIfExistsCommand } from '../datasource/kusto/kql/table-commands.js';
import { redact } from '../util/redact.js';
import type { LeftoverTable } from './checks/temp-tables.js';
import type { Finding } from './finding.js';
import type { DoctorClient } from './run-doctor.js';

/** With a request id, only that request's staging tables; otherwise every leftover. */
export function tablesToClean(leftovers: readonly LeftoverTable[], requestId: string | undefined): LeftoverTable[] {
  return requestId === undefined ? [...leftovers] : leftovers.filter((t) => t.ofRequest);
}

export async function dropLeftoverTables(client: DoctorClient, database: string, tables: readonly LeftoverTable[]): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const t of tables) {
    try {
      await client.mgmt(database, dropTableIfExistsCommand(t.name), 'KJOB.doctor.cleanup');
      out.push({ check: 'cleanup', status: 'ok', title: `Dropped ${t.name} (${t.rows} row(s))`, data: { table: t.name } });
    } catch (e) {
      out.push({
        check: 'cleanup',
        status: 'fail',
        title: `Could not drop ${t.name}`,
        detail: redact(e instanceof Error ? e.message : String(e)),
        cause: 'Dropping a table needs Database Admin (or Table Admin on it).',
        resolution: `Drop it as an admin: .drop table ['${t.name}'] ifexists`,
        data: { table: t.name },
      });
    }
  }
  return out;
}

/**
 * The findings after a cleanup: the leftover warning is kept only for tables still there, so a
 * complete cleanup leaves a clean report.
 */
export function afterCleanup(findings: readonly Finding[], dropped: readonly Finding[], leftovers: readonly LeftoverTable[]): Finding[] {
  const gone = new Set(dropped.filter((f) => f.status === 'ok').map((f) => String(f.data?.['table'])));
  const remaining = leftovers.filter((t) => !gone.has(t.name));
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.check === 'temp-tables' && f.status === 'warn' && remaining.length === 0) continue;
    if (f.check === 'temp-tables' && f.status === 'warn') {
      const detail = (f.detail ?? '').split('\n').filter((line) => !gone.has(line.split(/\s+/)[0] ?? '')).join('\n');
      out.push({ ...f, title: `${remaining.length} leftover sparkTempTable_* table(s) remain`, detail, data: { tables: remaining } });
      continue;
    }
    out.push(f);
  }
  return [...out, ...dropped];
}
