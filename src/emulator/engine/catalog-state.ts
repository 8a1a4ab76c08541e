import type { DatabaseMeta, ExtentMeta, MappingMeta, TableMeta } from './catalog-types.js';

/**
 * The in-memory mirror of the metadata tables. A write transaction works on a copy and the copy
 * replaces the live state only after DuckDB committed, so readers never see half a change.
 */
export class CatalogState {
  databases = new Map<string, DatabaseMeta>();
  tables = new Map<number, TableMeta>();
  extents = new Map<string, ExtentMeta>();
  /** key: policyKey(); value: the policy JSON text. */
  policies = new Map<string, string>();
  mappings = new Map<string, MappingMeta>();
  nextTableId = 1;

  clone(): CatalogState {
    const c = new CatalogState();
    c.databases = new Map(this.databases);
    c.tables = new Map(this.tables);
    c.extents = new Map(this.extents);
    c.policies = new Map(this.policies);
    c.mappings = new Map(this.mappings);
    c.nextTableId = this.nextTableId;
    return c;
  }

  findTable(database: string, name: string): TableMeta | undefined {
    for (const t of this.tables.values()) if (t.database === database && t.name === name) return t;
    // Kusto resolves entity names case-sensitively but people type them loosely; a unique
    // case-insensitive match is accepted as the service's "did you mean" would not be.
    let found: TableMeta | undefined;
    const lower = name.toLowerCase();
    for (const t of this.tables.values()) {
      if (t.database === database && t.name.toLowerCase() === lower) {
        if (found) return undefined;
        found = t;
      }
    }
    return found;
  }

  tablesOf(database: string): TableMeta[] {
    return [...this.tables.values()].filter((t) => t.database === database);
  }

  extentsOf(tableId: number): ExtentMeta[] {
    return [...this.extents.values()].filter((e) => e.tableId === tableId);
  }
}

export function policyKey(database: string, tableId: number | null, kind: string): string {
  return `${database}|${tableId ?? ''}|${kind}`;
}

export function mappingKey(database: string, tableId: number, kind: string, name: string): string {
  return `${database}|${tableId}|${kind.toLowerCase()}|${name}`;
}
