import type { KustoColumn } from '../contracts.js';

/** The engine's own catalog: what DuckDB stores, seen as Kusto entities. */
export interface DatabaseMeta {
  readonly name: string;
  readonly volatile: boolean;
}

export interface TableMeta {
  /** Internal id; the table's view is "_kjob_v"."t<id>", so renames touch no data. */
  readonly id: number;
  readonly database: string;
  readonly name: string;
  readonly columns: readonly KustoColumn[];
  readonly folder: string;
  readonly docString: string;
  readonly hidden: boolean;
}

export interface ExtentMeta {
  readonly id: string;
  readonly tableId: number;
  readonly rows: number;
  readonly originalSize: number;
  /** Creation time, 100-ns ticks since the epoch. */
  readonly createdOn: bigint;
  readonly tags: readonly string[];
  /** The DuckDB table holding the rows, "_kjob_x"."e_<hex>"; it never changes when the extent moves. */
  readonly storage: string;
}

export type PolicyKind = 'ingestionbatching' | 'merge' | 'retention' | 'streamingingestion' | 'auto_delete' | 'caching' | 'partitioning' | 'update' | 'sharding' | 'ingestiontime' | 'rowstore' | 'encoding' | 'extent_tags_retention' | 'row_level_security' | 'restricted_view_access' | 'mirroring';

export interface MappingMeta {
  readonly database: string;
  readonly tableId: number;
  readonly kind: string;
  readonly name: string;
  readonly mapping: string;
  readonly lastUpdatedOn: bigint;
}
