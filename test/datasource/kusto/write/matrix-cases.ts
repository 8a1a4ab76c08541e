/**
 * The Kusto sink's writeMode × tableCreateOptions × adjustSchema matrix (18 combinations), shared by the
 * local[2] file (modes.test.ts) and the BullMQ file (bullmq-matrix.test.ts) so both backends are held to
 * the same expectations. Each combination is written against the destination states where its options
 * decide something:
 * - `missing`: no table — FailIfNotExist must refuse it, CreateIfNotExist must create it from the DataFrame;
 * - `same`: a table with the DataFrame's columns in its order — every mode must append (FailIfNotMatch passes);
 * - `other`: a table `(extra:string, name:string, id:long)` — the DataFrame's columns are a subset in a
 *   different order. Positional mapping (NoAdjustment) and name mapping (GenerateDynamicCsvMapping) land
 *   different values there, so the read-back proves which one was used; FailIfNotMatch must refuse it.
 *   The column types are chosen so the positional write is also type-valid (its third field is missing,
 *   so `id` is null) and no ingestion error can hide behind the comparison;
 * - `narrow` (GenerateDynamicCsvMapping only): a table `(name:string)` lacking the DataFrame's `id` — the
 *   mapping has no target for it, so the write must be refused (under CreateIfNotExist too, kjob's fix of
 *   the connector's silent drop).
 *
 * Expectations follow the reference (spark-kusto-connector.md §3.1, §3.3) with kjob's documented fix:
 * FailIfNotMatch on a missing table passes under CreateIfNotExist (the table is created from the
 * DataFrame, so it matches).
 */
import assert from 'node:assert/strict';
import type { Session } from '../../../../src/driver/session.js';
import type { KustoProbe } from './support.js';
import { sinkOptions } from './support.js';

export const WRITE_MODES = ['Transactional', 'Queued', 'KustoStreaming'] as const;
export const CREATE_OPTIONS = ['FailIfNotExist', 'CreateIfNotExist'] as const;
export const ADJUST_SCHEMA = ['NoAdjustment', 'FailIfNotMatch', 'GenerateDynamicCsvMapping'] as const;
export type WriteMode = (typeof WRITE_MODES)[number];
export type CreateOption = (typeof CREATE_OPTIONS)[number];
export type AdjustSchema = (typeof ADJUST_SCHEMA)[number];
export type ExistingTable = 'missing' | 'same' | 'other' | 'narrow';

export type Expected =
  | { readonly kind: 'rows'; readonly readBack: string; readonly rows: readonly (readonly string[])[]; readonly createdSchema?: string }
  | { readonly kind: 'error'; readonly name: string; readonly message: string | RegExp; readonly tableAfter: 'absent' | 'empty' };

export interface MatrixState {
  readonly existing: ExistingTable;
  readonly table: string;
  readonly expected: Expected;
}

export interface MatrixCase {
  readonly writeMode: WriteMode;
  readonly tableCreateOptions: CreateOption;
  readonly adjustSchema: AdjustSchema;
  readonly title: string;
  readonly states: readonly MatrixState[];
}

/** The DataFrame every case writes: a quote/comma value and a null string (Kusto stores it as ''). */
export const SOURCE_ROWS = [{ id: 1, name: 'a' }, { id: 2, name: 'b"c, d' }, { id: 3, name: null }];
export const SOURCE_SCHEMA = 'id bigint, name string';

const DDL: Record<Exclude<ExistingTable, 'missing'>, string> = { same: '(id:long, name:string)', other: '(extra:string, name:string, id:long)', narrow: '(name:string)' };
const BY_NAME = [['1', 'a'], ['2', 'b"c, d'], ['3', '']] as const;
const readSame = (t: string) => `['${t}'] | order by id asc | project id = tostring(id), name`;
const readOther = (t: string) => `['${t}'] | order by extra asc, tostring(id) asc | project extra, name, id = tostring(id)`;

const STREAMING_MAPPING_REJECTED = 'GenerateDynamicCsvMapping cannot be used with Spark streaming ingestion';

function expectedFor(writeMode: WriteMode, create: CreateOption, adjust: AdjustSchema, existing: ExistingTable, table: string): Expected {
  // Option validation comes before any look at the table (reference §1.2: streaming takes no mapping).
  if (writeMode === 'KustoStreaming' && adjust === 'GenerateDynamicCsvMapping') {
    return { kind: 'error', name: 'InvalidParameterException', message: STREAMING_MAPPING_REJECTED, tableAfter: existing === 'missing' ? 'absent' : 'empty' };
  }
  if (existing === 'missing') {
    if (create === 'CreateIfNotExist') return { kind: 'rows', readBack: readSame(table), rows: BY_NAME, createdSchema: 'id:long,name:string' };
    // adjustSchema runs before the existence check, so FailIfNotMatch reports the schema (empty target).
    if (adjust === 'FailIfNotMatch') {
      return { kind: 'error', name: 'SchemaMatchException', message: 'Target table schema does not match to DataFrame schema.Target columns: .Source columns: id, name', tableAfter: 'absent' };
    }
    return {
      kind: 'error',
      name: 'TableNotFoundException',
      message: new RegExp(`^Table '${table}' doesn't exist in database 'db', cluster '[^']* and tableCreateOptions is set to FailIfNotExist\\.$`),
      tableAfter: 'absent',
    };
  }
  if (existing === 'same') return { kind: 'rows', readBack: readSame(table), rows: BY_NAME };
  if (existing === 'narrow') return { kind: 'error', name: 'SchemaMatchException', message: 'Source schema has columns that are not present in the target: id.', tableAfter: 'empty' };
  switch (adjust) {
    case 'NoAdjustment':
      // By position: id's text lands in `extra`, name in `name`, and `id` gets the missing third field.
      return { kind: 'rows', readBack: readOther(table), rows: [['1', 'a', ''], ['2', 'b"c, d', ''], ['3', '', '']] };
    case 'FailIfNotMatch':
      return { kind: 'error', name: 'SchemaMatchException', message: 'Target table schema does not match to DataFrame schema.Target columns: extra, name, id.Source columns: id, name', tableAfter: 'empty' };
    case 'GenerateDynamicCsvMapping':
      // By name: `extra` is not in the DataFrame and stays empty.
      return { kind: 'rows', readBack: readOther(table), rows: [['', 'a', '1'], ['', 'b"c, d', '2'], ['', '', '3']] };
  }
}

