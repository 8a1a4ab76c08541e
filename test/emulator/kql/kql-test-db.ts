import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { KustoColumn } from '../../../src/emulator/contracts.js';
import { DUCKDB_TYPE } from '../../../src/emulator/storage-types.js';
import { translateQuery, type Catalog, type Translation } from '../../../src/emulator/kql/index.js';

/** A real in-memory DuckDB with fixture tables stored as storage-types.ts says, plus a Catalog over them. */
export class KqlTestDb {
  private readonly tables = new Map<string, readonly KustoColumn[]>();
  private constructor(readonly connection: DuckDBConnection, private readonly instance: DuckDBInstance) {}

  static async create(): Promise<KqlTestDb> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run("SET TimeZone='UTC'");
    await connection.run('CREATE SCHEMA db1');
    return new KqlTestDb(connection, instance);
  }

  /** Creates `name` with the given Kusto schema and rows of SQL literal tuples (in storage form). */
  async table(name: string, columns: readonly KustoColumn[], rows: readonly string[] = []): Promise<void> {
    const ddl = columns.map((c) => `"${c.name.replace(/"/g, '""')}" ${DUCKDB_TYPE[c.type]}`).join(', ');
    const rel = `db1."${name.replace(/"/g, '""')}"`;
    await this.connection.run(`CREATE OR REPLACE TABLE ${rel} (${ddl})`);
    if (rows.length) await this.connection.run(`INSERT INTO ${rel} VALUES ${rows.map((r) => `(${r})`).join(', ')}`);
    this.tables.set(name, columns);
  }

  /** Registers a table whose data is produced by a SQL statement. */
  async tableAs(name: string, columns: readonly KustoColumn[], select: string): Promise<void> {
    await this.connection.run(`CREATE OR REPLACE TABLE db1."${name}" AS ${select}`);
    this.tables.set(name, columns);
  }

  readonly catalog: Catalog = {
    table: (name) => {
      const columns = this.tables.get(name);
      return columns ? { sqlName: `db1."${name.replace(/"/g, '""')}"`, columns } : undefined;
    },
    tableNames: () => [...this.tables.keys()].filter((n) => n !== '$command_results'),
  };

  translate(kql: string, nowTicks?: bigint): Translation {
    return translateQuery(kql, this.catalog, nowTicks === undefined ? {} : { nowTicks });
  }

  /** Translates and runs; rows as JS values (BIGINT → bigint, JSON → text, DECIMAL → string). */
  async query(kql: string, nowTicks?: bigint): Promise<{ columns: readonly KustoColumn[]; rows: unknown[][]; sqlTypes: string[]; names: string[] }> {
    const t = this.translate(kql, nowTicks);
    const reader = await this.connection.runAndReadAll(t.sql);
    const rows = reader.getRows().map((r) => r.map(plain));
    return { columns: t.columns, rows, sqlTypes: reader.columnTypes().map((x) => x.toString()), names: reader.columnNames() };
  }

  /** The single column of a query, as plain values. */
  async column(kql: string, nowTicks?: bigint): Promise<unknown[]> {
    return (await this.query(kql, nowTicks)).rows.map((r) => r[0]);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function plain(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  return String(v);
}
