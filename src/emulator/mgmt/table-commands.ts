import { KustoServiceError, type KustoColumn, type ResultTable } from '../contracts.js';
import type { TableMeta } from '../engine/catalog-types.js';
import type { KustoEngine } from '../engine/kusto-engine.js';
import { CLR_TYPE } from '../storage-types.js';
import { NAME, boolProp, matchParen, parseColumnList, parseLiteralAt, parseWithProps, splitTopLevel, syntaxError, unquoteName } from './command-syntax.js';
import { g, resultTable, type MgmtCommand } from './command-types.js';

/** Table DDL and schema commands. */

export function cslSchema(columns: readonly KustoColumn[]): string {
  return columns.map((c) => `${c.name}:${c.type}`).join(',');
}

function schemaResult(_e: KustoEngine, tables: readonly TableMeta[]): ResultTable {
  return resultTable(
    [['TableName', 'string'], ['Schema', 'string'], ['DatabaseName', 'string'], ['Folder', 'string'], ['DocString', 'string']],
    tables.map((t) => [t.name, cslSchema(t.columns), t.database, t.folder, t.docString]),
  );
}

function sameColumns(a: readonly KustoColumn[], b: readonly KustoColumn[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]!.name && c.type === b[i]!.type);
}

/** `(cols) [with (...)]` → columns and properties. */
function columnsAndProps(rest: string): { columns: KustoColumn[]; props: Record<string, string>; tail: string } {
  const open = rest.indexOf('(');
  if (open < 0) throw syntaxError('expected a column list');
  const close = matchParen(rest, open);
  return { columns: parseColumnList(rest.slice(open, close + 1)), props: parseWithProps(rest.slice(close + 1)), tail: rest.slice(close + 1) };
}

function mergeInto(existing: readonly KustoColumn[], added: readonly KustoColumn[], table: string): KustoColumn[] {
  const out = [...existing];
  for (const c of added) {
    const old = out.find((x) => x.name === c.name);
    if (!old) out.push(c);
    else if (old.type !== c.type) throw new KustoServiceError(400, 'BadRequest_BadColumnType', `Column '${c.name}' of table '${table}' is ${old.type}; it cannot be merged as ${c.type}.`);
  }
  return out;
}

async function createOne(e: KustoEngine, database: string, name: string, columns: KustoColumn[], props: Record<string, string>, merge: boolean): Promise<TableMeta> {
  await e.ensureDatabase(database);
  return e.store.write(async (tx) => {
    const existing = tx.state.findTable(database, name);
    const tableProps = { ...(props['folder'] !== undefined ? { folder: props['folder'] } : {}), ...(props['docstring'] !== undefined ? { docString: props['docstring'] } : {}), ...(props['hidden'] !== undefined ? { hidden: boolProp(props, 'hidden') } : {}) };
    if (!existing) return tx.createTable(database, name, columns, tableProps);
    if (merge) {
      const merged = mergeInto(existing.columns, columns, name);
      const t = sameColumns(merged, existing.columns) ? existing : await tx.setColumns(existing, merged);
      return Object.keys(tableProps).length ? tx.updateTableProps(t, tableProps) : t;
    }
    if (!sameColumns(existing.columns, columns)) {
      throw new KustoServiceError(400, 'BadRequest_EntityAlreadyExists', `Table '${name}' already exists in database '${database}' with a different schema (${cslSchema(existing.columns)}); use .alter table or .create-merge table.`);
    }
    return existing;
  });
}

function tableSchemaJson(t: TableMeta): string {
  return JSON.stringify({
    Name: t.name,
    Folder: t.folder,
    DocString: t.docString,
    OrderedColumns: t.columns.map((c) => ({ Name: c.name, Type: CLR_TYPE[c.type], CslType: c.type })),
  });
}

