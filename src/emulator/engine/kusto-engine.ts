import type { DuckDBConnection } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import {
  KustoServiceError,
  type AsyncOperation,
  type ColumnMappingEntry,
  type CommandContext,
  type CommandHandler,
  type EmulatorEngine,
  type ExtentOptions,
  type IngestItem,
  type IngestItemOutcome,
  type IngestionBatchingPolicy,
  type KustoColumn,
  type KustoType,
  type RequestHook,
  type RequestInfo,
  type ResultTable,
} from '../contracts.js';
import { KUSTO_TYPE_ALIASES } from '../storage-types.js';
import { redact } from '../../util/redact.js';
import { mappingKindFor, parseMapping } from '../ingest/column-mapping.js';
import type { Converted } from '../ingest/convert-value.js';
import { parseDelimitedItem, parseJsonItem, parseParquetItem, type ParsedItem } from '../ingest/parse-item.js';
import { startAutoDelete } from './auto-delete.js';
import { ExtentMerger } from './extent-merger.js';
import type { EngineFaults } from '../faults/engine-faults.js';
import type { TableMeta } from './catalog-types.js';
import { mappingKey } from './catalog-state.js';
import { CommandJournal } from './command-journal.js';
import { translate, type Catalog, type CatalogTable } from './kql-bridge.js';
import { OperationRegistry } from './operations.js';
import { readParquet } from './parquet-reader.js';
import { RawJson } from './raw-json.js';
import { SERVICE_RESULT_LIMITS, checkResultLimits, type ResultLimits } from './result-limits.js';
import { fromDuck, resultAsRelation } from './result-values.js';
import type { KustoStore, StoreTx } from './store.js';
import { dateToTicks, nowTicks, parseTimespan } from './ticks.js';

export interface EngineOptions {
  /** Databases are created on first use (like a container created by its first client). Default true. */
  readonly autoCreateDatabases?: boolean;
  /** Batching policy when neither table nor database has one. */
  readonly defaultBatchingPolicy?: IngestionBatchingPolicy;
  /** How often expired auto_delete policies are swept, in ms (default 5000; 0 disables). */
  readonly autoDeleteIntervalMs?: number;
  /** Extents per table above which same-tag extents are merged in the background (default 32; 0 disables). */
  readonly mergeThreshold?: number;
  /** Default result-set limits of client queries (the service's 500,000 records / 64 MB when absent). */
  readonly resultLimits?: Partial<ResultLimits>;
}

/** A query result in engine form with DuckDB-side values (dynamic as RawJson). */
export interface RawResult {
  readonly columns: readonly KustoColumn[];
  readonly rows: unknown[][];
}

export const COMMAND_RESULTS = '$command_results';

export class KustoEngine implements EmulatorEngine {
  readonly operations = new OperationRegistry();
  readonly journal = new CommandJournal();
  readonly handlers: CommandHandler[] = [];
  private readonly hooks: RequestHook[] = [];
  private readonly autoCreate: boolean;
  private readonly defaultBatching: IngestionBatchingPolicy;

  constructor(
    readonly store: KustoStore,
    options: EngineOptions = {},
  ) {
    this.autoCreate = options.autoCreateDatabases ?? true;
    this.defaultBatching = options.defaultBatchingPolicy ?? { maximumBatchingTimeSpanMs: 10_000, maximumNumberOfItems: 500, maximumRawDataSizeMB: 1024 };
    const every = options.autoDeleteIntervalMs ?? 5_000;
    this.stopAutoDelete = every > 0 ? startAutoDelete(store, every) : () => {};
    this.merger = new ExtentMerger(store, options.mergeThreshold ?? 32);
    this.resultLimits = { ...SERVICE_RESULT_LIMITS, ...options.resultLimits };
  }
  /** Default result-set limits of client queries (result-limits.ts). */
  readonly resultLimits: ResultLimits;
  private readonly stopAutoDelete: () => void;
  readonly merger: ExtentMerger;

  // ---- EmulatorEngine ----

  databaseExists(database: string): boolean {
    return this.store.database(database) !== undefined;
  }

  tableExists(database: string, table: string): boolean {
    return this.store.table(database, table) !== undefined;
  }

  hasIngestByTag(database: string, table: string, tag: string): boolean {
    const t = this.store.table(database, table);
    if (!t) return false;
    const wanted = `ingest-by:${tag}`;
    return this.store.catalog.extentsOf(t.id).some((e) => e.tags.includes(wanted));
  }

