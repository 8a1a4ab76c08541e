import { PlanError } from '../errors/kjob-error.js';
import type { DataSource } from './datasource.js';

/**
 * Format name (or alias) → DataSource. Built-in formats are imported lazily, so a job that never
 * touches Kusto never loads the Azure SDKs. Names match case-insensitively, as Spark's do.
 */
type Loader = () => Promise<DataSource>;

interface Entry {
  readonly canonical: string;
  readonly load: Loader;
}

// Module paths as variables: each format's module is owned by its own folder and loaded on first use.
const importModule = (path: string): Promise<Record<string, unknown>> => import(path) as Promise<Record<string, unknown>>;

function lazy(path: string, exportName: string): Loader {
  let cached: Promise<DataSource> | undefined;
  return () =>
    (cached ??= importModule(path).then((m) => {
      const ds = m[exportName] as DataSource | undefined;
      if (!ds) throw new PlanError(`Data source module ${path} does not export '${exportName}'`);
      return ds;
    }));
}

const BUILTINS: readonly (readonly [names: readonly string[], load: Loader])[] = [
  [['parquet'], lazy('./parquet/index.js', 'parquetSource')],
  [['csv'], lazy('./csv/index.js', 'csvSource')],
  [['kusto', 'com.microsoft.kusto.spark.datasource', 'com.microsoft.kusto.spark.synapse.datasource'], lazy('./kusto/index.js', 'kustoSource')],
  [['memory'], lazy('./memory/memory-source.js', 'memorySource')],
];

const entries = new Map<string, Entry>();
for (const [names, load] of BUILTINS) for (const n of names) entries.set(n.toLowerCase(), { canonical: names[0]!, load });

/** Registers a custom data source under its name and aliases (replacing any previous one). */
export function registerDataSource(ds: DataSource): void {
  const load = () => Promise.resolve(ds);
  for (const n of [ds.name, ...(ds.aliases ?? [])]) entries.set(n.toLowerCase(), { canonical: ds.name, load });
}

/** Canonical names of the known formats. */
export function knownFormats(): string[] {
  return [...new Set([...entries.values()].map((e) => e.canonical))].sort();
}

/** The canonical name of a format, or a PlanError listing the known formats. */
export function canonicalFormat(format: string): string {
  return entry(format).canonical;
}

/** Loads the DataSource of a format (name or alias). */
export async function getDataSource(format: string): Promise<DataSource> {
  const e = entry(format);
  try {
    return await e.load();
  } catch (err) {
    if (err instanceof PlanError) throw err;
    const missing = (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    throw new PlanError(missing ? `The '${e.canonical}' data source is not available in this build` : `Loading the '${e.canonical}' data source failed: ${(err as Error).message}`, {
      cause: err,
      context: { format },
    });
  }
}

function entry(format: string): Entry {
  if (typeof format !== 'string' || !format.trim()) throw new PlanError(`A format name is required; known formats: ${knownFormats().join(', ')}`);
  const e = entries.get(format.trim().toLowerCase());
  if (!e) throw new PlanError(`Unknown data source format '${format}'; known formats: ${knownFormats().join(', ')}`, { context: { format } });
  return e;
}
