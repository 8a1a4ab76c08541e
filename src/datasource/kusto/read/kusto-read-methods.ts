/**
 * The Kusto source's read side (issue 6): options validated up front, the schema from customSchema or
 * `| take 0`, filter/column pushdown into the KQL, and the read mode (reference §4.2):
 * - ForceSingleMode: one split; the executor runs the query and converts the result to Arrow;
 * - ForceDistributedMode: `.export` to transient storage, the Parquet files become the splits;
 * - automatic: estimate (then count) with 3 s timeouts; 0 rows → empty; ≤ 5000 → the driver runs
 *   the query (small by the estimate) and ships the result inside the task, falling back to
 *   Distributed on a limits error; otherwise, or when the estimate fails → Distributed.
 */
import { RecordBatch, Schema } from 'apache-arrow';
import { JsonNumber } from '../rest/lossless-json.js';
import type { DataSource, DriverContext, PushdownOffer, ReadPlan, Split, TaskContext } from '../../datasource.js';
import { batchesToBase64 } from '../../../arrow/ipc-base64.js';
import { schemaFromJson, schemaToJson } from '../../../arrow/schema-json.js';
import { localDataBatches } from '../../memory/local-data.js';
import { parquetSource } from '../../parquet/parquet-source.js';
import { executorAuthOf } from '../client/credentials.js';
import { planPushdown } from '../kql/expression-to-kql.js';
import { countQuery, estimateRowsCountQuery, normalizeQuery } from '../kql/query-forms.js';
import { resolveKustoSourceOptions, type ResolvedKustoSourceOptions } from '../options/source-options.js';
import { systemClock } from '../polling/clock.js';
import { decideReadMode, type ReadDecision } from '../polling/read-mode-decision.js';
import { KustoRequestError } from '../rest/kusto-request-error.js';
import { planDistributedRead } from './distributed-read.js';
import { conformExportBatch } from './export-batch-conform.js';
import { driverReadClients, executorQueryClient, type ExecutorQueryTarget, type KustoReadClients } from './read-clients.js';
import { kustoReadSchema } from './read-schema.js';
import { inferredSchema, rememberInferredSchema } from './schema-cache.js';
import { resultToBatches, runSingleQuery } from './single-read.js';

/** A result shipped inside the task is capped like createDataFrame data (16 MiB of IPC). */
const INLINE_RESULT_MAX_BYTES = 16 * 1024 * 1024;
const DECISION_TIMEOUT_MS = 3000;
/** Executor option holding the exported files' Arrow schema (JSON). */
const EXPORT_SCHEMA_OPTION = 'kjob.kusto.exportSchema';

type SingleSplit = Split & { kustoKind: 'single'; query: string; target: ExecutorQueryTarget };
type InlineSplit = Split & { kustoKind: 'inline'; ipc: string };

/** The outcome of the last planRead per request id (for tests and explain). */
export interface KustoReadReport {
  readonly mode: ReadDecision | 'single-fallback-distributed';
  readonly query: string;
  readonly exports: number;
}
let lastReport: KustoReadReport | undefined;
export function lastKustoReadReport(): KustoReadReport | undefined {
  return lastReport;
}

function pushdownOf(o: ResolvedKustoSourceOptions, schema: Schema, offer: PushdownOffer): { query: string; pushed: PushdownOffer['filters']; readSchema: Schema } {
  const known = new Set(schema.fields.map((f) => f.name));
  const required = offer.requiredColumns?.filter((c) => known.has(c));
  const readSchema = required ? new Schema(schema.fields.filter((f) => required.includes(f.name))) : schema;
  if (!o.queryFilterPushDown) return { query: normalizeQuery(o.query), pushed: [], readSchema: schema };
  // Timespans stay timespans (no tostring, unlike the connector): they are read as durations.
  const plan = planPushdown(o.query, offer.filters, required && required.length > 0 ? required : [], new Set(), { knownColumns: known });
  return { query: plan.query, pushed: plan.pushed, readSchema: required && required.length > 0 ? readSchema : required ? new Schema([]) : schema };
}

