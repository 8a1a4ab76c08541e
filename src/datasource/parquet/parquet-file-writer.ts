import { Compression, Table as WasmTable, WriterPropertiesBuilder, transformParquetStream, writeParquet, type RecordBatch as WasmRecordBatch, type WriterProperties } from 'parquet-wasm/node';
import { RecordBatch, Table, tableToIPC, type Schema } from 'apache-arrow';
import type { ByteSink } from '../storage/output-store.js';
import type { ParquetCodec } from './parquet-options.js';

const CODECS: Record<ParquetCodec, Compression> = {
  none: Compression.UNCOMPRESSED,
  uncompressed: Compression.UNCOMPRESSED,
  snappy: Compression.SNAPPY,
  gzip: Compression.GZIP,
  zstd: Compression.ZSTD,
  brotli: Compression.BROTLI,
  lz4: Compression.LZ4_RAW,
};

export function writerProperties(codec: ParquetCodec, rowGroupRows: number): WriterProperties {
  return new WriterPropertiesBuilder().setCompression(CODECS[codec]).setMaxRowGroupSize(rowGroupRows).setCreatedBy('kjob').build();
}

function toWasmBatches(batch: RecordBatch): WasmRecordBatch[] {
  const table = WasmTable.fromIPCStream(tableToIPC(new Table([batch]), 'stream'));
  try {
    return table.recordBatches();
  } finally {
    table.free();
  }
}

/**
 * Writes batches into one Parquet file through parquet-wasm's streaming writer: batches are pulled
 * one at a time, each finished row group is flushed to `sink` as it is encoded, so the writer holds
 * at most one row group. Returns the rows written; stops after `maxRows` (the caller rolls over).
 */
export async function writeParquetFile(
  first: RecordBatch,
  rest: AsyncIterator<RecordBatch>,
  sink: ByteSink,
  props: () => WriterProperties,
  maxRows: number,
): Promise<{ rows: number; carry: RecordBatch | undefined; done: boolean }> {
  let rows = 0;
  let carry: RecordBatch | undefined;
  let done = false;
  let pending: RecordBatch | undefined = first;
  // parquet-wasm ends its output stream normally when the input stream errors, which would commit a
  // truncated file: remember the upstream failure and rethrow it ourselves.
  let failure: unknown;

  const take = (batch: RecordBatch): RecordBatch => {
    const room = maxRows - rows;
    if (batch.numRows > room) {
      carry = batch.slice(room);
      batch = batch.slice(0, room);
    }
    rows += batch.numRows;
    return batch;
  };

  const pullInto = async (controller: ReadableStreamDefaultController<WasmRecordBatch>): Promise<void> => {
    let next = pending;
    pending = undefined;
    while (next === undefined || next.numRows === 0) {
      if (rows >= maxRows || carry) return controller.close();
      const step = await rest.next();
      if (step.done) {
        done = true;
        return controller.close();
      }
      next = step.value;
    }
    for (const b of toWasmBatches(take(next))) controller.enqueue(b);
    if (rows >= maxRows) controller.close();
  };

  const source = new ReadableStream<WasmRecordBatch>(
    {
      async pull(controller) {
        try {
          await pullInto(controller);
        } catch (e) {
          failure = e;
          controller.error(e);
        }
      },
    },
    { highWaterMark: 0 },
  );
  const bytes = (await transformParquetStream(source, props())) as ReadableStream<Uint8Array>;
  const reader = bytes.getReader();
  for (;;) {
    const { done: end, value } = await reader.read();
    if (end || failure !== undefined) break;
    await sink.write(value);
  }
  if (failure !== undefined) throw failure;
  return { rows, carry, done };
}

/** A Parquet file with the schema and no rows (what an empty job leaves so the output stays readable). */
export function emptyParquetFile(schema: Schema, props: WriterProperties): Uint8Array {
  const table = WasmTable.fromIPCStream(tableToIPC(new Table(schema), 'stream'));
  return writeParquet(table, props);
}
