/**
 * The driver's pre-flight of a Kusto write (reference §3.1), every step before any task runs:
 * options (validated before any side effect), schema fetch, adjustSchema, the ingestIfNotExists check,
 * table creation (CreateIfNotExist, with the streaming policy for KustoStreaming) and, for
 * Transactional, the hidden staging table with the destination's batching policy, retention and
 * auto-delete policies and merge disabled (so extents of different task attempts never merge).
 */
import type { Schema } from 'apache-arrow';
import type { DriverContext, SaveMode, WriteJob } from '../../datasource.js';
import { InvalidParameterException, TABLE_NOT_FOUND_CAUSE, TABLE_NOT_FOUND_RESOLUTION } from '../errors/parameter-errors.js';
import { KjobError } from '../../../errors/kjob-error.js';
import { existingIngestByTagsCommand } from '../kql/extent-commands.js';
import {
  alterAutoDeletePolicyCommand,
  alterIngestionBatchingPolicyCommand,
  alterRetentionPolicyCommand,
  clearStreamingIngestionSchemaCacheCommand,
  createCsvMappingCommand,
  createTableCommand,
  disableMergePolicyCommand,
  enableStreamingIngestionPolicyCommand,
  refreshIngestionBatchingPolicyCacheCommand,
  showCsvMappingsCommand,
  showIngestionBatchingPolicyCommand,
  showTableSchemaAsJsonCommand,
  tableSchemaText,
  type KustoColumnSpec,
} from '../kql/table-commands.js';
import { stagingTableName } from '../naming/staging-names.js';
import { SparkIngestionProperties } from '../options/spark-ingestion-properties.js';
import { checkSaveMode, resolveKustoSinkOptions, type ResolvedKustoSinkOptions } from '../options/sink-options.js';
import { adjustSchema, csvMappingJson } from '../schema/adjust-schema.js';
import { kustoColumnsFromShowSchemaRows, kustoColumnsOfArrowSchema } from '../types/arrow-to-kusto.js';
import { executorAuthOf } from '../client/credentials.js';
import { KustoEngineClient } from '../client/engine-client.js';
import { driverClients, rememberDriverOptions } from './driver-clients.js';
import { executorOptions, KUSTO_WRITE_STATE_VERSION, QUEUED_WAIT_CONF, type KustoWriteState } from './write-state.js';
import { dropStagingTable } from './staging-cleanup.js';
import { withRequestId } from './request-id.js';
import { withSealedIngestionStorage } from '../storage/ingestion-storage.js';
import { taskSecretSealerFor } from '../../../protocol/task-secret-key.js';

/** Session conf: gzip level of the sink's blobs (1 fastest … 9 smallest). */
export const GZIP_LEVEL_CONF = 'kjob.kusto.gzipLevel';
/** Default gzip level, chosen by measurement (bench/kusto-write.ts; README of this folder). */
export const DEFAULT_GZIP_LEVEL = 1;

export function validateKustoWriteOptions(options: Readonly<Record<string, string>>, mode: SaveMode): ResolvedKustoSinkOptions {
  const resolved = resolveKustoSinkOptions(options);
  checkSaveMode(mode);
  return resolved;
}

export class TableNotFoundException extends KjobError {
  override name = 'TableNotFoundException';
  constructor(o: ResolvedKustoSinkOptions) {
    super('CONFIG_INVALID', `Table '${o.table}' doesn't exist in database '${o.coordinates.database}', cluster '${o.coordinates.clusterAlias} and tableCreateOptions is set to FailIfNotExist.`, {
      requestId: o.requestId,
      likelyCause: TABLE_NOT_FOUND_CAUSE,
      resolution: TABLE_NOT_FOUND_RESOLUTION,
      context: { table: o.table, database: o.coordinates.database },
    });
  }
}

async function fetchColumns(engine: KustoEngineClient, o: ResolvedKustoSinkOptions, table: string): Promise<KustoColumnSpec[] | undefined> {
  const rows = await engine.mgmt(o.coordinates.database, showTableSchemaAsJsonCommand(table), { activity: 'KJOB.prepareWrite.schema' });
  return rows.length === 0 ? undefined : kustoColumnsFromShowSchemaRows(rows.map((r) => r['ColumnsJson']));
}