const SHORT: Record<string, string> = { Transactional: 'T', Queued: 'Q', KustoStreaming: 'S', FailIfNotExist: 'F', CreateIfNotExist: 'C', NoAdjustment: 'N', FailIfNotMatch: 'M', GenerateDynamicCsvMapping: 'G' };

/** Every combination; `prefix` keeps the two backends' tables apart when they share an emulator. */
export function matrixCases(prefix: string): MatrixCase[] {
  const cases: MatrixCase[] = [];
  for (const writeMode of WRITE_MODES) {
    for (const tableCreateOptions of CREATE_OPTIONS) {
      for (const adjustSchema of ADJUST_SCHEMA) {
        // A same-columns table decides nothing for the name mapping beyond what `other` proves; a narrow
        // table matters only to the name mapping (positional and FailIfNotMatch are decided by `other`).
        const existing: ExistingTable[] = adjustSchema === 'GenerateDynamicCsvMapping' ? ['missing', 'other', 'narrow'] : ['missing', 'same', 'other'];
        const states = existing.map((e) => {
          const table = `${prefix}_${SHORT[writeMode]}${SHORT[tableCreateOptions]}${SHORT[adjustSchema]}_${e}`;
          return { existing: e, table, expected: expectedFor(writeMode, tableCreateOptions, adjustSchema, e, table) };
        });
        const outcomes = states.map((s) => `${s.existing}: ${s.expected.kind === 'rows' ? 'rows' : s.expected.name}`).join(', ');
        cases.push({ writeMode, tableCreateOptions, adjustSchema, title: `${writeMode} × ${tableCreateOptions} × ${adjustSchema} (${outcomes})`, states });
      }
    }
  }
  return cases;
}

/** Creates the pre-existing tables of every case (one command each; the streaming policy as a user would set it). */
export async function createMatrixTables(probe: KustoProbe, cases: readonly MatrixCase[]): Promise<void> {
  for (const c of cases) {
    for (const s of c.states) {
      if (s.existing === 'missing') continue;
      await probe.rows('db', `.create table ['${s.table}'] ${DDL[s.existing]}`);
      if (c.writeMode === 'KustoStreaming') await probe.rows('db', `.alter table ['${s.table}'] policy streamingingestion enable`);
    }
  }
}

async function waitForRows(probe: KustoProbe, table: string, expected: number): Promise<void> {
  // Queued (and a streaming fallback to queued) lands after save() returns.
  const deadline = Date.now() + 30_000;
  let n = await probe.count('db', table);
  while (n < expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    n = await probe.count('db', table);
  }
  assert.equal(n, expected, `${table}: rows after the write`);
}

/** Writes each state of a case (concurrently: separate tables) and checks the outcome exactly. */
export async function runMatrixCase(spark: Session, clusterUrl: string, probe: KustoProbe, c: MatrixCase): Promise<void> {
  await Promise.all(
    c.states.map(async (s) => {
      const df = spark.createDataFrame(SOURCE_ROWS, SOURCE_SCHEMA, { partitions: 2 });
      const options = sinkOptions(clusterUrl, s.table, { writeMode: c.writeMode, tableCreateOptions: c.tableCreateOptions, adjustSchema: c.adjustSchema });
      const write = df.write.format('kusto').options(options).mode('append').save();
      const e = s.expected;
      if (e.kind === 'error') {
        await assert.rejects(write, (err: Error) => {
          assert.equal(err.name, e.name, `${s.table}: ${err.message}`);
          if (typeof e.message === 'string') assert.equal(err.message, e.message);
          else assert.match(err.message, e.message);
          // Errors raised once the write has its request id carry it (option validation comes before).
          if (e.name !== 'InvalidParameterException') assert.match(String((err as Error & { requestId?: string }).requestId), /^[0-9a-f-]{36}$/);
          return true;
        });
        const tables = await probe.tables('db');
        if (e.tableAfter === 'absent') assert.ok(!tables.includes(s.table), `${s.table} must not be created`);
        else assert.equal(await probe.count('db', s.table), 0, `${s.table} must stay empty`);
        return;
      }
      const result = await write;
      assert.equal(result.rows, SOURCE_ROWS.length, `${s.table}: rows reported`);
      await waitForRows(probe, s.table, SOURCE_ROWS.length);
      const rows = await probe.rows('db', e.readBack);
      assert.deepEqual(rows.map((r) => Object.values(r).map((v) => String(v))), e.rows, `${s.table}: values read back`);
      if (e.createdSchema !== undefined) {
        const schema = await probe.rows('db', `.show table ['${s.table}'] cslschema`);
        assert.equal(String(schema[0]!['Schema']).replace(/\s/g, ''), e.createdSchema);
        if (c.writeMode === 'KustoStreaming') {
          const policy = await probe.rows('db', `.show table ['${s.table}'] policy streamingingestion`);
          assert.match(JSON.stringify(policy[0]), /IsEnabled.{0,6}true/i, `${s.table}: streaming policy of the created table`);
        }
      }
    }),
  );
}
