import { KustoServiceError, type ResultTable } from '../contracts.js';
import type { ExtentMeta, TableMeta } from '../engine/catalog-types.js';
import type { KustoEngine } from '../engine/kusto-engine.js';
import { nowTicks, parseDatetime } from '../engine/ticks.js';
import { NAME, boolProp, parseLiteralAt, parseWithProps, splitTopLevel, syntaxError, unquoteName } from './command-syntax.js';
import { g, resultTable, type MgmtCall, type MgmtCommand } from './command-types.js';

/** `.show … extents`, `.move extents`, `.drop extents`, extent tags. */

const EXTENT_COLUMNS = [
  ['ExtentId', 'guid'], ['DatabaseName', 'string'], ['TableName', 'string'], ['MaxCreatedOn', 'datetime'], ['OriginalSize', 'real'], ['ExtentSize', 'real'],
  ['CompressedSize', 'real'], ['IndexSize', 'real'], ['Blocks', 'long'], ['Segments', 'long'], ['ExtentContainerId', 'string'], ['RowCount', 'long'],
  ['MinCreatedOn', 'datetime'], ['Tags', 'string'], ['Kind', 'string'], ['DeletedRowCount', 'long'],
] as const;

function extentRow(t: TableMeta, e: ExtentMeta): unknown[] {
  return [e.id, t.database, t.name, e.createdOn, e.originalSize, e.originalSize, e.originalSize, 0, 1, 1, 'kjob-emulator', e.rows, e.createdOn, e.tags.join('\r\n'), 'StorageV3', 0];
}

/** `where tags has 'x' and tags !contains 'y'` after `.show … extents`. */
function tagFilter(text: string): (e: ExtentMeta) => boolean {
  const m = /\bwhere\s+([\s\S]+)$/i.exec(text.replace(/\bwith\s*\([\s\S]*?\)\s*;?\s*$/i, ''));
  if (!m) return () => true;
  const preds = m[1]!.split(/\s+and\s+/i).map((p) => {
    const pm = /^\s*tags\s+(!?)(has|contains|hasprefix|hassuffix)\s+([\s\S]+?)\s*;?\s*$/i.exec(p);
    if (!pm) throw syntaxError(`unsupported extents filter '${p.trim()}' (tags has|contains|hasprefix|hassuffix 'value' [and …])`);
    const value = parseLiteralAt(pm[3]!, 0).value;
    const op = pm[2]!.toLowerCase();
    const neg = pm[1] === '!';
    const test = (tag: string) => (op === 'has' ? tag === value : op === 'contains' ? tag.toLowerCase().includes(value.toLowerCase()) : op === 'hasprefix' ? tag.startsWith(value) : tag.endsWith(value));
    return (e: ExtentMeta) => e.tags.some(test) !== neg;
  });
  return (e) => preds.every((p) => p(e));
}

function maxResults(text: string): number | undefined {
  const props = parseWithProps(text);
  const policy = props['extentsshowfilteringruntimepolicy'];
  if (!policy) return undefined;
  const n = (JSON.parse(policy) as { MaximumResultsCount?: number }).MaximumResultsCount;
  return typeof n === 'number' ? n : undefined;
}

function showExtents(engine: KustoEngine, tables: readonly TableMeta[], text: string): ResultTable {
  const filter = tagFilter(text);
  const rows: unknown[][] = [];
  for (const t of tables) for (const e of engine.store.catalog.extentsOf(t.id)) if (filter(e)) rows.push(extentRow(t, e));
  const limit = maxResults(text);
  return resultTable(EXTENT_COLUMNS, limit === undefined ? rows : rows.slice(0, limit));
}

function operationIdResult(id: string): ResultTable {
  return resultTable([['OperationId', 'guid']], [[id]]);
}

/** The ExtentId column of a nested command's (or query's) result. */
async function extentIdsFrom(call: MgmtCall, inner: string): Promise<string[]> {
  const trimmed = inner.trim();
  const result = trimmed.startsWith('.') ? await call.engine.executeMgmt(call.database, trimmed, call.ctx) : await call.engine.query(call.database, trimmed);
  const idx = result.columns.findIndex((c) => c.name === 'ExtentId');
  if (idx < 0) throw new KustoServiceError(400, 'General_BadRequest', `The command after '<|' must return an ExtentId column (it returned ${result.columns.map((c) => c.name).join(', ')}).`);
  return [...new Set(result.rows.map((r) => String(r[idx])))];
}

