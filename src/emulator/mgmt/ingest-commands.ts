import { KustoServiceError, type IngestFormat, type KustoColumn, type ResultTable } from '../contracts.js';
import type { TableMeta } from '../engine/catalog-types.js';
import { translate } from '../engine/kql-bridge.js';
import type { KustoEngine } from '../engine/kusto-engine.js';
import { quoteIdent } from '../engine/sql-text.js';
import { dateToTicks, nowTicks, parseDatetime, ticksToDate } from '../engine/ticks.js';
import { DUCKDB_TYPE } from '../storage-types.js';
import { parseMapping } from '../ingest/column-mapping.js';
import { NAME, boolProp, parseTagList, parseWithProps, syntaxError, unquoteName } from './command-syntax.js';
import { g, resultTable, type MgmtCall, type MgmtCommand } from './command-types.js';

/** `.ingest inline` and the query-ingestion family `.set`, `.append`, `.set-or-append`, `.set-or-replace`. */

const FORMATS = new Set(['csv', 'tsv', 'tsve', 'psv', 'scsv', 'sohsv', 'txt', 'json', 'multijson', 'singlejson', 'parquet']);

function extentTags(props: Record<string, string>): string[] {
  const tags = parseTagList(props['tags'], 'tags');
  for (const t of parseTagList(props['ingestbytags'], 'ingestByTags')) tags.push(`ingest-by:${t}`);
  for (const t of parseTagList(props['dropbytags'], 'dropByTags')) tags.push(`drop-by:${t}`);
  return tags;
}

function creationTime(props: Record<string, string>): Date | undefined {
  const raw = props['creationtime'];
  if (raw === undefined) return undefined;
  const ticks = parseDatetime(raw);
  if (ticks === undefined) throw syntaxError(`creationTime '${raw}' is not a datetime`);
  return ticksToDate(ticks);
}

/** True when ingestIfNotExists names a tag some extent of the table already carries as ingest-by:. */
function alreadyIngested(engine: KustoEngine, t: TableMeta | undefined, props: Record<string, string>): boolean {
  if (!t) return false;
  const wanted = parseTagList(props['ingestifnotexists'], 'ingestIfNotExists');
  return wanted.some((tag) => engine.hasIngestByTag(t.database, t.name, tag));
}

function ingestResult(extentId: string | null, startedAt: number, hasErrors: boolean, operationId: string): ResultTable {
  return resultTable([['ExtentId', 'guid'], ['ItemLoaded', 'string'], ['Duration', 'timespan'], ['HasErrors', 'bool'], ['OperationId', 'guid']], extentId ? [[extentId, 'inproc:inline', BigInt(Date.now() - startedAt) * 10_000n, hasErrors, operationId]] : []);
}

function inlineData(after: string): string {
  // The data starts on the next line when the `<|` line is otherwise blank, else after the spaces.
  return /^[ \t]*\r?\n/.test(after) ? after.replace(/^[ \t]*\r?\n/, '') : after.replace(/^[ \t]+/, '');
}