/** Attempts per task as the session counts them (kjob.task.maxAttempts, else spark.task.maxFailures, else 4). */
export function taskAttempts(conf: ReadonlyMap<string, string>): number {
  const n = Number(conf.get('kjob.task.maxAttempts') ?? conf.get('spark.task.maxFailures') ?? 4);
  return Number.isFinite(n) ? n : 4;
}

function gzipLevel(conf: ReadonlyMap<string, string>): number {
  const text = conf.get(GZIP_LEVEL_CONF);
  if (text === undefined) return DEFAULT_GZIP_LEVEL;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 9) throw new InvalidParameterException(`Session config ${GZIP_LEVEL_CONF} must be an integer 0–9, got '${text}'`, { option: GZIP_LEVEL_CONF });
  return n;
}

export async function prepareKustoWrite(schema: Schema, rawOptions: Readonly<Record<string, string>>, mode: SaveMode, ctx: DriverContext): Promise<WriteJob> {
  const o = validateKustoWriteOptions(rawOptions, mode);
  try {
    return await prepare(schema, rawOptions, o, ctx);
  } catch (e) {
    throw withRequestId(e, o.requestId);
  }
}

async function prepare(schema: Schema, rawOptions: Readonly<Record<string, string>>, o: ResolvedKustoSinkOptions, ctx: DriverContext): Promise<WriteJob> {
  const level = gzipLevel(ctx.conf);
  const prepareStarted = Date.now();
  // The user container's SAS reaches executors sealed; sealed first, before any side effect.
  const shippedOptions = withSealedIngestionStorage(rawOptions, ctx.taskSecrets ?? taskSecretSealerFor(undefined));
  const { engine } = await driverClients(o);
  const db = o.coordinates.database;
  const startedAt = new Date();
  const mgmt = (command: string, activity: string) => engine.mgmt(db, command, { activity: `KJOB.prepareWrite.${activity}` });

  const target = await fetchColumns(engine, o, o.table);
  const source = kustoColumnsOfArrowSchema(schema);
  const mapping = adjustSchema({
    mode: o.adjustSchema,
    source,
    target,
    tableCreateMode: o.tableCreateMode,
    writeMode: o.writeMode,
    addSourceLocationTransform: o.debug.addSourceLocationTransform,
    warn: (m) => ctx.log.warn({ requestId: o.requestId }, m),
  });

  const user = o.ingestionProperties;
  if (user && user.ingestIfNotExists.length > 0 && target !== undefined) {
    const found = await mgmt(existingIngestByTagsCommand(o.table, user.ingestIfNotExists), 'ingestIfNotExists');
    if (found.length > 0) {
      ctx.log.info({ requestId: o.requestId, tags: found.map((r) => r['Tag']) }, `Ingestion skipped: Provided ingest-by tags are present in the destination table: '${o.table}'`);
      return { format: 'kusto', state: {}, skip: true };
    }
  }

  const blobNamePrefix = o.tempTableName ?? stagingTableName({ appName: ctx.appName, table: o.table, requestId: o.requestId });
  let stagingTable: string | undefined;
  if (o.tempTableName !== undefined) {
    const staging = await fetchColumns(engine, o, o.tempTableName);
    if (staging === undefined || target === undefined) {
      throw new InvalidParameterException('Temp table name provided but the table does not exist. Either drop this option or create the table beforehand.', { option: 'tempTableName', requestId: o.requestId });
    }
    stagingTable = o.tempTableName;
  } else {
    if (target === undefined) {
      if (o.tableCreateMode === 'FailIfNotExist') throw new TableNotFoundException(o);
      await mgmt(createTableCommand(o.table, source), 'createTable');
      if (o.writeMode === 'KustoStreaming') {
        await mgmt(enableStreamingIngestionPolicyCommand(o.table), 'streamingPolicy');
        await mgmt(clearStreamingIngestionSchemaCacheCommand(o.table), 'streamingPolicy');
      }
    }
    if (o.writeMode === 'Transactional') {
      stagingTable = blobNamePrefix;
      const schemaText = tableSchemaText(target ?? source);
      await mgmt(createTableCommand(stagingTable, schemaText, { hidden: true }), 'createStagingTable');
      try {
        await setUpStagingTable(engine, o, stagingTable, startedAt);
      } catch (e) {
        await dropStagingTable(engine, o, stagingTable, ctx.log);
        throw e;
      }
    }
  }
  if (o.writeMode === 'Transactional' && user?.csvMappingNameReference !== undefined && stagingTable !== undefined && o.tempTableName === undefined) {
    const rows = await mgmt(showCsvMappingsCommand(o.table), 'csvMapping');
    const row = rows.find((r) => r['Name'] === user.csvMappingNameReference);
    if (row) await mgmt(createCsvMappingCommand(stagingTable, user.csvMappingNameReference, String(row['Mapping'])), 'csvMapping');
  }
  if (o.writeMode === 'KustoStreaming' && taskAttempts(ctx.conf) > 1) {
    ctx.log.warn(
      { requestId: o.requestId, table: o.table, maxAttempts: taskAttempts(ctx.conf) },
      'KustoStreaming is not exactly-once: a retried task streams its rows again (streaming ingestion takes no tags), so a task failure can duplicate rows; use Transactional for exactly-once, or set spark.task.maxFailures=1',
    );
  }
  if (user?.flushImmediately) ctx.log.warn({ requestId: o.requestId }, "It's not recommended to set flushImmediately to true on production");

  // The staging copy of the ingestion properties: generated mapping, and no ingestIfNotExists (checked above, §3.9).
  const base = user ?? new SparkIngestionProperties();
  const stagingProps = base.with({ ingestIfNotExists: [], ...(mapping ? { csvMapping: csvMappingJson(mapping) } : {}) });
  const propsJson = user || mapping ? JSON.stringify(stagingProps.toJSON()) : undefined;

  const state: KustoWriteState = {
    v: KUSTO_WRITE_STATE_VERSION,
    options: executorOptions(shippedOptions, { requestId: o.requestId, ingestionPropertiesJson: propsJson }),
    executorAuth: executorAuthOf(o.auth),
    stagingTable,
    blobNamePrefix,
    gzipLevel: level,
    startedAt: (user?.creationTime ?? startedAt).toISOString(),
    requestId: o.requestId,
    preparedAt: Date.now(),
    prepareMs: Date.now() - prepareStarted,
    queuedWaitForIngestion: o.writeMode === 'Queued' && /^true$/i.test(ctx.conf.get(QUEUED_WAIT_CONF) ?? ''),
  };
  rememberDriverOptions(o);
  ctx.log.info({ requestId: o.requestId, table: o.table, writeMode: o.writeMode, stagingTable }, 'Kusto write prepared');
  // writeEnableAsync: save() returns at once; the write's outcome is kustoAsyncWrite(requestId).
  const asyncWrite = o.isAsync ? { async: { id: o.requestId, detail: { requestId: o.requestId, writeMode: o.writeMode, table: o.table, async: true } } } : {};
  return { format: 'kusto', state: state as unknown as Record<string, unknown>, ...asyncWrite };
}

