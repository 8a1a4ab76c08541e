import { type RecordBatch, type Schema, Table } from 'apache-arrow';
import { base64ByteLength, batchesToBase64, tableFromBase64 } from '../../arrow/ipc-base64.js';
import { ConfigError, PlanError } from '../../errors/kjob-error.js';
import type { CommitMessage, DataSource, ReadPlan, SaveMode, Split, WriteJob, WriteSummary } from '../datasource.js';
import { DEFAULT_LOCAL_DATA_MAX_BYTES } from './local-data.js';
import { unifyBatches } from '../../arrow/unify-batches.js';

/**
 * The `memory` format: named in-driver tables, for tests and small results. Write tasks return their
 * rows inside the commit message (capped like createDataFrame data) and the driver keeps the table on
 * commit, so it works with every backend; reading ships the table's batches inside the tasks.
 *
 * Options: `name` (or the save/load path) names the table.
 */
const tables = new Map<string, Table>();

export function memoryTable(name: string): Table | undefined {
  return tables.get(name);
}
export function dropMemoryTable(name: string): boolean {
  return tables.delete(name);
}

const KNOWN_OPTIONS = new Set(['name']);

function tableName(options: Readonly<Record<string, string>>, path: string | undefined): string {
  for (const k of Object.keys(options)) if (!KNOWN_OPTIONS.has(k)) throw new ConfigError(`Unknown option '${k}' for format memory; known options: name`, { context: { option: k } });
  const name = options['name'] ?? path;
  if (!name) throw new ConfigError("The memory format needs a table name: .option('name', …) or save(name)/load(name)", { context: { option: 'name' } });
  return name;
}

export const memorySource: DataSource = {
  name: 'memory',

  validateReadOptions(options, paths) {
    const name = tableName(options, paths[0]);
    if (!tables.has(name)) throw new PlanError(`No memory table named '${name}'; known: ${[...tables.keys()].join(', ') || '(none)'}`, { context: { table: name } });
  },

  validateWriteOptions(options, path) {
    tableName(options, path);
  },

  async planRead(options, paths): Promise<ReadPlan> {
    const name = tableName(options, paths[0]);
    const table = tables.get(name);
    if (!table) throw new PlanError(`No memory table named '${name}'; known: ${[...tables.keys()].join(', ') || '(none)'}`, { context: { table: name } });
    const splits: Split[] = table.batches.length ? table.batches.map((b) => ({ ipc: batchesToBase64(table.schema, [b]) })) : [];
    return { schema: table.schema, splits };
  },

  async *readSplit(split): AsyncIterable<RecordBatch> {
    yield* tableFromBase64(String(split['ipc'])).batches;
  },

  async prepareWrite(schema, options, path, mode: SaveMode): Promise<WriteJob> {
    const name = tableName(options, path);
    const existing = tables.get(name);
    if (existing) {
      if (mode === 'errorifexists') throw new ConfigError(`Memory table '${name}' already exists (save mode errorifexists)`, { context: { table: name }, resolution: "Use mode('overwrite'), mode('append') or mode('ignore')." });
      if (mode === 'ignore') return { format: 'memory', state: { name, mode }, skip: true };
      if (mode === 'append') checkAppendable(existing.schema, schema, name);
    }
    return { format: 'memory', state: { name, mode } };
  },

  async writeTask(_job, schema, batches, ctx): Promise<CommitMessage> {
    const collected: RecordBatch[] = [];
    let rows = 0;
    for await (const b of batches) {
      collected.push(b);
      rows += b.numRows;
    }
    const ipc = batchesToBase64(schema, collected);
    const bytes = base64ByteLength(ipc);
    if (bytes > DEFAULT_LOCAL_DATA_MAX_BYTES) throw new ConfigError(`Partition ${ctx.partition} is ${bytes} bytes, over the memory format's ${DEFAULT_LOCAL_DATA_MAX_BYTES}-byte cap per partition`);
    return { attemptId: ctx.attemptId, partition: ctx.partition, rows, bytes, detail: { ipc } };
  },

  async commitWrite(job, messages): Promise<WriteSummary> {
    const name = String(job.state['name']);
    const mode = job.state['mode'] as SaveMode;
    const ordered = [...messages].sort((a, b) => a.partition - b.partition);
    const batches = ordered.flatMap((m) => tableFromBase64(String(m.detail?.['ipc'])).batches);
    const previous = mode === 'append' ? tables.get(name)?.batches ?? [] : [];
    const all = [...previous, ...batches].filter((b) => b.numRows > 0);
    const schema = batches[0]?.schema ?? previous[0]?.schema;
    const unified = unifyBatches(all);
    tables.set(name, all.length ? new Table(unified.schema, unified.batches) : schema ? new Table(schema) : new Table());
    return { rows: ordered.reduce((s, m) => s + m.rows, 0), bytes: ordered.reduce((s, m) => s + m.bytes, 0) };
  },

  async abortWrite() {
    // Nothing was stored yet: rows only live in the commit messages until commitWrite.
  },
};

function checkAppendable(existing: Schema, incoming: Schema, name: string): void {
  const a = existing.fields.map((f) => f.name).join(', ');
  const b = incoming.fields.map((f) => f.name).join(', ');
  if (a !== b) throw new ConfigError(`Cannot append to memory table '${name}': its columns are (${a}), the data's are (${b})`, { context: { table: name } });
}