  effectiveBatchingPolicy(database: string, table: string): IngestionBatchingPolicy {
    const t = this.store.table(database, table);
    const text = (t && this.store.policy(database, t.id, 'ingestionbatching')) ?? this.store.policy(database, null, 'ingestionbatching');
    if (!text) return this.defaultBatching;
    try {
      const p = JSON.parse(text) as Record<string, unknown>;
      const span = typeof p['MaximumBatchingTimeSpan'] === 'string' ? parseTimespan(p['MaximumBatchingTimeSpan']) : undefined;
      return {
        maximumBatchingTimeSpanMs: span !== undefined ? Number(span / 10_000n) : this.defaultBatching.maximumBatchingTimeSpanMs,
        maximumNumberOfItems: Number(p['MaximumNumberOfItems'] ?? this.defaultBatching.maximumNumberOfItems),
        maximumRawDataSizeMB: Number(p['MaximumRawDataSizeMB'] ?? this.defaultBatching.maximumRawDataSizeMB),
      };
    } catch {
      return this.defaultBatching;
    }
  }

  async query(database: string, kql: string): Promise<ResultTable> {
    const r = await this.runKql(database, kql);
    // The contract hands dynamic values out parsed.
    const rows = r.rows.map((row) => row.map((v) => (v instanceof RawJson ? (JSON.parse(v.text) as unknown) : v)));
    return { name: 'PrimaryResult', columns: r.columns, rows };
  }

