import type { Expr } from './expr.js';

/**
 * The logical plan: frozen, JSON-serialisable data. The driver builds it through `DataFrame`, cuts it
 * into one stage per action, and ships the per-task part to executors unchanged.
 */

/** An Arrow schema in JSON form (name, logical type, nullability), as it travels in tasks. */
export interface FieldJson {
  readonly name: string;
  /** A DataTypeName, or a nested description for list/struct/map columns. */
  readonly type: string;
  readonly nullable: boolean;
  readonly children?: readonly FieldJson[];
  /** Free-form metadata (e.g. the Kusto column type a field came from). */
  readonly metadata?: Readonly<Record<string, string>>;
}
export interface SchemaJson {
  readonly fields: readonly FieldJson[];
}

/** A source read: format name + options (never secrets: see DataSource.redactOptions) + resolved schema. */
export interface ScanNode {
  readonly kind: 'Scan';
  readonly format: string;
  readonly options: Readonly<Record<string, string>>;
  readonly paths: readonly string[];
  readonly schema: SchemaJson;
  /** Filters the source promised to apply itself (pushdown); the others stay as Filter nodes. */
  readonly pushedFilters: readonly Expr[];
  /** Columns the plan needs from the source, or undefined for all. */
  readonly requiredColumns?: readonly string[];
  /** The schema the user gave with `read.schema(...)`, passed to planRead (additive). */
  readonly userSchema?: SchemaJson;
}
/** `createDataFrame` data, Arrow IPC (base64), capped in size: it travels inside tasks. */
export interface LocalDataNode {
  readonly kind: 'LocalData';
  readonly schema: SchemaJson;
  readonly partitions: readonly string[];
}
export interface RangeNode {
  readonly kind: 'Range';
  readonly start: string; // bigint as decimal text
  readonly end: string;
  readonly step: string;
  readonly partitions: number;
}
export interface ProjectNode {
  readonly kind: 'Project';
  readonly input: PlanNode;
  readonly exprs: readonly Expr[];
}
export interface FilterNode {
  readonly kind: 'Filter';
  readonly input: PlanNode;
  readonly condition: Expr;
}
export interface LimitNode {
  readonly kind: 'Limit';
  readonly input: PlanNode;
  readonly n: number;
}
export interface UnionNode {
  readonly kind: 'Union';
  readonly inputs: readonly PlanNode[];
}
/** Round-robin over the input's splits into n tasks (narrow: no shuffle). */
export interface RepartitionNode {
  readonly kind: 'Repartition';
  readonly input: PlanNode;
  readonly n: number;
}
/** Adjacent splits grouped into at most n tasks. */
export interface CoalesceNode {
  readonly kind: 'Coalesce';
  readonly input: PlanNode;
  readonly n: number;
}
/** User code registered with registerPartitionFunction(name, fn) in the job module. */
export interface MapPartitionsNode {
  readonly kind: 'MapPartitions';
  readonly input: PlanNode;
  readonly name: string;
  /** Output schema, when the function declares one; otherwise the input schema. */
  readonly schema?: SchemaJson;
}

export type PlanNode =
  | ScanNode
  | LocalDataNode
  | RangeNode
  | ProjectNode
  | FilterNode
  | LimitNode
  | UnionNode
  | RepartitionNode
  | CoalesceNode
  | MapPartitionsNode;

export type PlanNodeKind = PlanNode['kind'];
