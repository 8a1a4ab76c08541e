/**
 * Check 1b: the caller's roles on the database, from `.show principal roles` (rows with Scope, Role,
 * DisplayName). Services that refuse or lack the command give an informational line, not a failure.
 */
import type { Finding } from '../finding.js';
import { text, type Row } from '../rows.js';

export type RoleKind = 'admin' | 'ingestor' | 'viewer';

/** Kusto role names → the three levels kjob's paths need (user/monitor read, so they count as viewer). */
export function roleKindOf(role: string): RoleKind | undefined {
  const r = role.toLowerCase();
  if (r.includes('admin')) return 'admin';
  if (r.includes('ingestor')) return 'ingestor';
  if (r.includes('viewer') || r.includes('user') || r.includes('monitor')) return 'viewer';
  return undefined;
}

function appliesTo(row: Row, database: string): boolean {
  const scope = `${text(row, 'Scope')} ${text(row, 'DisplayName')}`.toLowerCase();
  if (/\bcluster\b|alldatabases/.test(scope) || /alldatabases/i.test(text(row, 'Role'))) return true;
  const db = database.toLowerCase();
  return scope.split(/[^a-z0-9_.-]+/).includes(db) || scope.includes(`[${db}]`) || scope.includes(`'${db}'`);
}

export function rolesOn(database: string, rows: readonly Row[]): RoleKind[] {
  const kinds = new Set<RoleKind>();
  for (const r of rows) {
    if (!appliesTo(r, database)) continue;
    const k = roleKindOf(text(r, 'Role'));
    if (k) kinds.add(k);
  }
  // admin implies the others, as in the service.
  if (kinds.has('admin')) return ['admin', 'ingestor', 'viewer'];
  return (['ingestor', 'viewer'] as const).filter((k) => kinds.has(k));
}

const NEEDS = 'Reads need Viewer; Queued/KustoStreaming writes need Ingestor (and Admin when the table must be created); Transactional writes need Admin (staging table, .move extents).';

export function checkRoles(database: string, input: { rows: readonly Row[] } | { error: string }): Finding[] {
  if ('error' in input) {
    return [{ check: 'roles', status: 'info', title: 'Roles not checked: the service did not answer .show principal roles', detail: input.error }];
  }
  const kinds = rolesOn(database, input.rows);
  const data = { roles: kinds, rows: input.rows.map((r) => ({ scope: text(r, 'Scope'), role: text(r, 'Role') })) };
  if (kinds.length === 0) {
    return [{
      check: 'roles',
      status: 'warn',
      title: `The caller has no role on database '${database}'`,
      cause: 'Without a database role every query and ingestion is refused (HTTP 403).',
      resolution: `A database admin grants one: .add database ['${database}'] admins|ingestors|viewers ('aadapp=<app id>;<tenant>'). ${NEEDS}`,
      data,
    }];
  }
  if (kinds.includes('admin')) return [{ check: 'roles', status: 'ok', title: `Roles on '${database}': admin (implies ingestor and viewer)`, data }];
  return [{ check: 'roles', status: 'info', title: `Roles on '${database}': ${kinds.join(', ')}`, detail: NEEDS, data }];
}
