import { type RecordBatch, type Schema, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { unifyBatches } from './unify-batches.js';

/**
 * Arrow IPC (stream format) as base64 text: how small Arrow payloads (createDataFrame partitions,
 * collect results) travel inside JSON task descriptions and results.
 */
export function batchesToBase64(schema: Schema, batches: readonly RecordBatch[]): string {
  const unified = unifyBatches(batches);
  const table = unified.batches.length ? new Table(unified.schema, unified.batches) : new Table(schema);
  return Buffer.from(tableToIPC(table, 'stream')).toString('base64');
}

export function tableToBase64(table: Table): string {
  return Buffer.from(tableToIPC(table, 'stream')).toString('base64');
}

export function tableFromBase64(text: string): Table {
  return tableFromIPC(Buffer.from(text, 'base64'));
}

/** Decoded size in bytes of a base64 payload (for caps and metrics) without decoding it. */
export function base64ByteLength(text: string): number {
  return Buffer.byteLength(text, 'base64');
}