  async *queryToArrow(database: string, kql: string): AsyncIterable<arrow.RecordBatch> {
    await this.ensureDatabase(database);
    const { sql, columns } = await translate(kql, this.catalogFor(database), nowTicks());
    const c = await this.store.openReader();
    try {
      const result = await c.stream(sql);
      // Batches of ~64k rows leave as soon as they are full: memory stays bounded.
      let pending: unknown[][] = [];
      let sent = false;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        for (const r of chunk.getRows()) pending.push(r as unknown[]);
        if (pending.length >= 65_536) {
          yield toArrowBatch(columns, pending);
          sent = true;
          pending = [];
        }
      }
      if (pending.length > 0 || !sent) yield toArrowBatch(columns, pending);
    } finally {
      this.store.releaseReader(c);
    }
  }

  /** Engine-side fault hooks installed by the data-management half (faults/engine-faults.ts). */
  faults: EngineFaults | undefined;

  setFaults(faults: EngineFaults): void {
    this.faults = faults;
  }

  registerCommand(handler: CommandHandler): void {
    this.handlers.push(handler);
  }

  addRequestHook(hook: RequestHook): void {
    this.hooks.push(hook);
  }

  startOperation(database: string, operation: string, clientRequestId: string | undefined, run: () => Promise<ResultTable | undefined>): string {
    return this.operations.start(database, operation, clientRequestId, run);
  }

  getOperation(operationId: string): AsyncOperation | undefined {
    return this.operations.get(operationId);
  }

  recordCommand(entry: Parameters<EmulatorEngine['recordCommand']>[0]): void {
    // As the service hides h"…" literals in `.show commands`, the journal never keeps SAS signatures or keys.
    this.journal.record({ ...entry, text: redact(entry.text), ...(entry.failureReason !== undefined ? { failureReason: redact(entry.failureReason) } : {}) });
  }

  async ingestBatch(database: string, table: string, items: readonly IngestItem[], extent: ExtentOptions): Promise<{ extentId: string | null; outcomes: IngestItemOutcome[] }> {
    await this.ensureDatabase(database);
    const t = this.requireTable(database, table);
    const mappings = items.map((item) => this.resolveMapping(t, item));
    const extra = extraColumns(t, mappings);
    const columns = [...t.columns, ...extra];
    const parsed: ParsedItem[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      parsed.push(await this.parseItem(item, columns, mappings[i]));
    }
    const rows: Converted[][] = [];
    for (const p of parsed) if (p.outcome.status !== 'Failed') for (const r of p.rows) rows.push(r);
    const outcomes = parsed.map((p) => p.outcome);
    if (rows.length === 0) return { extentId: null, outcomes };
    const size = items.reduce((s, it, i) => s + (parsed[i]!.outcome.status === 'Failed' ? 0 : it.data.length), 0);
    const extentId = await this.store.write(async (tx) => {
      let current = tx.state.tables.get(t.id);
      if (!current) throw new KustoServiceError(404, 'BadRequest_EntityNotFound', `Table '${table}' was dropped while data was being ingested into it.`);
      if (extra.length > 0) current = await tx.setColumns(current, mergeColumns(current.columns, extra));
      return (await this.appendRows(tx, current, columns, rows, size, extent)).id;
    });
    this.merger.notify(t.id);
    return { extentId, outcomes };
  }

  // ---- engine internals used by the REST layer and the commands ----

  async runHooks(info: RequestInfo): Promise<void> {
    for (const h of this.hooks) await h(info);
  }

  async ensureDatabase(database: string): Promise<void> {
    if (this.store.database(database)) return;
    if (!this.autoCreate) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Database '${database}' was not found.`);
    await this.store.write((tx) => tx.ensureDatabase(database));
  }

  requireTable(database: string, table: string): TableMeta {
    const t = this.store.table(database, table);
    if (!t) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Table '${table}' was not found in database '${database}'.`, true, 'Kusto.Data.Exceptions.EntityNotFoundException');
    return t;
  }

  catalogFor(database: string, commandResults?: ResultTable): Catalog {
    const store = this.store;
    return {
      table(name: string): CatalogTable | undefined {
        if (name === COMMAND_RESULTS && commandResults) return { sqlName: resultAsRelation(commandResults), columns: commandResults.columns };
        const t = store.table(database, name);
        return t ? { sqlName: store.viewName(t.id), columns: t.columns } : undefined;
      },
      tableNames(): readonly string[] {
        const names = store.catalog.tablesOf(database).map((t) => t.name);
        return commandResults ? [...names, COMMAND_RESULTS] : names;
      },
    };
  }

  /**
   * Runs KQL. `limits` are the service's result-set limits of client queries (result-limits.ts):
   * exceeding them is the E_QUERY_RESULT_SET_TOO_LARGE failure rather than an answer that exhausts
   * memory. Commands' own queries run without them.
   */
  async runKql(database: string, kql: string, commandResults?: ResultTable, limits?: ResultLimits): Promise<RawResult> {
    await this.ensureDatabase(database);
    const { sql, columns } = await translate(kql, this.catalogFor(database, commandResults), nowTicks());
    const maxRecords = limits?.maxRecords;
    const limited = maxRecords === undefined ? sql : `SELECT * FROM (${sql}) AS limited LIMIT ${maxRecords + 1}`;
    const rows = await this.store.withReader(async (c) => runSql(c, limited));
    if (limits) checkResultLimits(rows, limits);
    return { columns, rows: fromDuck(columns, rows) };
  }

  resolveMapping(t: TableMeta, item: IngestItem): ColumnMappingEntry[] | undefined {
    if (item.mapping && item.mapping.length > 0) return [...item.mapping];
    if (!item.mappingReference) return undefined;
    const kind = mappingKindFor(item.format);
    const m = this.store.catalog.mappings.get(mappingKey(t.database, t.id, kind, item.mappingReference));
    if (!m) throw new KustoServiceError(400, 'BadRequest_MappingReferenceWasNotFound', `Mapping reference '${item.mappingReference}' of kind '${kind}' was not found for table '${t.name}' in database '${t.database}'.`);
    return parseMapping(m.mapping, `'${m.name}'`);
  }

  async parseItem(item: IngestItem, columns: readonly KustoColumn[], mapping: ColumnMappingEntry[] | undefined): Promise<ParsedItem> {
    const ctx = { columns, readParquet: (data: Buffer) => this.store.withReader((c) => readParquet(c, data)) };
    const format = item.format.toLowerCase();
    if (format === 'parquet') return parseParquetItem(item, ctx, mapping);
    const text = item.data.toString('utf8');
    if (format === 'json' || format === 'multijson' || format === 'singlejson') return parseJsonItem(item, ctx, text, mapping);
    if (['csv', 'tsv', 'tsve', 'psv', 'scsv', 'sohsv', 'txt'].includes(format)) return parseDelimitedItem(item, ctx, text, mapping);
    throw new KustoServiceError(400, 'BadRequest_UnsupportedFormat', `Ingestion format '${item.format}' is not supported by the kjob emulator (csv, tsv, tsve, psv, scsv, sohsv, txt, json, multijson, singlejson, parquet are).`);
  }

  /** Appends converted rows as one new extent of `t` inside the caller's transaction. */
  async appendRows(tx: StoreTx, t: TableMeta, columns: readonly KustoColumn[], rows: readonly Converted[][], originalSize: number, extent: ExtentOptions) {
    const storage = await tx.createExtentStorage(t.columns);
    const [schema, name] = storage.split('.') as [string, string];
    const appender = await tx.conn.createAppender(name, schema);
    const order = t.columns.map((c) => columns.findIndex((x) => x.name === c.name));
    const types: KustoType[] = t.columns.map((c) => c.type);
    try {
      for (const r of rows) {
        for (let i = 0; i < order.length; i++) {
          const j = order[i]!;
          const v = j < 0 ? null : r[j];
          if (v === null || v === undefined) appender.appendNull();
          else appendTyped(appender, types[i]!, v);
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    return tx.addExtent({ tableId: t.id, rows: rows.length, originalSize, createdOn: extent.creationTime ? dateToTicks(extent.creationTime) : nowTicks(), tags: extent.tags ?? [], storage });
  }

  async executeMgmt(database: string, text: string, ctx: CommandContext): Promise<ResultTable> {
    const { executeCommand } = await import('../mgmt/dispatch.js');
    return executeCommand(this, database, text, ctx);
  }

  async close(): Promise<void> {
    this.stopAutoDelete();
    await this.operations.drain();
    await this.merger.stop();
    await this.store.close();
  }
}

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>;

function appendTyped(a: Appender, type: KustoType, v: Exclude<Converted, null>): void {
  switch (type) {
    case 'bool':
      a.appendBoolean(Boolean(v));
      return;
    case 'int':
      a.appendInteger(Number(v));
      return;
    case 'long':
    case 'datetime':
    case 'timespan':
      a.appendBigInt(typeof v === 'bigint' ? v : BigInt(v as number));
      return;
    case 'real':
      a.appendDouble(Number(v));
      return;
    default:
      a.appendVarchar(String(v));
  }
}

export async function runSql(c: DuckDBConnection, sql: string): Promise<unknown[][]> {
  try {
    return (await c.runAndReadAll(sql)).getRows() as unknown[][];
  } catch (err) {
    throw new KustoServiceError(500, 'Internal_QueryExecutionFailed', `Query execution failed: ${(err as Error).message.split('\n')[0]}`, true, 'Kusto.Data.Exceptions.KustoDataStreamException');
  }
}

function extraColumns(t: TableMeta, mappings: readonly (ColumnMappingEntry[] | undefined)[]): KustoColumn[] {
  const extra: KustoColumn[] = [];
  for (const m of mappings) {
    for (const e of m ?? []) {
      if (t.columns.some((c) => c.name === e.column) || extra.some((c) => c.name === e.column)) continue;
      const type = e.dataType ? KUSTO_TYPE_ALIASES[e.dataType.toLowerCase()] : undefined;
      if (!type) throw new KustoServiceError(400, 'BadRequest_InvalidMapping', `Mapping column '${e.column}' does not exist in table '${t.name}' and has no DataType to create it with.`);
      extra.push({ name: e.column, type });
    }
  }
  return extra;
}

function mergeColumns(a: readonly KustoColumn[], b: readonly KustoColumn[]): KustoColumn[] {
  return [...a, ...b.filter((c) => !a.some((x) => x.name === c.name))];
}

function arrowType(t: KustoType): arrow.DataType {
  switch (t) {
    case 'bool':
      return new arrow.Bool();
    case 'int':
      return new arrow.Int32();
    case 'long':
    case 'timespan':
      return new arrow.Int64();
    case 'real':
      return new arrow.Float64();
    case 'datetime':
      return new arrow.TimestampMicrosecond('UTC');
    default:
      return new arrow.Utf8();
  }
}

function microsecondVector(values: readonly (number | null)[]): arrow.Vector {
  const data = new BigInt64Array(values.length);
  const valid = new Uint8Array((values.length + 7) >> 3);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null) nulls++;
    else {
      data[i] = BigInt(v);
      valid[i >> 3]! |= 1 << (i & 7);
    }
  });
  return arrow.makeVector(arrow.makeData({ type: new arrow.TimestampMicrosecond('UTC'), length: values.length, nullCount: nulls, data, ...(nulls ? { nullBitmap: valid } : {}) }));
}

/**
 * Storage-form rows → an Arrow batch for `.export`: datetime as UTC microsecond timestamps,
 * timespan as ticks (Int64, as the service exports them), decimal/guid/dynamic as text.
 */
export function toArrowBatch(columns: readonly KustoColumn[], rows: readonly (readonly unknown[])[]): arrow.RecordBatch {
  const vectors: Record<string, arrow.Vector> = {};
  columns.forEach((c, i) => {
    const values = rows.map((r) => {
      const v = r[i];
      if (v === null || v === undefined) return null;
      if (c.type === 'datetime') return Number(BigInt(v as bigint) / 10n);
      if (c.type === 'long' || c.type === 'timespan') return BigInt(v as bigint);
      if (typeof v === 'object') return String(v);
      return v;
    });
    // vectorFromArray reads numbers for timestamp columns as milliseconds: build datetimes from their µs directly.
    vectors[c.name] = c.type === 'datetime' ? microsecondVector(values as (number | null)[]) : arrow.vectorFromArray(values, arrowType(c.type));
  });
  const table = new arrow.Table(vectors);
  return table.batches[0] ?? new arrow.RecordBatch(Object.fromEntries(Object.entries(vectors).map(([k, v]) => [k, v.data[0]!])));
}
