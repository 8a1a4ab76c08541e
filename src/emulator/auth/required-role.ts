import type { EndpointKind } from '../contracts.js';
import type { DatabaseRole } from './role-store.js';

/**
 * The role a request needs, by endpoint and command text. Pure.
 * - queries and read-only commands (`.show`, `.export`): viewer;
 * - data ingestion (`.ingest`, `.append`, `.set`, `.set-or-append`, `.set-or-replace`, streaming,
 *   `.get ingestion resources`, `.get kusto identity token`): ingestor;
 * - `.create table` / `.create-merge table(s)`: user;
 * - every other control command: admin;
 * - `.emulator ...`: cluster admin only (the fault-control surface).
 * `anyDatabase` marks DM commands that the SDK sends on NetDefaultDB: the role may be held on any database.
 */
export interface RoleRequirement {
  readonly role: DatabaseRole | 'clusterAdmin';
  readonly anyDatabase: boolean;
  /** What the request does, for the 403 message. */
  readonly operation: string;
}

export function requiredRole(endpoint: EndpointKind, text: string): RoleRequirement {
  const t = text.trim();
  if (endpoint === 'ingest') return { role: 'ingestors', anyDatabase: false, operation: 'streaming ingestion' };
  if (endpoint === 'query' || !t.startsWith('.')) return { role: 'viewers', anyDatabase: false, operation: 'query' };
  const words = t.toLowerCase().split(/[\s(]+/).slice(0, 3);
  const [w0 = '', w1 = '', w2 = ''] = words;
  const op = `${w0}${w1 ? ` ${w1}` : ''}`;
  if (w0 === '.emulator') return { role: 'clusterAdmin', anyDatabase: false, operation: op };
  if (w0 === '.get' && ((w1 === 'ingestion' && w2 === 'resources') || (w1 === 'kusto' && w2 === 'identity'))) {
    return { role: 'ingestors', anyDatabase: true, operation: op };
  }
  if (w0 === '.show' && w1 === 'export' && w2 === 'containers') return { role: 'viewers', anyDatabase: true, operation: op };
  if (w0 === '.show') return { role: 'viewers', anyDatabase: false, operation: op };
  if (w0 === '.export') return { role: 'viewers', anyDatabase: false, operation: '.export' };
  if (['.ingest', '.append', '.set', '.set-or-append', '.set-or-replace'].includes(w0)) return { role: 'ingestors', anyDatabase: false, operation: w0 };
  if ((w0 === '.create' || w0 === '.create-merge') && (w1 === 'table' || w1 === 'tables')) return { role: 'users', anyDatabase: false, operation: op };
  return { role: 'admins', anyDatabase: false, operation: op };
}

/** Singular role name as ADX words it in messages ("Database Ingestor"). */
export function roleTitle(role: DatabaseRole | 'clusterAdmin'): string {
  switch (role) {
    case 'admins':
      return 'Admin';
    case 'users':
      return 'User';
    case 'viewers':
      return 'Viewer';
    case 'ingestors':
      return 'Ingestor';
    case 'clusterAdmin':
      return 'Cluster Admin';
  }
}
