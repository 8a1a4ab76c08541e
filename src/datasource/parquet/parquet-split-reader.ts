import { RecordBatchReader, type RecordBatch, type Schema } from 'apache-arrow';
import type { RecordBatch as WasmRecordBatch } from 'parquet-wasm/node';
import type { TaskContext } from '../datasource.js';
import { KjobError } from '../../errors/kjob-error.js';
import { displayLocation } from '../storage/location.js';
import { openParquet } from './parquet-footer.js';
import { conformBatch } from './arrow-normalize.js';
import type { ParquetSplit } from './parquet-splits.js';

/**
 * Streams one split's row groups as Arrow batches. parquet-wasm fetches one row group's column
 * chunks at a time (ranged reads of the needed columns only) and decodes `batchSize` rows per
 * batch, so memory stays at about one row group however large the split.
 */
export async function* readParquetSplit(split: ParquetSplit, schema: Schema, batchSize: number, ctx: TaskContext): AsyncGenerator<RecordBatch> {
  const wanted = split.columns ? schema.fields.filter((f) => split.columns!.includes(f.name)) : schema.fields;
  const outSchema = wanted.length === schema.fields.length ? schema : schema.select(wanted.map((f) => f.name));
  const file = await openParquet({ location: split.file, size: split.fileSize }, ctx.conf);
  let reader: ReadableStreamDefaultReader<WasmRecordBatch> | undefined;
  try {
    const available = file.metadata().numRowGroups();
    const bad = split.rowGroups.find((g) => g < 0 || g >= available);
    if (bad !== undefined) {
      throw new KjobError('DATA_INVALID', `${displayLocation(split.file)} has ${available} row groups but the split asks for row group ${bad}; the file changed after planning`, {
        context: { file: displayLocation(split.file) },
      });
    }
    if (outSchema.fields.length === 0) {
      // A count-only scan needs no column data: row counts come from the footer.
      yield* emptyBatches(split, outSchema, batchSize);
      return;
    }
    const stream = (await file.stream({ rowGroups: [...split.rowGroups], batchSize, columns: outSchema.fields.map((f) => f.name) })) as ReadableStream<WasmRecordBatch>;
    reader = stream.getReader();
    for (;;) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('task aborted');
      const { done, value } = await reader.read();
      if (done) break;
      const ipc = value.intoIPCStream();
      for (const batch of RecordBatchReader.from(ipc)) {
        if (batch.numRows > 0) yield conformBatch(batch, outSchema);
      }
    }
  } finally {
    await reader?.cancel().catch(() => undefined);
    file.free();
  }
}

async function* emptyBatches(split: ParquetSplit, schema: Schema, batchSize: number): AsyncGenerator<RecordBatch> {
  const { RecordBatch: Batch, makeData, Struct } = await import('apache-arrow');
  for (let left = split.rows; left > 0; left -= batchSize) {
    const length = Math.min(batchSize, left);
    yield new Batch(schema, makeData({ type: new Struct([]), length, nullCount: 0, children: [] }));
  }
}