export const tableCommands: MgmtCommand[] = [
  {
    name: 'create tables',
    pattern: /^\.(?<verb>create|create-merge)\s+tables\s+(?<rest>[\s\S]+)$/i,
    async run(m, { engine, database }) {
      const merge = g(m, 'verb').toLowerCase() === 'create-merge';
      const rest = g(m, 'rest');
      const withAt = rest.search(/\)\s*with\s*\(/i);
      const body = withAt >= 0 ? rest.slice(0, withAt + 1) : rest;
      const props = withAt >= 0 ? parseWithProps(rest.slice(withAt + 1)) : {};
      const out: TableMeta[] = [];
      for (const part of splitTopLevel(body, ',')) {
        const pm = new RegExp(String.raw`^\s*(${NAME})\s*(\([\s\S]*\))\s*$`).exec(part);
        if (!pm) throw syntaxError(`cannot read table definition '${part.trim()}'`);
        out.push(await createOne(engine, database, unquoteName(pm[1]!), parseColumnList(pm[2]!), props, merge));
      }
      return schemaResult(engine, out);
    },
  },
  {
    name: 'create table',
    pattern: new RegExp(String.raw`^\.(?<verb>create|create-merge)\s+table\s+(?<name>${NAME})\s*(?<rest>\([\s\S]*)$`, 'i'),
    async run(m, { engine, database }) {
      const { columns, props } = columnsAndProps(g(m, 'rest'));
      const t = await createOne(engine, database, unquoteName(g(m, 'name')), columns, props, g(m, 'verb').toLowerCase() === 'create-merge');
      return schemaResult(engine, [t]);
    },
  },
  {
    name: 'alter table',
    pattern: new RegExp(String.raw`^\.(?<verb>alter|alter-merge)\s+table\s+(?<name>${NAME})\s*(?<rest>\([\s\S]*)$`, 'i'),
    async run(m, { engine, database }) {
      const { columns, props } = columnsAndProps(g(m, 'rest'));
      const name = unquoteName(g(m, 'name'));
      const merge = g(m, 'verb').toLowerCase() === 'alter-merge';
      const t = await engine.store.write(async (tx) => {
        const existing = tx.state.findTable(database, name);
        if (!existing) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Table '${name}' was not found in database '${database}'.`);
        const next = merge ? mergeInto(existing.columns, columns, name) : columns;
        let t2 = sameColumns(next, existing.columns) ? existing : await tx.setColumns(existing, next);
        if (props['folder'] !== undefined || props['docstring'] !== undefined) t2 = await tx.updateTableProps(t2, { ...(props['folder'] !== undefined ? { folder: props['folder'] } : {}), ...(props['docstring'] !== undefined ? { docString: props['docstring'] } : {}) });
        return t2;
      });
      return schemaResult(engine, [t]);
    },
  },
  {
    name: 'alter table folder/docstring',
    pattern: new RegExp(String.raw`^\.alter\s+table\s+(?<name>${NAME})\s+(?<what>folder|docstring)\s+(?<lit>[\s\S]+)$`, 'i'),
    async run(m, { engine, database }) {
      const value = parseLiteralAt(g(m, 'lit'), 0).value;
      const t = engine.requireTable(database, unquoteName(g(m, 'name')));
      const next = await engine.store.write((tx) => tx.updateTableProps(tx.state.tables.get(t.id)!, g(m, 'what').toLowerCase() === 'folder' ? { folder: value } : { docString: value }));
      return schemaResult(engine, [next]);
    },
  },
  {
    name: 'drop tables',
    pattern: /^\.drop\s+tables\s*\((?<names>[^)]*)\)\s*(?<ifexists>ifexists)?\s*$/i,
    async run(m, { engine, database }) {
      const names = splitTopLevel(g(m, 'names'), ',').map((s) => unquoteName(s)).filter((s) => s !== '');
      const ifExists = g(m, 'ifexists') !== '';
      await engine.store.write(async (tx) => {
        for (const n of names) {
          const t = tx.state.findTable(database, n);
          if (t) await tx.dropTable(t);
          else if (!ifExists) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Table '${n}' was not found in database '${database}'.`);
        }
      });
      return resultTable([['TableName', 'string'], ['DatabaseName', 'string']], engine.store.catalog.tablesOf(database).map((t) => [t.name, database]));
    },
  },
  {
    name: 'drop table',
    pattern: new RegExp(String.raw`^\.drop\s+table\s+(?<name>${NAME})\s*(?<ifexists>ifexists)?\s*$`, 'i'),
    async run(m, { engine, database }) {
      const name = unquoteName(g(m, 'name'));
      const ifExists = g(m, 'ifexists') !== '';
      await engine.store.write(async (tx) => {
        const t = tx.state.findTable(database, name);
        if (t) await tx.dropTable(t);
        else if (!ifExists) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Table '${name}' was not found in database '${database}'.`, true, 'Kusto.Data.Exceptions.EntityNotFoundException');
      });
      return resultTable([['TableName', 'string'], ['DatabaseName', 'string']], engine.store.catalog.tablesOf(database).map((t) => [t.name, database]));
    },
  },
  {
    name: 'rename table',
    pattern: new RegExp(String.raw`^\.rename\s+table\s+(?<from>${NAME})\s+to\s+(?<to>${NAME})\s*$`, 'i'),
    async run(m, { engine, database }) {
      const from = unquoteName(g(m, 'from'));
      const to = unquoteName(g(m, 'to'));
      const t = await engine.store.write(async (tx) => {
        const src = tx.state.findTable(database, from);
        if (!src) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Table '${from}' was not found in database '${database}'.`);
        if (tx.state.tablesOf(database).some((x) => x.name === to)) throw new KustoServiceError(400, 'BadRequest_EntityAlreadyExists', `Table '${to}' already exists in database '${database}'.`);
        return tx.updateTableProps(src, { name: to });
      });
      return schemaResult(engine, [t]);
    },
  },
  {
    name: 'show tables details',
    pattern: /^\.show\s+tables\s+details\s*$/i,
    async run(_m, { engine, database }) {
      await engine.ensureDatabase(database);
      const rows = engine.store.catalog.tablesOf(database).map((t) => {
        const ex = engine.store.catalog.extentsOf(t.id);
        const created = ex.map((x) => x.createdOn);
        const size = ex.reduce((s, x) => s + x.originalSize, 0);
        const min = created.length ? created.reduce((a, b) => (a < b ? a : b)) : null;
        const max = created.length ? created.reduce((a, b) => (a > b ? a : b)) : null;
        return [t.name, database, t.folder, t.docString, ex.length, size, size, ex.reduce((s, x) => s + x.rows, 0), ex.length, size, size, 0, ex.reduce((s, x) => s + x.rows, 0), min, max, engine.store.policy(database, t.id, 'caching') ?? null, engine.store.policy(database, t.id, 'retention') ?? null, cslSchemaJsonless(t), tableSchemaJson(t)];
      });
      return resultTable(
        [['TableName', 'string'], ['DatabaseName', 'string'], ['Folder', 'string'], ['DocString', 'string'], ['TotalExtents', 'long'], ['TotalExtentSize', 'real'], ['TotalOriginalSize', 'real'], ['TotalRowCount', 'long'], ['HotExtents', 'long'], ['HotExtentSize', 'real'], ['HotOriginalSize', 'real'], ['HotRowCount', 'long'], ['TotalRowCountEstimate', 'long'], ['MinExtentsCreationTime', 'datetime'], ['MaxExtentsCreationTime', 'datetime'], ['CachingPolicy', 'string'], ['RetentionPolicy', 'string'], ['CslSchema', 'string'], ['JsonSchema', 'string']],
        rows,
      );
    },
  },
  {
    name: 'show tables',
    pattern: /^\.show\s+tables\s*$/i,
    async run(_m, { engine, database }) {
      await engine.ensureDatabase(database);
      return resultTable([['TableName', 'string'], ['DatabaseName', 'string'], ['Folder', 'string'], ['DocString', 'string']], engine.store.catalog.tablesOf(database).map((t) => [t.name, database, t.folder, t.docString]));
    },
  },
  {
    name: 'show table schema as json',
    pattern: new RegExp(String.raw`^\.show\s+table\s+(?<name>${NAME})\s+schema\s+as\s+json\s*$`, 'i'),
    async run(m, { engine, database }) {
      await engine.ensureDatabase(database);
      const t = engine.store.table(database, unquoteName(g(m, 'name')));
      // A missing table yields no rows: the Spark connector reads "zero rows" as "does not exist".
      return resultTable([['TableName', 'string'], ['Schema', 'string'], ['DatabaseName', 'string'], ['Folder', 'string'], ['DocString', 'string']], t ? [[t.name, tableSchemaJson(t), database, t.folder, t.docString]] : []);
    },
  },
  {
    name: 'show table cslschema',
    pattern: new RegExp(String.raw`^\.show\s+table\s+(?<name>${NAME})\s+(?:cslschema|schema\s+as\s+csl)\s*$`, 'i'),
    async run(m, { engine, database }) {
      return schemaResult(engine, [engine.requireTable(database, unquoteName(g(m, 'name')))]);
    },
  },
  {
    name: 'show database schema',
    pattern: new RegExp(String.raw`^\.show\s+database\s+(?<db>${NAME})\s+schema(?:\s+as\s+(?<as>json|csl))?\s*$`, 'i'),
    async run(m, { engine }) {
      const db = unquoteName(g(m, 'db'));
      if (!engine.store.database(db)) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Database '${db}' was not found.`);
      const tables = engine.store.catalog.tablesOf(db);
      const as = g(m, 'as').toLowerCase();
      if (as === 'json') {
        const schema = { Databases: { [db]: { Name: db, Tables: Object.fromEntries(tables.map((t) => [t.name, JSON.parse(tableSchemaJson(t)) as unknown])), MajorVersion: 1, MinorVersion: 0, Functions: {}, DatabaseAccessMode: 'ReadWrite' } } };
        return resultTable([['DatabaseSchema', 'string']], [[JSON.stringify(schema)]]);
      }
      if (as === 'csl') return resultTable([['TableName', 'string'], ['Schema', 'string'], ['DatabaseName', 'string'], ['Folder', 'string'], ['DocString', 'string']], tables.map((t) => [t.name, cslSchema(t.columns), db, t.folder, t.docString]));
      const rows: unknown[][] = [[db, null, null, null, false, false, '', 'v1.0', null, null]];
      for (const t of tables) {
        rows.push([db, t.name, null, null, false, false, '', '', t.folder, t.docString]);
        for (const c of t.columns) rows.push([db, t.name, c.name, CLR_TYPE[c.type], false, false, '', '', t.folder, '']);
      }
      return resultTable([['DatabaseName', 'string'], ['TableName', 'string'], ['ColumnName', 'string'], ['ColumnType', 'string'], ['IsDefaultTable', 'bool'], ['IsDefaultColumn', 'bool'], ['PrettyName', 'string'], ['Version', 'string'], ['Folder', 'string'], ['DocString', 'string']], rows);
    },
  },
  {
    name: 'show table',
    pattern: new RegExp(String.raw`^\.show\s+table\s+(?<name>${NAME})\s*$`, 'i'),
    async run(m, { engine, database }) {
      const t = engine.requireTable(database, unquoteName(g(m, 'name')));
      return resultTable(
        [['AttributeName', 'string'], ['AttributeType', 'string'], ['ExtentSize', 'long'], ['CompressionRatio', 'real'], ['IndexSize', 'long'], ['IndexSizePercent', 'real'], ['OriginalSize', 'long'], ['AttributeId', 'guid'], ['SharedIndexSize', 'long'], ['StorageEngineVersion', 'string']],
        t.columns.map((c) => [c.name, CLR_TYPE[c.type], 0, 0, 0, 0, 0, null, 0, 'V3']),
      );
    },
  },
];

function cslSchemaJsonless(t: TableMeta): string {
  return cslSchema(t.columns);
}