async function runMaybeAsync(call: MgmtCall, isAsync: boolean, operation: string, work: () => Promise<ResultTable>): Promise<ResultTable> {
  if (!isAsync) return work();
  return operationIdResult(call.engine.startOperation(call.database, operation, call.ctx.clientRequestId, work));
}

/** Moves extents as one transaction: all move or, on any incompatibility, none. */
async function moveExtents(engine: KustoEngine, database: string, ids: readonly string[] | 'all', fromName: string | undefined, toName: string, props: Record<string, string>): Promise<ResultTable> {
  const fromTicks = props['extentcreatedonfrom'] ? parseDatetime(props['extentcreatedonfrom']) : undefined;
  const toTicks = props['extentcreatedonto'] ? parseDatetime(props['extentcreatedonto']) : undefined;
  const newTime = boolProp(props, 'setnewingestiontime');
  if (engine.faults?.moveExtentsHang) {
    const catalog = engine.store.catalog;
    const firstId = ids === 'all' ? undefined : ids[0];
    const owner = firstId === undefined ? undefined : catalog.extents.get(firstId);
    const source = fromName ?? (owner ? catalog.tables.get(owner.tableId)?.name : undefined);
    const hung = await engine.faults.moveExtentsHang(database, source);
    if (hung !== undefined) throw new KustoServiceError(500, 'Internal_MoveExtentsFailed', hung, false);
  }
  const rows = await engine.store.write(async (tx) => {
    const to = tx.state.findTable(database, toName);
    if (!to) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Destination table '${toName}' was not found in database '${database}'.`);
    const from = fromName === undefined ? undefined : tx.state.findTable(database, fromName);
    if (fromName !== undefined && !from) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Source table '${fromName}' was not found in database '${database}'.`);
    let extents: ExtentMeta[];
    if (ids === 'all') extents = tx.state.extentsOf(from!.id);
    else {
      extents = ids.map((id) => {
        const e = tx.state.extents.get(id);
        if (!e || (from && e.tableId !== from.id)) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Extent '${id}' was not found${from ? ` in table '${from.name}'` : ''}.`);
        return e;
      });
    }
    extents = extents.filter((e) => (fromTicks === undefined || e.createdOn >= fromTicks) && (toTicks === undefined || e.createdOn <= toTicks));
    if (engine.faults && extents.length > 0) {
      const source = from ?? tx.state.tables.get(extents[0]!.tableId);
      const decision = engine.faults.beforeMoveExtents(database, source?.name ?? '', extents.map((e) => e.id));
      if (decision.fail !== undefined) throw new KustoServiceError(500, 'Internal_MoveExtentsFailed', decision.fail, false);
      if (decision.onlyIds) {
        const keep = new Set(decision.onlyIds);
        extents = extents.filter((e) => keep.has(e.id));
      }
    }
    const now = nowTicks();
    const out: unknown[][] = [];
    for (const e of extents) {
      if (e.tableId === to.id) continue;
      const moved = await tx.moveExtent(e, to, newTime ? now : undefined);
      out.push([e.id, moved.id, '']);
    }
    return out;
  });
  const dest = engine.store.table(database, toName);
  if (dest) engine.merger.notify(dest.id);
  return resultTable([['OriginalExtentId', 'string'], ['ResultExtentId', 'string'], ['Details', 'string']], rows);
}

async function dropExtents(engine: KustoEngine, database: string, ids: readonly string[], tableName?: string): Promise<ResultTable> {
  const rows = await engine.store.write(async (tx) => {
    const table = tableName === undefined ? undefined : tx.state.findTable(database, tableName);
    if (tableName !== undefined && !table) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Table '${tableName}' was not found in database '${database}'.`);
    const out: unknown[][] = [];
    for (const id of ids) {
      const e = tx.state.extents.get(id);
      if (!e || (table && e.tableId !== table.id)) continue;
      const t = tx.state.tables.get(e.tableId);
      if (!t || t.database !== database) continue;
      await tx.dropExtent(e);
      out.push([e.id, t.name, e.createdOn]);
    }
    return out;
  });
  return resultTable([['ExtentId', 'guid'], ['TableName', 'string'], ['CreatedOn', 'datetime']], rows);
}

function parseIdList(text: string): string[] {
  return splitTopLevel(text, ',').map((s) => s.trim().replace(/^['"]|['"]$/g, '')).filter((s) => s !== '');
}

export const extentCommands: MgmtCommand[] = [
  {
    name: 'show table extents',
    pattern: new RegExp(String.raw`^\.show\s+table\s+(?<name>${NAME})\s+extents\b(?<rest>[\s\S]*)$`, 'i'),
    async run(m, { engine, database }) {
      return showExtents(engine, [engine.requireTable(database, unquoteName(g(m, 'name')))], g(m, 'rest'));
    },
  },
  {
    name: 'show tables extents',
    pattern: /^\.show\s+tables\s*\((?<names>[^)]*)\)\s+extents\b(?<rest>[\s\S]*)$/i,
    async run(m, { engine, database }) {
      const tables = splitTopLevel(g(m, 'names'), ',').map((n) => engine.requireTable(database, unquoteName(n)));
      return showExtents(engine, tables, g(m, 'rest'));
    },
  },
  {
    name: 'show database extents',
    pattern: new RegExp(String.raw`^\.show\s+database(?:\s+(?!extents\b)(?<db>${NAME}))?\s+extents\b(?<rest>[\s\S]*)$`, 'i'),
    async run(m, { engine, database }) {
      const db = g(m, 'db') ? unquoteName(g(m, 'db')) : database;
      await engine.ensureDatabase(db);
      return showExtents(engine, engine.store.catalog.tablesOf(db), g(m, 'rest'));
    },
  },
  {
    name: 'move extents from table',
    pattern: new RegExp(String.raw`^\.move\s+(?<async>async\s+)?extents\s+(?:(?<all>all)|\((?<ids>[^)]*)\))\s+from\s+table\s+(?<from>${NAME})\s+to\s+table\s+(?<to>${NAME})(?<rest>[\s\S]*)$`, 'i'),
    async run(m, call) {
      const ids = g(m, 'all') ? 'all' : parseIdList(g(m, 'ids'));
      const props = parseWithProps(g(m, 'rest'));
      return runMaybeAsync(call, g(m, 'async') !== '', 'ExtentsMove', () => moveExtents(call.engine, call.database, ids, unquoteName(g(m, 'from')), unquoteName(g(m, 'to')), props));
    },
  },
  {
    name: 'move extents by query',
    pattern: new RegExp(String.raw`^\.move\s+(?<async>async\s+)?extents\s+to\s+table\s+(?<to>${NAME})(?<with>[\s\S]*?)<\|(?<inner>[\s\S]+)$`, 'i'),
    async run(m, call) {
      const props = parseWithProps(g(m, 'with'));
      const inner = g(m, 'inner');
      return runMaybeAsync(call, g(m, 'async') !== '', 'ExtentsMove', async () => {
        const ids = await extentIdsFrom(call, inner);
        return moveExtents(call.engine, call.database, ids, undefined, unquoteName(g(m, 'to')), props);
      });
    },
  },
  {
    name: 'drop extents by query',
    pattern: /^\.drop\s+(?<async>async\s+)?extents\s*(?<with>with\s*\([^)]*\))?\s*<\|(?<inner>[\s\S]+)$/i,
    async run(m, call) {
      return runMaybeAsync(call, g(m, 'async') !== '', 'ExtentsDrop', async () => dropExtents(call.engine, call.database, await extentIdsFrom(call, g(m, 'inner'))));
    },
  },
  {
    name: 'drop extents by id',
    pattern: new RegExp(String.raw`^\.drop\s+(?<async>async\s+)?extents?\s*(?:\((?<ids>[^)]*)\)|(?<id>[0-9a-fA-F-]{36}))(?:\s+from\s+(?:table\s+)?(?<table>${NAME}))?\s*$`, 'i'),
    async run(m, call) {
      const ids = g(m, 'id') ? [g(m, 'id')] : parseIdList(g(m, 'ids'));
      return runMaybeAsync(call, g(m, 'async') !== '', 'ExtentsDrop', () => dropExtents(call.engine, call.database, ids, g(m, 'table') ? unquoteName(g(m, 'table')) : undefined));
    },
  },
  {
    name: 'drop extents from table',
    pattern: new RegExp(String.raw`^\.drop\s+(?<async>async\s+)?extents\s+from\s+(?:table\s+)?(?<table>${NAME})\s*$`, 'i'),
    async run(m, call) {
      const t = call.engine.requireTable(call.database, unquoteName(g(m, 'table')));
      const ids = call.engine.store.catalog.extentsOf(t.id).map((e) => e.id);
      return runMaybeAsync(call, g(m, 'async') !== '', 'ExtentsDrop', () => dropExtents(call.engine, call.database, ids, t.name));
    },
  },
  {
    name: 'drop extent tags',
    pattern: new RegExp(String.raw`^\.drop\s+(?<async>async\s+)?table\s+(?<table>${NAME})\s+extent\s+tags\s*(?:\((?<tags>[\s\S]*?)\)\s*$|<\|(?<inner>[\s\S]+)$)`, 'i'),
    async run(m, call) {
      const tableName = unquoteName(g(m, 'table'));
      const { engine, database } = call;
      const work = async (): Promise<ResultTable> => {
        const t = engine.requireTable(database, tableName);
        // Either an explicit tag list for every extent, or (extent, tag) pairs from a query.
        let pairs: { id: string; tag: string }[];
        if (g(m, 'inner')) {
          const inner = g(m, 'inner').trim();
          const r = inner.startsWith('.') ? await engine.executeMgmt(database, inner, call.ctx) : await engine.query(database, inner);
          const ei = r.columns.findIndex((c) => c.name === 'ExtentId');
          const ti = r.columns.findIndex((c) => c.name === 'Tags');
          if (ei < 0 || ti < 0) throw new KustoServiceError(400, 'General_BadRequest', 'The query after <| must return ExtentId and Tags columns.');
          pairs = r.rows.flatMap((row) => String(row[ti] ?? '').split('\r\n').filter(Boolean).map((tag) => ({ id: String(row[ei]), tag })));
        } else {
          const tags = splitTopLevel(g(m, 'tags'), ',').map((s) => s.trim()).filter(Boolean).map((s) => parseLiteralAt(s, 0).value);
          pairs = engine.store.catalog.extentsOf(t.id).flatMap((e) => tags.map((tag) => ({ id: e.id, tag })));
        }
        const rows = await engine.store.write(async (tx) => {
          const out: unknown[][] = [];
          const byExtent = new Map<string, Set<string>>();
          for (const p of pairs) byExtent.set(p.id, (byExtent.get(p.id) ?? new Set()).add(p.tag));
          for (const [id, tags] of byExtent) {
            const e = tx.state.extents.get(id);
            if (!e || e.tableId !== t.id || !e.tags.some((x) => tags.has(x))) continue;
            const next = await tx.setExtentTags(e, e.tags.filter((x) => !tags.has(x)));
            out.push([e.id, next.id, next.tags.join('\r\n')]);
          }
          return out;
        });
        return resultTable([['OriginalExtentId', 'string'], ['ResultExtentId', 'string'], ['ResultExtentTags', 'string']], rows);
      };
      return runMaybeAsync(call, g(m, 'async') !== '', 'ExtentsDropTags', work);
    },
  },
  {
    name: 'alter extent tags',
    pattern: /^\.(?<verb>alter|alter-merge)\s+(?<async>async\s+)?extent\s+tags\s*\((?<tags>[\s\S]*?)\)\s*<\|(?<inner>[\s\S]+)$/i,
    async run(m, call) {
      const tags = splitTopLevel(g(m, 'tags'), ',').map((s) => s.trim()).filter(Boolean).map((s) => parseLiteralAt(s, 0).value);
      const merge = g(m, 'verb').toLowerCase() === 'alter-merge';
      return runMaybeAsync(call, g(m, 'async') !== '', 'ExtentsAlterTags', async () => {
        const ids = await extentIdsFrom(call, g(m, 'inner'));
        const rows = await call.engine.store.write(async (tx) => {
          const out: unknown[][] = [];
          for (const id of ids) {
            const e = tx.state.extents.get(id);
            if (!e) continue;
            const next = await tx.setExtentTags(e, merge ? [...new Set([...e.tags, ...tags])] : tags);
            out.push([e.id, next.id, next.tags.join('\r\n')]);
          }
          return out;
        });
        return resultTable([['OriginalExtentId', 'string'], ['ResultExtentId', 'string'], ['ResultExtentTags', 'string']], rows);
      });
    },
  },
];