async function queryIntoTable(call: MgmtCall, verb: string, tableName: string, props: Record<string, string>, query: string): Promise<ResultTable> {
  const { engine, database } = call;
  await engine.ensureDatabase(database);
  const existing = engine.store.table(database, tableName);
  if (alreadyIngested(engine, existing, props)) return resultTable(SET_COLUMNS, []);
  const { sql, columns: qcols } = await translate(query, engine.catalogFor(database), nowTicks());
  const tags = extentTags(props);
  const created = creationTime(props);
  const row = await engine.store.write(async (tx) => {
    let t = tx.state.findTable(database, tableName);
    if (verb === 'set' && t) throw new KustoServiceError(400, 'BadRequest_EntityAlreadyExists', `Table '${tableName}' already exists; .set creates a new table (use .append or .set-or-append).`);
    if (verb === 'append' && !t) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Table '${tableName}' was not found in database '${database}'; .append needs an existing table.`);
    if (!t) {
      t = await tx.createTable(database, tableName, qcols, { ...(props['folder'] !== undefined ? { folder: props['folder'] } : {}), ...(props['docstring'] !== undefined ? { docString: props['docstring'] } : {}) });
    } else if (boolProp(props, 'extend_schema') || boolProp(props, 'recreate_schema')) {
      const extra = qcols.filter((c) => !t!.columns.some((x) => x.name === c.name));
      if (extra.length) t = await tx.setColumns(t, [...t.columns, ...extra]);
    }
    const select = selectInto(t, qcols);
    const storage = await tx.createExtentStorage(t.columns, `SELECT ${select} FROM (${sql}) AS q`);
    const count = Number(((await tx.conn.runAndReadAll(`SELECT count(*) FROM ${storage}`)).getRows()[0]![0]) as bigint);
    if (count === 0) {
      await tx.conn.run(`DROP TABLE ${storage}`);
      if (verb === 'set-or-replace') for (const e of tx.state.extentsOf(t.id)) await tx.dropExtent(e);
      return null;
    }
    const old = verb === 'set-or-replace' ? tx.state.extentsOf(t.id) : [];
    const size = count * Math.max(1, t.columns.length) * 8;
    const e = await tx.addExtent({ tableId: t.id, rows: count, originalSize: size, createdOn: created ? dateToTicks(created) : nowTicks(), tags, storage });
    for (const o of old) await tx.dropExtent(o);
    return [e.id, size, size, size, 0, count];
  });
  const merged = engine.store.table(database, tableName);
  if (merged) engine.merger.notify(merged.id);
  return resultTable(SET_COLUMNS, row ? [row] : []);
}

const SET_COLUMNS = [['ExtentId', 'guid'], ['OriginalSize', 'long'], ['ExtentSize', 'long'], ['ColumnSize', 'long'], ['IndexSize', 'long'], ['RowCount', 'long']] as const;

/**
 * The SELECT list that puts the query's columns into the table's: by name when every query column
 * exists in the table, else by position when the counts agree; types are CAST to the table's.
 */
function selectInto(t: TableMeta, qcols: readonly KustoColumn[]): string {
  const byName = qcols.every((q) => t.columns.some((c) => c.name === q.name));
  if (!byName && qcols.length !== t.columns.length) {
    throw new KustoServiceError(400, 'BadRequest_InvalidArgument', `Query schema (${qcols.map((c) => `${c.name}:${c.type}`).join(', ')}) does not match table '${t.name}' (${t.columns.map((c) => `${c.name}:${c.type}`).join(', ')}); use with(extend_schema=true) to add columns.`);
  }
  return t.columns
    .map((c, i) => {
      const q = byName ? qcols.find((x) => x.name === c.name) : qcols[i];
      if (!q) return `CAST(NULL AS ${DUCKDB_TYPE[c.type]}) AS ${quoteIdent(c.name)}`;
      const src = `q.${quoteIdent(q.name)}`;
      return q.type === c.type ? `${src} AS ${quoteIdent(c.name)}` : `TRY_CAST(${src} AS ${DUCKDB_TYPE[c.type]}) AS ${quoteIdent(c.name)}`;
    })
    .join(', ');
}

export const ingestCommands: MgmtCommand[] = [
  {
    name: 'ingest inline',
    pattern: new RegExp(String.raw`^\.ingest\s+(?<async>async\s+)?inline\s+into\s+table\s+(?<name>${NAME})(?<with>[\s\S]*?)<\|(?<data>[\s\S]*)$`, 'i'),
    async run(m, call) {
      const { engine, database } = call;
      const started = Date.now();
      const props = parseWithProps(g(m, 'with'));
      const format = (props['format'] ?? 'csv').toLowerCase();
      if (!FORMATS.has(format)) throw syntaxError(`unsupported ingestion format '${format}'`);
      const t = engine.requireTable(database, unquoteName(g(m, 'name')));
      if (alreadyIngested(engine, t, props)) return ingestResult(null, started, false, '00000000-0000-0000-0000-000000000000');
      const data = Buffer.from(inlineData(g(m, 'data')), 'utf8');
      const item = {
        data,
        format: format as IngestFormat,
        ...(props['ingestionmapping'] ? { mapping: parseMapping(props['ingestionmapping'], 'ingestionMapping') } : {}),
        ...(props['ingestionmappingreference'] ? { mappingReference: props['ingestionmappingreference'] } : {}),
        ...(boolProp(props, 'ignorefirstrecord') ? { ignoreFirstRecord: true } : {}),
        ...(props['validationpolicy'] ? { validationImplications: (JSON.parse(props['validationpolicy']) as { ValidationImplications?: number }).ValidationImplications === 0 ? (0 as const) : (1 as const) } : {}),
        sourcePath: 'inproc:inline',
      };
      const work = async (): Promise<ResultTable> => {
        const created = creationTime(props);
        const r = await engine.ingestBatch(database, t.name, [item], { tags: extentTags(props), ...(created ? { creationTime: created } : {}) });
        const outcome = r.outcomes[0]!;
        if (outcome.status === 'Failed') throw new KustoServiceError(400, outcome.errorCode ?? 'BadRequest_InvalidData', `Inline ingestion into '${t.name}' failed: ${outcome.details ?? 'invalid data'}`);
        return ingestResult(r.extentId, started, outcome.status !== 'Succeeded', '00000000-0000-0000-0000-000000000000');
      };
      if (g(m, 'async')) return resultTable([['OperationId', 'guid']], [[engine.startOperation(database, 'DataIngestPull', call.ctx.clientRequestId, work)]]);
      return work();
    },
  },
  {
    name: 'set/append from query',
    pattern: new RegExp(String.raw`^\.(?<verb>set-or-append|set-or-replace|set|append)\s+(?<async>async\s+)?(?<name>${NAME})(?<with>[\s\S]*?)<\|(?<query>[\s\S]+)$`, 'i'),
    async run(m, call) {
      const verb = g(m, 'verb').toLowerCase();
      const props = parseWithProps(g(m, 'with'));
      const name = unquoteName(g(m, 'name'));
      const work = () => queryIntoTable(call, verb, name, props, g(m, 'query'));
      if (g(m, 'async')) {
        const op = verb === 'append' ? 'TableAppend' : verb === 'set' ? 'TableSet' : verb === 'set-or-replace' ? 'TableSetOrReplace' : 'TableSetOrAppend';
        return resultTable([['OperationId', 'guid']], [[call.engine.startOperation(call.database, op, call.ctx.clientRequestId, work)]]);
      }
      return work();
    },
  },
];
