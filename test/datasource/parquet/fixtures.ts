import { writeFileSync } from 'node:fs';
import { Table as WasmTable, WriterPropertiesBuilder, writeParquet, Compression } from 'parquet-wasm/node';
import { tableToIPC, type Table } from 'apache-arrow';

/** Writes an Arrow table as a Parquet file with row groups of `rowGroupRows` rows (test input). */
export function writeParquetFixture(file: string, table: Table, rowGroupRows = 1000): void {
  const wasm = WasmTable.fromIPCStream(tableToIPC(table, 'stream'));
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(rowGroupRows).build();
  writeFileSync(file, writeParquet(wasm, props));
}
