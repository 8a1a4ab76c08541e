import { type Schema, Table } from 'apache-arrow';
import { tableFromBase64 } from '../arrow/ipc-base64.js';
import { unifyBatches } from '../arrow/unify-batches.js';
import { schemaToJson } from '../arrow/schema-json.js';
import { toArrowSchema, type SchemaSpec } from '../arrow/schema-spec.js';
import { typeName } from '../arrow/data-types.js';
import { PlanError } from '../errors/kjob-error.js';
import { analyzeStep, unionSchema } from '../plan/analyze.js';
import { Column } from '../plan/column.js';
import { explainPlan } from '../plan/explain.js';
import { explainTasks } from '../plan/explain-tasks.js';
import { pruneForCount } from '../plan/prune-for-count.js';
import type { Expr } from '../plan/expr.js';
import { col } from '../plan/functions.js';
import type { PlanNode } from '../plan/plan-node.js';
import type { CollectOutput, CountOutput } from '../plan/task-plan.js';
import { resolveColumn } from '../plan/type-rules.js';
import { tableToRows, type Row } from './collect-rows.js';
import { DataFrameWriter } from './dataframe-writer.js';
import { planAction, runAction, type ActionHost } from './run-action.js';
import { formatShow } from './show.js';

/** A plan node together with its analyzed output schema. */
export interface ResolvedPlan {
  readonly node: PlanNode;
  readonly schema: Schema;
}

/** A column argument: a name, `'*'`, or a Column. */
export type ColumnArg = string | Column;

/**
 * An immutable, lazy distributed table: transformations return new DataFrames (the receiver never
 * changes) and nothing runs until an action (`collect`, `count`, `show`, `toArrow`,
 * `foreachPartition`, `write…save`).
 *
 * Plans over in-driver data (createDataFrame, range) are analyzed eagerly, so an unknown column or a
 * type mismatch throws at the `select`/`filter` call. Plans over a source (`read…load`) learn their
 * schema asynchronously; their errors surface at the first action (still before any task runs) or
 * at `await df.schema()`.
 */
export class DataFrame {
  readonly #host: ActionHost;
  readonly #state: ResolvedPlan | Promise<ResolvedPlan>;

  /** @internal Use Session.createDataFrame, Session.range or Session.read. */
  constructor(host: ActionHost, state: ResolvedPlan | Promise<ResolvedPlan>) {
    this.#host = host;
    this.#state = state;
    // A DataFrame that is built but never used must not crash the process with an unhandled rejection.
    if (state instanceof Promise) state.catch(() => undefined);
  }

  // ---- transformations -------------------------------------------------------------------------

  /** Columns by name (`'*'` for all) or expression; unaliased expressions are named by their text. */
  select(...cols: (ColumnArg | ColumnArg[])[]): DataFrame {
    const args = cols.flat();
    return this.#derive((r) => ({ kind: 'Project', input: r.node, exprs: args.flatMap((c) => expand(c, r.schema)) }));
  }

  /** Rows where `condition` is true (null counts as false). */
  filter(condition: Column): DataFrame {
    if (!(condition instanceof Column)) throw new PlanError('filter() needs a Column condition, e.g. col("delay").gt(30); SQL text is not supported');
    return this.#derive((r) => ({ kind: 'Filter', input: r.node, condition: condition.expr }));
  }
  where(condition: Column): DataFrame {
    return this.filter(condition);
  }

