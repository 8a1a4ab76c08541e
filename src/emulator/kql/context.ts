import type { KustoColumn, KustoType } from '../contracts.js';
import { DUCKDB_TYPE } from '../storage-types.js';

/** A table as the engine exposes it: a ready-to-use quoted DuckDB relation plus its Kusto schema. */
export interface CatalogTable {
  readonly sqlName: string;
  readonly columns: readonly KustoColumn[];
}
export interface Catalog {
  /** Resolve a table (or `$command_results`) by its Kusto name in the current database; case-sensitive like Kusto. */
  table(name: string): CatalogTable | undefined;
  /** All table names of the current database (for union wildcards and error messages). */
  tableNames(): readonly string[];
}

/** A column of an intermediate relation: its Kusto name and type, and the internal SQL name holding it. */
export interface Col {
  readonly name: string;
  readonly type: KustoType;
  readonly id: string;
}

/**
 * An intermediate relation: one SELECT whose output columns are named by the internal ids of
 * `cols` (never by Kusto names, which DuckDB would compare case-insensitively), each in its
 * storage form (storage-types.ts).
 */
export interface Rel {
  readonly sql: string;
  readonly cols: readonly Col[];
  /** The Kusto table name when the relation is a plain table reference (for union withsource). */
  readonly tableName?: string;
}

/** A translated scalar: SQL text and the Kusto type of its value, in storage form. */
export interface SqlExpr {
  readonly sql: string;
  readonly type: KustoType;
}

export type Binding = { readonly kind: 'scalar'; readonly expr: SqlExpr } | { readonly kind: 'tabular'; readonly rel: Rel };

export interface Ctx {
  readonly catalog: Catalog;
  readonly text: string;
  readonly nowTicks: bigint;
  readonly lets: Map<string, Binding>;
  /** The rows an operator with no left input works on (the subquery of mv-apply). */
  implicitInput: Rel | undefined;
  nextId(prefix?: string): string;
}

/** The columns of the row being evaluated, reachable as `<alias>.<id>`. */
export interface RowScope {
  readonly alias: string;
  readonly cols: readonly Col[];
}

export interface ScalarScope {
  readonly ctx: Ctx;
  readonly row?: RowScope | undefined;
  /** `$left` / `$right` inside a join condition. */
  readonly left?: RowScope | undefined;
  readonly right?: RowScope | undefined;
  /** Inside `summarize`: aggregate function names resolve to aggregates. */
  readonly aggregating?: boolean;
}

export function findCol(scope: RowScope | undefined, name: string): Col | undefined {
  return scope?.cols.find((c) => c.name === name);
}

export function storageCast(sql: string, type: KustoType): string {
  return `CAST(${sql} AS ${DUCKDB_TYPE[type]})`;
}

/** A typed SQL NULL. */
export function nullOf(type: KustoType): string {
  return type === 'string' ? `''` : `CAST(NULL AS ${DUCKDB_TYPE[type]})`;
}