function executorTarget(o: ResolvedKustoSourceOptions): ExecutorQueryTarget {
  return { engineUrl: o.coordinates.engineUrl, database: o.coordinates.database, requestId: o.requestId, auth: executorAuthOf(o.auth), clientRequestProperties: o.clientRequestProperties };
}

/** Options that may travel to executors: coordinates and the query, no credential. */
function executorOptions(o: ResolvedKustoSourceOptions, extra: Record<string, string> = {}): Record<string, string> {
  return { kustoCluster: o.coordinates.engineUrl, kustoDatabase: o.coordinates.database, kustoQuery: o.query, requestId: o.requestId, ...extra };
}

async function schemaOf(o: ResolvedKustoSourceOptions, userSchema: Schema | undefined, clients: KustoReadClients): Promise<Schema> {
  return userSchema ?? (await kustoReadSchema(o.query, o.customSchema, clients.query));
}

/**
 * The plugin's result column. Kusto.Language (Microsoft's KQL parser) declares `estimate_rows_count`
 * as one long column of this name; the connector reads column index 1, which that result does not
 * have (its `get(1)` throws, so the connector falls to Distributed instead of using the estimate).
 * kjob reads the column by name, and takes index 1 only from a result without it.
 */
export const ESTIMATE_COLUMN = 'EstimatedRowsCount';

async function decide(o: ResolvedKustoSourceOptions, query: string, clients: KustoReadClients, ctx: DriverContext): Promise<ReadDecision> {
  const firstCell = (pick: (columns: readonly { name: string }[]) => number) => async (q: string) => {
    const r = await clients.query.query(q, { activity: 'KJOB.read.estimate', timeoutMs: DECISION_TIMEOUT_MS, attempts: 1 });
    const row = r.rows[0];
    if (!row) return 0;
    const v = row[pick(r.columns)];
    // parseRowCount reads digits; a lossless number is handed over as its text.
    return v instanceof JsonNumber ? v.text : (v ?? null);
  };
  const estimateColumn = (columns: readonly { name: string }[]) => {
    const i = columns.findIndex((c) => c.name === ESTIMATE_COLUMN);
    return i >= 0 ? i : 1;
  };
  return decideReadMode({
    readMode: o.readMode,
    estimate: () => firstCell(estimateColumn)(estimateRowsCountQuery(query)),
    count: () => firstCell(() => 0)(countQuery(query)),
    clock: systemClock,
    timeoutMs: DECISION_TIMEOUT_MS,
    onFallback: (e) => ctx.log.info({ err: String(e) }, 'Kusto read: the row estimate failed; reading in Distributed mode'),
  });
}