  /** Adds a column, or replaces the column of that name in place. */
  withColumn(name: string, value: Column): DataFrame {
    if (!(value instanceof Column)) throw new PlanError(`withColumn('${name}', …) needs a Column; wrap literals in lit()`);
    return this.#derive((r) => {
      const fields = r.schema.fields;
      const at = fields.findIndex((f) => f.name === name);
      const exprs: Expr[] = fields.map((f) => col(f.name).expr);
      const added: Expr = { kind: 'alias', expr: value.expr, name };
      if (at >= 0) exprs[at] = added;
      else exprs.push(added);
      return { kind: 'Project', input: r.node, exprs };
    });
  }

  /** Adds or replaces several columns at once (in the record's order). */
  withColumns(columns: Readonly<Record<string, Column>>): DataFrame {
    return Object.entries(columns).reduce<DataFrame>((df, [name, c]) => df.withColumn(name, c), this);
  }

  /** Renames a column; a no-op when there is no such column (as in Spark). */
  withColumnRenamed(existing: string, renamed: string): DataFrame {
    return this.#derive((r) => {
      if (!r.schema.fields.some((f) => f.name === existing)) return undefined;
      return { kind: 'Project', input: r.node, exprs: r.schema.fields.map((f): Expr => (f.name === existing ? { kind: 'alias', expr: col(f.name).expr, name: renamed } : col(f.name).expr)) };
    });
  }

  /** Removes columns; names that do not exist are ignored (as in Spark). */
  drop(...cols: ColumnArg[]): DataFrame {
    return this.#derive((r) => {
      const names = new Set(cols.map((c) => (typeof c === 'string' ? c : c.expr.kind === 'col' ? c.expr.name : '')));
      const kept = r.schema.fields.filter((f) => !names.has(f.name));
      if (kept.length === r.schema.fields.length) return undefined;
      if (kept.length === 0) throw new PlanError(`drop(${[...names].join(', ')}) would remove every column`);
      return { kind: 'Project', input: r.node, exprs: kept.map((f) => col(f.name).expr) };
    });
  }

  /** The first n rows (in partition order). */
  limit(n: number): DataFrame {
    return this.#derive((r) => ({ kind: 'Limit', input: r.node, n }));
  }

  /**
   * Rows of both DataFrames, matched by column position (as Spark's union); column names come from
   * this DataFrame and types are widened where they differ (int32 + int64 → int64).
   */
  union(other: DataFrame): DataFrame {
    const combine = (a: ResolvedPlan, b: ResolvedPlan): ResolvedPlan => {
      const schema = unionSchema([a.schema, b.schema]);
      const inputs = [conform(a, schema), conform(b, schema)];
      return { node: { kind: 'Union', inputs }, schema };
    };
    const a = this.#state;
    const b = other.#state;
    return new DataFrame(this.#host, a instanceof Promise || b instanceof Promise ? Promise.all([a, b]).then(([x, y]) => combine(x, y)) : combine(a, b));
  }
  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }

  /**
   * Union matching columns by name (case-insensitively) instead of position. A column missing on
   * one side is an error, or null-filled with `allowMissingColumns` (as Spark's unionByName).
   */
  unionByName(other: DataFrame, options: { allowMissingColumns?: boolean } = {}): DataFrame {
    const allow = options.allowMissingColumns ?? false;
    const align = (a: ResolvedPlan, b: ResolvedPlan): DataFrame => {
      const find = (s: Schema, name: string) => s.fields.find((f) => f.name === name) ?? s.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
      const names = [...a.schema.fields.map((f) => f.name)];
      if (allow) for (const f of b.schema.fields) if (!find(a.schema, f.name)) names.push(f.name);
      const side = (r: ResolvedPlan, label: string): Expr[] =>
        names.map((n) => {
          const f = find(r.schema, n);
          if (f) return f.name === n ? col(n).expr : { kind: 'alias', expr: col(f.name).expr, name: n };
          if (!allow) throw new PlanError(`unionByName(): column '${n}' is missing on the ${label} side; available: ${r.schema.fields.map((x) => x.name).join(', ')}`, { context: { column: n } });
          return { kind: 'alias', expr: { kind: 'lit', value: null }, name: n };
        });
      const left = new DataFrame(this.#host, a).#derive((r) => ({ kind: 'Project', input: r.node, exprs: side(r, 'left') }));
      if (!allow && b.schema.fields.length !== names.length) {
        const extra = b.schema.fields.filter((f) => !find(a.schema, f.name)).map((f) => f.name);
        throw new PlanError(`unionByName(): column(s) ${extra.map((n) => `'${n}'`).join(', ')} exist only on the right side`, { resolution: 'Pass { allowMissingColumns: true } to fill them with nulls.' });
      }
      return left.union(new DataFrame(this.#host, b).#derive((r) => ({ kind: 'Project', input: r.node, exprs: side(r, 'right') })));
    };
    const a = this.#state;
    const b = other.#state;
    if (a instanceof Promise || b instanceof Promise) {
      const joined = Promise.all([a, b]).then(([x, y]) => align(x, y).#state);
      return new DataFrame(this.#host, joined);
    }
    return align(a, b);
  }

  /** Deals the input's splits round-robin to n tasks (narrow: no shuffle, so never more tasks than splits). */
  repartition(n: number): DataFrame {
    return this.#derive((r) => ({ kind: 'Repartition', input: r.node, n }));
  }

  /** Groups adjacent splits into at most n tasks. */
  coalesce(n: number): DataFrame {
    return this.#derive((r) => ({ kind: 'Coalesce', input: r.node, n }));
  }

  /**
   * Runs the partition function registered under `name` (registerPartitionFunction) over each
   * partition. `schema` declares its output columns when they differ from the input's.
   */
  mapPartitions(name: string, schema?: SchemaSpec): DataFrame {
    const declared = schema === undefined ? undefined : schemaToJson(toArrowSchema(schema));
    return this.#derive((r) => ({ kind: 'MapPartitions', input: r.node, name, ...(declared ? { schema: declared } : {}) }));
  }

  // ---- metadata ---------------------------------------------------------------------------------

  /** The output schema (resolving the source's schema if needed). */
  async schema(): Promise<Schema> {
    return (await this.#state).schema;
  }
  async columns(): Promise<string[]> {
    return (await this.schema()).fields.map((f) => f.name);
  }
  /** The schema as an indented tree, like Spark's printSchema. */
  async schemaString(): Promise<string> {
    const s = await this.schema();
    return ['root', ...s.fields.map((f) => ` |-- ${f.name}: ${typeName(f.type)} (nullable = ${f.nullable})`)].join('\n') + '\n';
  }
  async printSchema(): Promise<void> {
    process.stdout.write(await this.schemaString());
  }
  /** How many tasks an action on this DataFrame runs (Spark's `rdd.getNumPartitions()`); plans the read, runs nothing. */
  async numPartitions(): Promise<number> {
    const r = await this.#state;
    const planned = await planAction(this.#host, r.node, { kind: 'count' }, this.#host.nextJobId());
    await planned.cleanup();
    return planned.plans.length;
  }

  /** The logical plan (frozen JSON data). */
  async plan(): Promise<PlanNode> {
    return (await this.#state).node;
  }
  /**
   * The logical plan; with `'extended'` also the tasks a collect would run and what each source was
   * offered and accepted for pushdown (this plans the read with the sources, but runs no task).
   */
  async explainString(mode: 'simple' | 'extended' = 'simple'): Promise<string> {
    const r = await this.#state;
    const logical = `== Logical Plan ==\n${explainPlan(r.node)}\n`;
    if (mode === 'simple') return logical;
    const planned = await planAction(this.#host, r.node, { kind: 'collect' }, this.#host.nextJobId());
    try {
      const scans = planned.scans.map((s) => ({ format: s.format, offeredFilters: s.offer.filters, ...(s.offer.requiredColumns ? { requiredColumns: s.offer.requiredColumns } : {}), pushedFilters: s.pushedFilters, splits: s.splits }));
      return `${logical}== Physical Plan ==\n${explainTasks(planned.plans, scans)}\n`;
    } finally {
      await planned.cleanup();
    }
  }
  async explain(mode: 'simple' | 'extended' = 'simple'): Promise<void> {
    process.stdout.write(await this.explainString(mode));
  }

  // ---- actions ----------------------------------------------------------------------------------

  /** All rows as plain objects (int64 → bigint, timestamps and dates → Date, decimals → string). */
  async collect(): Promise<Row[]> {
    return tableToRows(await this.toArrow());
  }

  /** All rows as one Arrow table. */
  async toArrow(): Promise<Table> {
    const r = await this.#state;
    const results = await runAction(this.#host, r.node, { kind: 'collect' });
    const batches = results.flatMap((t) => {
      const out = t.output as CollectOutput;
      return out.ipc ? tableFromBase64(out.ipc).batches : [];
    });
    const unified = unifyBatches(batches, r.schema);
    let table = unified.batches.length ? new Table(unified.schema, unified.batches) : new Table(r.schema);
    // limit(n) over several partitions is also cut on the driver.
    if (r.node.kind === 'Limit' && table.numRows > r.node.n) table = table.slice(0, r.node.n);
    return table;
  }

  async count(): Promise<number> {
    const r = await this.#state;
    const results = await runAction(this.#host, pruneForCount(r.node), { kind: 'count' });
    const total = results.reduce((s, t) => s + (t.output as CountOutput).count, 0);
    return r.node.kind === 'Limit' ? Math.min(total, r.node.n) : total;
  }

  async take(n: number): Promise<Row[]> {
    return this.limit(n).collect();
  }
  async head(n = 1): Promise<Row[]> {
    return this.take(n);
  }
  async first(): Promise<Row | undefined> {
    return (await this.take(1))[0];
  }

  /** The table `show` prints. */
  async showString(n = 20, truncate: boolean | number = true): Promise<string> {
    const table = await this.limit(n + 1).toArrow();
    return formatShow(table, n, truncate);
  }
  /** Prints the first n rows as a table, like Spark's show(). */
  async show(n = 20, truncate: boolean | number = true): Promise<void> {
    process.stdout.write(await this.showString(n, truncate));
  }

  /** Runs the registered foreachPartition function (registerForeachPartitionFunction) on every partition. */
  async foreachPartition(name: string): Promise<void> {
    const r = await this.#state;
    await runAction(this.#host, r.node, { kind: 'foreach', name });
  }

  /** A writer for this DataFrame (immutable builder: each call returns a new writer). */
  get write(): DataFrameWriter {
    return new DataFrameWriter(this.#host, () => Promise.resolve(this.#state));
  }

  /** Builds the next plan step and analyzes it (synchronously when this plan is resolved). */
  #derive(step: (r: ResolvedPlan) => PlanNode | undefined): DataFrame {
    const apply = (r: ResolvedPlan): ResolvedPlan => {
      const node = step(r);
      if (!node) return r;
      return { node: deepFreeze(node), schema: analyzeStep(node, [r.schema]) };
    };
    const s = this.#state;
    return new DataFrame(this.#host, s instanceof Promise ? s.then(apply) : apply(s));
  }
}

function expand(c: ColumnArg, schema: Schema): Expr[] {
  if (c === '*') return schema.fields.map((f) => col(f.name).expr);
  if (typeof c === 'string') {
    resolveColumn(schema, c, 'select');
    return [col(c).expr];
  }
  if (!(c instanceof Column)) throw new PlanError(`select() takes column names or Columns, got ${typeof c}`);
  return [c.expr];
}

/** Casts/renames a union input's columns to the union's schema where they differ. */
function conform(r: ResolvedPlan, target: Schema): PlanNode {
  const same = r.schema.fields.every((f, i) => f.name === target.fields[i]!.name && typeName(f.type) === typeName(target.fields[i]!.type));
  if (same) return r.node;
  return {
    kind: 'Project',
    input: r.node,
    exprs: r.schema.fields.map((f, i): Expr => {
      const t = target.fields[i]!;
      const source: Expr = col(f.name).expr;
      const typed: Expr = typeName(f.type) === typeName(t.type) ? source : { kind: 'cast', expr: source, to: typeName(t.type) as never };
      return typed.kind === 'col' && f.name === t.name ? typed : { kind: 'alias', expr: typed, name: t.name };
    }),
  };
}

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object') {
    Object.freeze(x);
    for (const v of Object.values(x)) if (typeof v === 'object') deepFreeze(v);
  }
  return x;
}
