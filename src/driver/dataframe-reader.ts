import type { Schema } from 'apache-arrow';
import { schemaToJson } from '../arrow/schema-json.js';
import { toArrowSchema, type SchemaSpec } from '../arrow/schema-spec.js';
import { canonicalFormat, getDataSource } from '../datasource/registry.js';
import { PlanError } from '../errors/kjob-error.js';
import type { ScanNode } from '../plan/plan-node.js';
import { DataFrame, type ResolvedPlan } from './dataframe.js';
import type { ActionHost } from './run-action.js';

interface ReaderState {
  readonly format: string | undefined;
  readonly options: Readonly<Record<string, string>>;
  readonly schema: Schema | undefined;
}

/**
 * `session.read`: an immutable builder (each call returns a new reader) ending in `load()`. An unknown
 * format throws at `format()`/`load()`; the source validates its options and resolves the schema when
 * the returned DataFrame is first used (its errors surface there, before any task runs).
 * Default format parquet, as Spark.
 */
export class DataFrameReader {
  readonly #host: ActionHost;
  readonly #state: ReaderState;

  /** @internal Use `session.read`. */
  constructor(host: ActionHost, state: ReaderState = { format: undefined, options: {}, schema: undefined }) {
    this.#host = host;
    this.#state = Object.freeze(state);
  }

  format(format: string): DataFrameReader {
    canonicalFormat(format);
    return this.#with({ format });
  }
  option(key: string, value: string | number | boolean): DataFrameReader {
    return this.#with({ options: { ...this.#state.options, [key]: String(value) } });
  }
  options(options: Readonly<Record<string, string | number | boolean>>): DataFrameReader {
    return this.#with({ options: { ...this.#state.options, ...Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)])) } });
  }
  /** The schema to read with: an Arrow Schema, `{ col: 'type' }`, or DDL text `"a int, b string"`. */
  schema(schema: SchemaSpec): DataFrameReader {
    return this.#with({ schema: toArrowSchema(schema) });
  }

  parquet(...paths: string[]): DataFrame {
    return this.format('parquet').load(...paths);
  }
  csv(...paths: string[]): DataFrame {
    return this.format('csv').load(...paths);
  }

  /** A DataFrame over the source (lazy: nothing is read until an action). */
  load(...paths: string[]): DataFrame {
    const format = canonicalFormat(this.#state.format ?? 'parquet');
    const { options, schema: userSchema } = this.#state;
    for (const p of paths) if (typeof p !== 'string' || !p) throw new PlanError(`load(): paths must be non-empty strings`);
    const host = this.#host;
    const resolve = async (): Promise<ResolvedPlan> => {
      const ds = await getDataSource(format);
      if (!ds.planRead || !ds.readSplit) throw new PlanError(`The '${format}' data source cannot be read`, { context: { format } });
      ds.validateReadOptions?.(options, paths);
      const ctx = host.driverContext('load');
      let schema: Schema;
      if (ds.inferSchema) schema = await ds.inferSchema(options, paths, userSchema, ctx);
      else {
        const plan = await ds.planRead(options, paths, userSchema, { filters: [] }, ctx);
        schema = plan.schema;
        await plan.cleanup?.();
      }
      const node: ScanNode = {
        kind: 'Scan',
        format,
        options,
        paths,
        schema: schemaToJson(schema),
        pushedFilters: [],
        ...(userSchema ? { userSchema: schemaToJson(userSchema) } : {}),
      };
      return { node, schema };
    };
    return new DataFrame(host, resolve());
  }

  #with(change: Partial<ReaderState>): DataFrameReader {
    return new DataFrameReader(this.#host, { ...this.#state, ...change });
  }
}
