import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import * as arrow from 'apache-arrow';
import { ContainerClient, StorageSharedKeyCredential, type ContainerClient as ContainerClientT } from '@azure/storage-blob';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm/node';
import { KustoServiceError } from '../contracts.js';
import type { ResultTable } from '../contracts.js';
import { redact } from '../../util/redact.js';
import type { ExportCommand, ExportSettings, ExportTarget } from './export-command.js';

/**
 * Writes a query result into blob storage as `.export` does: streamed Arrow batches from the engine
 * are cut into files of at most `sizeLimit` uncompressed bytes (estimated from the Arrow buffers),
 * written as Parquet (snappy by default, via parquet-wasm) or as CSV/TSV/JSON lines, and uploaded
 * to the targets in turn. Memory stays bounded by one file's worth of batches.
 */
export interface ExportedFile {
  readonly path: string;
  readonly numRecords: number;
  readonly sizeInBytes: number;
}

export const EXPORT_RESULT_COLUMNS = [
  { name: 'Path', type: 'string' },
  { name: 'NumRecords', type: 'long' },
  { name: 'SizeInBytes', type: 'long' },
] as const;

export function exportResultTable(files: readonly ExportedFile[]): ResultTable {
  return { name: 'Table_0', columns: [...EXPORT_RESULT_COLUMNS], rows: files.map((f) => [f.path, f.numRecords, f.sizeInBytes]) };
}

/** The account name of a container URL: first path segment for path-style (IP/localhost) hosts. */
function accountNameOf(url: URL): string {
  const host = url.hostname;
  if (/^[\d.]+$/.test(host) || host === 'localhost' || host.startsWith('[') || !host.includes('.')) return url.pathname.split('/')[1] ?? '';
  return host.split('.')[0]!;
}

export function containerClientFor(t: ExportTarget): ContainerClientT {
  if (t.accountKey) {
    return new ContainerClient(t.containerUrl, new StorageSharedKeyCredential(accountNameOf(new URL(t.containerUrl)), t.accountKey));
  }
  return new ContainerClient(t.sas ? `${t.containerUrl}?${t.sas.replace(/^\?/, '')}` : t.containerUrl);
}

const PARQUET_COMPRESSION: Record<ExportSettings['compressionType'], Compression> = {
  snappy: Compression.SNAPPY,
  gzip: Compression.GZIP,
  zstd: Compression.ZSTD,
  lz4: Compression.LZ4_RAW,
  brotli: Compression.BROTLI,
  none: Compression.UNCOMPRESSED,
};

function toParquet(batches: arrow.RecordBatch[], compression: ExportSettings['compressionType']): Uint8Array {
  const ipc = arrow.tableToIPC(new arrow.Table(batches), 'stream');
  const props = new WriterPropertiesBuilder().setCompression(PARQUET_COMPRESSION[compression]).setCreatedBy('kjob-emulator').build();
  return writeParquet(WasmTable.fromIPCStream(ipc), props);
}

function textValue(v: unknown, type: arrow.DataType): string | null {
  if (v === null || v === undefined) return null;
  if (arrow.DataType.isTimestamp(type)) return new Date(Number(v)).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
  if (typeof v === 'bigint') return v.toString();
  return String(v);
}

function toText(batches: arrow.RecordBatch[], format: 'csv' | 'tsv' | 'json', header: boolean): Buffer {
  const lines: string[] = [];
  const fields = batches[0]?.schema.fields ?? [];
  const sep = format === 'tsv' ? '\t' : ',';
  const quote = (s: string) => (/[",\t\r\n]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s);
  if (header && format !== 'json') lines.push(fields.map((f) => quote(f.name)).join(sep));
  for (const b of batches) {
    const cols = fields.map((_, i) => b.getChildAt(i)!);
    for (let r = 0; r < b.numRows; r++) {
      if (format === 'json') {
        const o: Record<string, unknown> = {};
        fields.forEach((f, i) => {
          const raw = cols[i]!.get(r) as unknown;
          const t = textValue(raw, f.type);
          o[f.name] = t === null ? null : typeof raw === 'number' || typeof raw === 'boolean' ? raw : t;
        });
        lines.push(JSON.stringify(o));
      } else {
        lines.push(fields.map((f, i) => {
          const t = textValue(cols[i]!.get(r) as unknown, f.type);
          return t === null ? '' : quote(t);
        }).join(sep));
      }
    }
  }
  return Buffer.from(lines.length ? `${lines.join('\n')}\n` : '', 'utf8');
}

export async function writeExport(batches: AsyncIterable<arrow.RecordBatch>, cmd: ExportCommand, settings: ExportSettings, signal?: AbortSignal): Promise<ExportedFile[]> {
  if (cmd.targets.length === 0) throw new KustoServiceError(400, 'BadRequest_InvalidArgument', '.export needs at least one storage target');
  const clients = cmd.targets.map(containerClientFor);
  const files: ExportedFile[] = [];
  const runId = randomUUID().slice(0, 8);
  let pending: arrow.RecordBatch[] = [];
  let pendingBytes = 0;
  let pendingRows = 0;

  const flush = async () => {
    if (pendingRows === 0) return;
    signal?.throwIfAborted();
    const index = files.length;
    let body: Uint8Array;
    let ext: string;
    if (cmd.format === 'parquet') {
      body = toParquet(pending, settings.compressionType);
      ext = settings.compressionType === 'none' ? '.parquet' : `.${settings.compressionType}.parquet`;
    } else {
      const header = settings.includeHeaders === 'all' || (settings.includeHeaders === 'firstFile' && index === 0);
      const text = toText(pending, cmd.format, header);
      body = cmd.compressed ? gzipSync(text) : text;
      ext = `.${cmd.format}${cmd.compressed ? '.gz' : ''}`;
    }
    const client = clients[index % clients.length]!;
    const name = `${settings.namePrefix}_${runId}_${index}${ext}`;
    const blob = client.getBlockBlobClient(name);
    try {
      await blob.uploadData(body);
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode;
      throw new KustoServiceError(
        status === 403 || status === 404 ? 400 : 500,
        'BadRequest_ExportStorageFailure',
        redact(`Export could not write ${blob.url.split('?')[0]}: ${(e as Error).message}`),
        status === 403 || status === 404,
      );
    }
    files.push({ path: blob.url.split('?')[0]!, numRecords: pendingRows, sizeInBytes: body.byteLength });
    pending = [];
    pendingBytes = 0;
    pendingRows = 0;
  };

  for await (const batch of batches) {
    signal?.throwIfAborted();
    if (batch.numRows === 0) continue;
    const bytesPerRow = Math.max(1, batch.data.byteLength / batch.numRows);
    let start = 0;
    while (start < batch.numRows) {
      const room = Math.max(1, Math.floor((settings.sizeLimit - pendingBytes) / bytesPerRow));
      const end = Math.min(batch.numRows, start + room);
      const piece = start === 0 && end === batch.numRows ? batch : batch.slice(start, end);
      pending.push(piece);
      pendingRows += end - start;
      pendingBytes += (end - start) * bytesPerRow;
      start = end;
      if (pendingBytes >= settings.sizeLimit) await flush();
    }
  }
  await flush();
  return files;
}
