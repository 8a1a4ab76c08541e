import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { KustoServiceError, type KustoColumn } from '../contracts.js';
import { DUCKDB_TYPE } from '../storage-types.js';
import { AsyncMutex } from './async-mutex.js';
import { CatalogState, mappingKey, policyKey } from './catalog-state.js';
import type { DatabaseMeta, ExtentMeta, MappingMeta, TableMeta } from './catalog-types.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';

/**
 * The emulator's storage: one DuckDB database holding
 * - every extent as its own table in schema `_kjob_x` (the rows, in storage form);
 * - every Kusto table as a view in `_kjob_v` (UNION ALL of its extents, columns in table order);
 * - the catalog (databases, tables, extents with tags and times, policies, mappings) in `_kjob`.
 * Moving or dropping extents is therefore an update of `_kjob.extents` plus a view rebuild, in one
 * DuckDB transaction with the data: no rows are copied and a failure leaves nothing half-done.
 */
export class KustoStore {
  private state = new CatalogState();
  private readonly mutex = new AsyncMutex();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
  ) {}

  static async open(dataDir: string | undefined): Promise<KustoStore> {
    let path = ':memory:';
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      path = join(dataDir, 'kjob-emulator.duckdb');
    }
    const instance = await DuckDBInstance.create(path);
    const writer = await instance.connect();
    const store = new KustoStore(instance, writer);
    await store.init();
    return store;
  }

  private async init(): Promise<void> {
    await this.writer.run(`
      CREATE SCHEMA IF NOT EXISTS _kjob; CREATE SCHEMA IF NOT EXISTS _kjob_x; CREATE SCHEMA IF NOT EXISTS _kjob_v;
      CREATE TABLE IF NOT EXISTS _kjob.databases(name VARCHAR, volatile BOOLEAN);
      CREATE TABLE IF NOT EXISTS _kjob.tables(id BIGINT, database VARCHAR, name VARCHAR, columns VARCHAR, folder VARCHAR, docstring VARCHAR, hidden BOOLEAN);
      CREATE TABLE IF NOT EXISTS _kjob.extents(id VARCHAR, table_id BIGINT, rows BIGINT, original_size BIGINT, created_on BIGINT, tags VARCHAR, storage VARCHAR, seq BIGINT);
      CREATE TABLE IF NOT EXISTS _kjob.policies(k VARCHAR, policy VARCHAR);
      CREATE TABLE IF NOT EXISTS _kjob.mappings(k VARCHAR, database VARCHAR, table_id BIGINT, kind VARCHAR, name VARCHAR, mapping VARCHAR, updated BIGINT);
    `);
    const s = new CatalogState();
    for (const r of (await this.writer.runAndReadAll('SELECT name, volatile FROM _kjob.databases')).getRows()) {
      s.databases.set(String(r[0]), { name: String(r[0]), volatile: Boolean(r[1]) });
    }
    for (const r of (await this.writer.runAndReadAll('SELECT id, database, name, columns, folder, docstring, hidden FROM _kjob.tables ORDER BY id')).getRows()) {
      const t: TableMeta = { id: Number(r[0]), database: String(r[1]), name: String(r[2]), columns: JSON.parse(String(r[3])) as KustoColumn[], folder: String(r[4] ?? ''), docString: String(r[5] ?? ''), hidden: Boolean(r[6]) };
      s.tables.set(t.id, t);
      s.nextTableId = Math.max(s.nextTableId, t.id + 1);
    }
    for (const r of (await this.writer.runAndReadAll('SELECT id, table_id, rows, original_size, created_on, tags, storage FROM _kjob.extents ORDER BY seq')).getRows()) {
      s.extents.set(String(r[0]), { id: String(r[0]), tableId: Number(r[1]), rows: Number(r[2]), originalSize: Number(r[3]), createdOn: BigInt(r[4] as bigint), tags: JSON.parse(String(r[5])) as string[], storage: String(r[6]) });
    }
    for (const r of (await this.writer.runAndReadAll('SELECT k, policy FROM _kjob.policies')).getRows()) s.policies.set(String(r[0]), String(r[1]));
    for (const r of (await this.writer.runAndReadAll('SELECT k, database, table_id, kind, name, mapping, updated FROM _kjob.mappings')).getRows()) {
      s.mappings.set(String(r[0]), { database: String(r[1]), tableId: Number(r[2]), kind: String(r[3]), name: String(r[4]), mapping: String(r[5]), lastUpdatedOn: BigInt(r[6] as bigint) });
    }
    this.state = s;
    // Extent tables left behind by a crash between creating the storage and committing it.
    const known = new Set([...s.extents.values()].map((e) => e.storage));
    for (const r of (await this.writer.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE schema_name = '_kjob_x'`)).getRows()) {
      const name = String(r[0]);
      if (!known.has(`_kjob_x.${name}`)) await this.writer.run(`DROP TABLE IF EXISTS _kjob_x.${quoteIdent(name)}`);
    }
  }

  async close(): Promise<void> {
    // Queries still running on reader connections finish first: closing the instance under them
    // would fail them half-way (or worse, inside the native code).
    for (let i = 0; i < 600 && this.openReaders > 0; i++) await new Promise((r) => setTimeout(r, 50));
    await this.mutex.run(async () => {
      if (this.instanceClosed) return;
      this.instanceClosed = true;
      try {
        await this.writer.run('CHECKPOINT');
      } catch {
        // an in-memory database has nothing to checkpoint
      }
      this.writer.closeSync();
      this.instance.closeSync();
    });
  }
  private instanceClosed = false;

  // ---- reads (synchronous, from the committed mirror) ----

  get catalog(): CatalogState {
    return this.state;
  }

  database(name: string): DatabaseMeta | undefined {
    return this.state.databases.get(name);
  }

  table(database: string, name: string): TableMeta | undefined {
    return this.state.findTable(database, name);
  }

  viewName(tableId: number): string {
    return `_kjob_v.t${tableId}`;
  }

  policy(database: string, tableId: number | null, kind: string): string | undefined {
    return this.state.policies.get(policyKey(database, tableId, kind));
  }

  private openReaders = 0;

  /** A reader connection the caller must give back with releaseReader(). */
  async openReader(): Promise<DuckDBConnection> {
    if (this.instanceClosed) throw new KustoServiceError(503, 'ServiceUnavailable', 'The emulator is stopping.', false);
    this.openReaders++;
    try {
      return await this.instance.connect();
    } catch (err) {
      this.openReaders--;
      throw err;
    }
  }

  releaseReader(c: DuckDBConnection): void {
    this.openReaders--;
    c.closeSync();
  }

  /** A fresh read connection: queries see the last committed state and never block writers. */
  async withReader<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c = await this.openReader();
    try {
      return await fn(c);
    } finally {
      this.releaseReader(c);
    }
  }

  /**
   * Runs `fn` as one DuckDB transaction on the writer connection, against a copy of the catalog
   * that becomes the live one only after COMMIT.
   */
  async write<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      const draft = this.state.clone();
      const tx = new StoreTx(this.writer, draft);
      await this.writer.run('BEGIN TRANSACTION');
      let result: T;
      try {
        result = await fn(tx);
        await tx.flushViews();
        await this.writer.run('COMMIT');
      } catch (err) {
        try {
          await this.writer.run('ROLLBACK');
        } catch {
          // DuckDB already aborted the transaction
        }
        throw err;
      }
      this.state = draft;
      return result;
    });
  }
}

/** The write side of one transaction. Every method updates the DuckDB catalog and the draft mirror. */
export class StoreTx {
  private readonly dirtyViews = new Set<number>();
  private seq = BigInt(Date.now()) * 1000n;

  constructor(
    readonly conn: DuckDBConnection,
    readonly state: CatalogState,
  ) {}

  async ensureDatabase(name: string, volatile = false): Promise<DatabaseMeta> {
    const existing = this.state.databases.get(name);
    if (existing) return existing;
    const db = { name, volatile };
    await this.conn.run(`INSERT INTO _kjob.databases VALUES (${quoteLiteral(name)}, ${volatile})`);
    this.state.databases.set(name, db);
    return db;
  }

  async dropDatabase(name: string): Promise<void> {
    for (const t of this.state.tablesOf(name)) await this.dropTable(t);
    await this.conn.run(`DELETE FROM _kjob.databases WHERE name = ${quoteLiteral(name)}`);
    await this.conn.run(`DELETE FROM _kjob.policies WHERE starts_with(k, ${quoteLiteral(name + '|')})`);
    for (const k of [...this.state.policies.keys()]) if (k.startsWith(name + '|')) this.state.policies.delete(k);
    this.state.databases.delete(name);
  }

  async createTable(database: string, name: string, columns: readonly KustoColumn[], props: { folder?: string; docString?: string; hidden?: boolean } = {}): Promise<TableMeta> {
    assertColumns(name, columns);
    await this.ensureDatabase(database);
    const t: TableMeta = { id: this.state.nextTableId++, database, name, columns: [...columns], folder: props.folder ?? '', docString: props.docString ?? '', hidden: props.hidden ?? false };
    await this.saveTable(t, true);
    this.dirtyViews.add(t.id);
    return t;
  }

  private async saveTable(t: TableMeta, isNew: boolean): Promise<void> {
    if (!isNew) await this.conn.run(`DELETE FROM _kjob.tables WHERE id = ${t.id}`);
    await this.conn.run(`INSERT INTO _kjob.tables VALUES (${t.id}, ${quoteLiteral(t.database)}, ${quoteLiteral(t.name)}, ${quoteLiteral(JSON.stringify(t.columns))}, ${quoteLiteral(t.folder)}, ${quoteLiteral(t.docString)}, ${t.hidden})`);
    this.state.tables.set(t.id, t);
  }

  async updateTableProps(t: TableMeta, props: { folder?: string; docString?: string; hidden?: boolean; name?: string }): Promise<TableMeta> {
    const next: TableMeta = { ...t, folder: props.folder ?? t.folder, docString: props.docString ?? t.docString, hidden: props.hidden ?? t.hidden, name: props.name ?? t.name };
    await this.saveTable(next, false);
    return next;
  }

  /**
   * Gives the table a new column list. Every extent gets the same physical columns: new ones are
   * added (NULL for existing rows), removed ones dropped, changed types converted with TRY_CAST.
   */
  async setColumns(t: TableMeta, columns: readonly KustoColumn[]): Promise<TableMeta> {
    assertColumns(t.name, columns);
    const before = new Map(t.columns.map((c) => [c.name, c.type]));
    const after = new Map(columns.map((c) => [c.name, c.type]));
    for (const e of this.state.extentsOf(t.id)) {
      for (const [name] of before) if (!after.has(name)) await this.conn.run(`ALTER TABLE ${e.storage} DROP COLUMN ${quoteIdent(name)}`);
      for (const [name, type] of after) {
        const old = before.get(name);
        if (old === undefined) await this.conn.run(`ALTER TABLE ${e.storage} ADD COLUMN ${quoteIdent(name)} ${DUCKDB_TYPE[type]}`);
        else if (DUCKDB_TYPE[old] !== DUCKDB_TYPE[type]) {
          await this.conn.run(`ALTER TABLE ${e.storage} ALTER COLUMN ${quoteIdent(name)} SET DATA TYPE ${DUCKDB_TYPE[type]} USING TRY_CAST(${quoteIdent(name)} AS ${DUCKDB_TYPE[type]})`);
        }
      }
    }
    const next: TableMeta = { ...t, columns: [...columns] };
    await this.saveTable(next, false);
    this.dirtyViews.add(t.id);
    return next;
  }

  async dropTable(t: TableMeta): Promise<void> {
    for (const e of this.state.extentsOf(t.id)) await this.dropExtent(e);
    await this.conn.run(`DELETE FROM _kjob.tables WHERE id = ${t.id}`);
    await this.conn.run(`DROP VIEW IF EXISTS _kjob_v.t${t.id}`);
    await this.conn.run(`DELETE FROM _kjob.mappings WHERE database = ${quoteLiteral(t.database)} AND table_id = ${t.id}`);
    await this.conn.run(`DELETE FROM _kjob.policies WHERE starts_with(k, ${quoteLiteral(`${t.database}|${t.id}|`)})`);
    for (const [k, m] of [...this.state.mappings]) if (m.tableId === t.id) this.state.mappings.delete(k);
    for (const k of [...this.state.policies.keys()]) if (k.startsWith(`${t.database}|${t.id}|`)) this.state.policies.delete(k);
    this.state.tables.delete(t.id);
    this.dirtyViews.delete(t.id);
  }

  /** Creates the physical table for a new extent with the table's storage columns; not yet visible. */
  async createExtentStorage(columns: readonly KustoColumn[], asSelect?: string): Promise<string> {
    const storage = `_kjob_x.e_${randomUUID().replace(/-/g, '')}`;
    if (asSelect !== undefined) await this.conn.run(`CREATE TABLE ${storage} AS ${asSelect}`);
    else await this.conn.run(`CREATE TABLE ${storage} (${columns.map((c) => `${quoteIdent(c.name)} ${DUCKDB_TYPE[c.type]}`).join(', ')})`);
    return storage;
  }

  async addExtent(e: Omit<ExtentMeta, 'id'> & { id?: string }): Promise<ExtentMeta> {
    const extent: ExtentMeta = { ...e, id: e.id ?? randomUUID() };
    await this.insertExtentRow(extent);
    this.state.extents.set(extent.id, extent);
    this.dirtyViews.add(extent.tableId);
    return extent;
  }

  private async insertExtentRow(e: ExtentMeta): Promise<void> {
    this.seq += 1n;
    await this.conn.run(`INSERT INTO _kjob.extents VALUES (${quoteLiteral(e.id)}, ${e.tableId}, ${e.rows}, ${e.originalSize}, ${e.createdOn}, ${quoteLiteral(JSON.stringify(e.tags))}, ${quoteLiteral(e.storage)}, ${this.seq})`);
  }

  /** Re-points an extent at another table (metadata only) under a new id, as the service does. */
  async moveExtent(e: ExtentMeta, to: TableMeta, createdOn?: bigint): Promise<ExtentMeta> {
    const from = this.state.tables.get(e.tableId);
    const physical = new Map((from?.columns ?? []).map((c) => [c.name, c.type]));
    for (const c of from?.columns ?? []) {
      const target = to.columns.find((x) => x.name === c.name);
      if (!target) throw new KustoServiceError(400, 'BadRequest_InvalidOperation', `Cannot move extent ${e.id}: column '${c.name}' of table '${from?.name}' does not exist in table '${to.name}' (schemas are incompatible).`);
      if (DUCKDB_TYPE[target.type] !== DUCKDB_TYPE[c.type] || target.type !== c.type) {
        throw new KustoServiceError(400, 'BadRequest_InvalidOperation', `Cannot move extent ${e.id}: column '${c.name}' is ${c.type} in table '${from?.name}' but ${target.type} in table '${to.name}' (schemas are incompatible).`);
      }
    }
    for (const c of to.columns) if (!physical.has(c.name)) await this.conn.run(`ALTER TABLE ${e.storage} ADD COLUMN ${quoteIdent(c.name)} ${DUCKDB_TYPE[c.type]}`);
    await this.conn.run(`DELETE FROM _kjob.extents WHERE id = ${quoteLiteral(e.id)}`);
    this.state.extents.delete(e.id);
    const moved: ExtentMeta = { ...e, id: randomUUID(), tableId: to.id, createdOn: createdOn ?? e.createdOn };
    await this.insertExtentRow(moved);
    this.state.extents.set(moved.id, moved);
    this.dirtyViews.add(e.tableId);
    this.dirtyViews.add(to.id);
    return moved;
  }

  async dropExtent(e: ExtentMeta): Promise<void> {
    await this.conn.run(`DELETE FROM _kjob.extents WHERE id = ${quoteLiteral(e.id)}`);
    await this.conn.run(`DROP TABLE IF EXISTS ${e.storage}`);
    this.state.extents.delete(e.id);
    this.dirtyViews.add(e.tableId);
  }

  async setExtentTags(e: ExtentMeta, tags: readonly string[]): Promise<ExtentMeta> {
    const next: ExtentMeta = { ...e, tags: [...tags] };
    await this.conn.run(`UPDATE _kjob.extents SET tags = ${quoteLiteral(JSON.stringify(next.tags))} WHERE id = ${quoteLiteral(e.id)}`);
    this.state.extents.set(e.id, next);
    return next;
  }

  async setPolicy(database: string, tableId: number | null, kind: string, policy: string | null): Promise<void> {
    const k = policyKey(database, tableId, kind);
    await this.conn.run(`DELETE FROM _kjob.policies WHERE k = ${quoteLiteral(k)}`);
    if (policy === null) this.state.policies.delete(k);
    else {
      await this.conn.run(`INSERT INTO _kjob.policies VALUES (${quoteLiteral(k)}, ${quoteLiteral(policy)})`);
      this.state.policies.set(k, policy);
    }
  }

  async setMapping(m: MappingMeta | { database: string; tableId: number; kind: string; name: string; mapping: null }): Promise<void> {
    const k = mappingKey(m.database, m.tableId, m.kind, m.name);
    await this.conn.run(`DELETE FROM _kjob.mappings WHERE k = ${quoteLiteral(k)}`);
    if (m.mapping === null) {
      this.state.mappings.delete(k);
      return;
    }
    const full = m as MappingMeta;
    await this.conn.run(`INSERT INTO _kjob.mappings VALUES (${quoteLiteral(k)}, ${quoteLiteral(full.database)}, ${full.tableId}, ${quoteLiteral(full.kind.toLowerCase())}, ${quoteLiteral(full.name)}, ${quoteLiteral(full.mapping)}, ${full.lastUpdatedOn})`);
    this.state.mappings.set(k, { ...full, kind: full.kind.toLowerCase() });
  }

  /** Rebuilds the view of every table whose extents or columns changed in this transaction. */
  async flushViews(): Promise<void> {
    for (const id of this.dirtyViews) {
      const t = this.state.tables.get(id);
      if (!t) continue;
      const cols = t.columns.map((c) => quoteIdent(c.name)).join(', ');
      const extents = this.state.extentsOf(id);
      const body = extents.length === 0
        ? `SELECT ${t.columns.map((c) => `CAST(NULL AS ${DUCKDB_TYPE[c.type]}) AS ${quoteIdent(c.name)}`).join(', ')} WHERE false`
        : extents.map((e) => `SELECT ${cols} FROM ${e.storage}`).join(' UNION ALL ');
      await this.conn.run(`CREATE OR REPLACE VIEW _kjob_v.t${id} AS ${body}`);
    }
    this.dirtyViews.clear();
  }
}

function assertColumns(table: string, columns: readonly KustoColumn[]): void {
  if (columns.length === 0) throw new KustoServiceError(400, 'General_BadRequest', `Table '${table}' must have at least one column.`, true, 'Kusto.Data.Exceptions.SyntaxException');
  const seen = new Set<string>();
  for (const c of columns) {
    // DuckDB identifiers are case-insensitive, so 'a' and 'A' cannot both be physical columns.
    const k = c.name.toLowerCase();
    if (seen.has(k)) throw new KustoServiceError(400, 'General_BadRequest', `Table '${table}' has column '${c.name}' more than once (column names are compared case-insensitively by the emulator).`);
    seen.add(k);
  }
}