async function planRead(options: Readonly<Record<string, string>>, _paths: readonly string[], userSchema: Schema | undefined, offer: PushdownOffer, ctx: DriverContext): Promise<ReadPlan> {
  const o = resolveKustoSourceOptions(options);
  const clients = await driverReadClients(o);
  // The schema load() inferred for this DataFrame: one `| take 0` per read, not one per action.
  const schema = userSchema ?? inferredSchema(options) ?? (await schemaOf(o, undefined, clients));
  const { query, pushed, readSchema } = pushdownOf(o, schema, offer);
  const decision = await decide(o, query, clients, ctx);
  ctx.log.info({ requestId: o.requestId, mode: decision }, 'Kusto read planned');
  if (decision === 'empty') {
    lastReport = { mode: 'empty', query, exports: 0 };
    return { schema, splits: [], pushedFilters: pushed, executorOptions: executorOptions(o) };
  }
  if (decision === 'single' && o.readMode === 'ForceSingleMode') {
    lastReport = { mode: 'single', query, exports: 0 };
    const split: SingleSplit = { kustoKind: 'single', query, target: executorTarget(o), description: `Kusto query (Single mode, request ${o.requestId})` };
    return { schema, splits: [split], pushedFilters: pushed, executorOptions: executorOptions(o) };
  }
  if (decision === 'single') {
    try {
      const batches = await runSingleQuery(clients.query, query, readSchema);
      const ipc = batchesToBase64(readSchema, batches);
      lastReport = { mode: 'single', query, exports: 0 };
      const split: Split = ipc.length * 0.75 <= INLINE_RESULT_MAX_BYTES
        ? ({ kustoKind: 'inline', ipc, description: `Kusto query result (Single mode, ${batches.reduce((s, b) => s + b.numRows, 0)} rows)` } satisfies InlineSplit)
        : ({ kustoKind: 'single', query, target: executorTarget(o), description: `Kusto query (Single mode, request ${o.requestId})` } satisfies SingleSplit);
      return { schema, splits: [split], pushedFilters: pushed, executorOptions: executorOptions(o) };
    } catch (e) {
      if (!(e instanceof KustoRequestError && e.isLimitsError)) throw e;
      ctx.log.warn({ requestId: o.requestId }, 'Kusto read: the Single-mode result exceeds the query limits; falling back to Distributed mode');
    }
  }
  const dist = await planDistributedRead(o, query, readSchema === schema ? undefined : readSchema.fields.map((f) => f.name), clients, ctx);
  lastReport = { mode: decision === 'single' ? 'single-fallback-distributed' : 'distributed', query, exports: dist.exports };
  return {
    schema,
    splits: dist.splits,
    pushedFilters: pushed,
    executorOptions: executorOptions(o, dist.fileSchema ? { [EXPORT_SCHEMA_OPTION]: JSON.stringify(schemaToJson(dist.fileSchema)) } : {}),
    ...(dist.cleanup ? { cleanup: dist.cleanup } : {}),
  };
}

async function* readSplit(split: Split, options: Readonly<Record<string, string>>, schema: Schema, ctx: TaskContext): AsyncGenerator<RecordBatch> {
  const kind = split['kustoKind'];
  if (kind === 'inline') {
    for (const b of localDataBatches((split as InlineSplit).ipc)) yield b;
    return;
  }
  if (kind === 'single') {
    const s = split as SingleSplit;
    const client = await executorQueryClient(s.target);
    const result = await client.query(s.query, { activity: 'KJOB.read.single', signal: ctx.signal });
    // The result holds the pushed-down projection: read the schema's columns the result has.
    const names = new Set(result.columns.map((c) => c.name));
    const planned = new Schema(schema.fields.filter((f) => names.has(f.name)));
    for (const b of resultToBatches(result, planned)) yield b;
    return;
  }
  if (kind === 'export') {
    const fileSchemaText = options[EXPORT_SCHEMA_OPTION];
    if (fileSchemaText === undefined) throw new Error(`Kusto export split without ${EXPORT_SCHEMA_OPTION}`);
    const fileSchema = schemaFromJson(JSON.parse(fileSchemaText) as Parameters<typeof schemaFromJson>[0]);
    for await (const b of parquetSource.readSplit!(split, {}, fileSchema, ctx)) yield conformExportBatch(b, schema);
    return;
  }
  throw new Error(`Unknown Kusto split kind ${String(kind)}`);
}

async function inferSchema(options: Readonly<Record<string, string>>, _paths: readonly string[], userSchema: Schema | undefined): Promise<Schema> {
  const o = resolveKustoSourceOptions(options);
  if (userSchema) return userSchema;
  if (o.customSchema !== undefined) return kustoReadSchema(o.query, o.customSchema, undefined as never);
  const schema = await schemaOf(o, undefined, await driverReadClients(o));
  rememberInferredSchema(options, schema);
  return schema;
}

export const kustoReadMethods = {
  validateReadOptions: (options: Readonly<Record<string, string>>) => void resolveKustoSourceOptions(options),
  inferSchema,
  planRead,
  readSplit,
} satisfies Partial<DataSource>;