async function setUpStagingTable(engine: KustoEngineClient, o: ResolvedKustoSinkOptions, staging: string, startedAt: Date): Promise<void> {
  const db = o.coordinates.database;
  const mgmt = (command: string, activity: string) => engine.mgmt(db, command, { activity: `KJOB.prepareWrite.${activity}` });
  const policyRows = await mgmt(showIngestionBatchingPolicyCommand(o.table), 'batchingPolicy');
  const policy = policyRows[0]?.['Policy'];
  const alter = alterIngestionBatchingPolicyCommand(staging, typeof policy === 'string' ? policy : policy == null ? null : JSON.stringify(policy));
  if (alter) {
    await mgmt(alter, 'batchingPolicy');
    // A data-management command: sent to the ingest (DM) endpoint, database NetDefaultDB (reference §3.1, §2.3).
    const { credential } = await driverClients(o);
    const dm = new KustoEngineClient(o.coordinates.ingestUrl, credential, { requestId: o.requestId, ...(o.auth.kind === 'none' ? { cacheKey: 'none' } : {}) });
    await dm.mgmt('NetDefaultDB', refreshIngestionBatchingPolicyCacheCommand(db, staging), { activity: 'KJOB.prepareWrite.batchingPolicy' });
  }
  if (!o.ingestionProperties?.creationTime) {
    await mgmt(alterRetentionPolicyCommand(staging, o.stagingResourcesAutoCleanupTimeoutSeconds), 'retentionPolicy');
    await mgmt(alterAutoDeletePolicyCommand(staging, new Date(startedAt.getTime() + o.stagingResourcesAutoCleanupTimeoutSeconds * 1000)), 'autoDeletePolicy');
  }
  await mgmt(disableMergePolicyCommand(staging), 'mergePolicy');
}
