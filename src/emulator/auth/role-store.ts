/**
 * Database roles of the emulator's optional auth mode: which principal holds which role on which
 * database. Principals are written as Kusto FQNs (`aadapp=<id>[;<tenant>]`, `aaduser=<upn>`,
 * `aadgroup=...`), compared case-insensitively; a principal written without a tenant matches the
 * same principal with any tenant.
 *
 * Role implications follow ADX: admin ⊇ user ⊇ viewer, admin ⊇ ingestor.
 */
export type DatabaseRole = 'admins' | 'users' | 'viewers' | 'ingestors';
export const DATABASE_ROLES: readonly DatabaseRole[] = ['admins', 'users', 'viewers', 'ingestors'];

export interface RoleAssignment {
  readonly database: string;
  readonly role: DatabaseRole;
  readonly principal: string;
  readonly notes: string;
}

const IMPLIED_BY: Record<DatabaseRole, readonly DatabaseRole[]> = {
  admins: ['admins'],
  users: ['users', 'admins'],
  viewers: ['viewers', 'users', 'admins'],
  ingestors: ['ingestors', 'admins'],
};

export function normalisePrincipal(p: string): string {
  return p.trim().toLowerCase();
}

export function principalsMatch(a: string, b: string): boolean {
  const x = normalisePrincipal(a);
  const y = normalisePrincipal(b);
  if (x === y) return true;
  const [xId, xTenant] = x.split(';');
  const [yId, yTenant] = y.split(';');
  return xId === yId && (xTenant === undefined || yTenant === undefined);
}

export class RoleStore {
  private readonly assignments: RoleAssignment[] = [];

  add(database: string, role: DatabaseRole, principal: string, notes = ''): void {
    if (this.assignments.some((a) => a.database.toLowerCase() === database.toLowerCase() && a.role === role && normalisePrincipal(a.principal) === normalisePrincipal(principal))) return;
    this.assignments.push({ database, role, principal: principal.trim(), notes });
  }

  /** Returns how many assignments were removed. */
  drop(database: string, role: DatabaseRole, principal: string): number {
    let removed = 0;
    for (let i = this.assignments.length - 1; i >= 0; i--) {
      const a = this.assignments[i]!;
      if (a.database.toLowerCase() === database.toLowerCase() && a.role === role && principalsMatch(a.principal, principal)) {
        this.assignments.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  list(database: string): readonly RoleAssignment[] {
    return this.assignments.filter((a) => a.database.toLowerCase() === database.toLowerCase());
  }

  /** Whether `principal` holds `role` (or a role implying it) on `database`. */
  has(principal: string, database: string, role: DatabaseRole): boolean {
    const ok = IMPLIED_BY[role];
    return this.assignments.some((a) => a.database.toLowerCase() === database.toLowerCase() && ok.includes(a.role) && principalsMatch(a.principal, principal));
  }

  /** Whether `principal` holds `role` on any database (DM commands are sent on NetDefaultDB). */
  hasAnywhere(principal: string, role: DatabaseRole): boolean {
    const ok = IMPLIED_BY[role];
    return this.assignments.some((a) => ok.includes(a.role) && principalsMatch(a.principal, principal));
  }
}
