/**
 * Measures the emulator's queued-ingestion and export paths end to end through the unmodified SDKs:
 *   node --import tsx test/emulator/dm/support/bench-dm.ts [rows]
 * Prints one JSON line: time to queue (SDK upload + message), time until the success status message,
 * and the time of a sync `.export` of the table to Parquet.
 */
import { Client } from 'azure-kusto-data';
import { DataFormat, IngestClient, IngestStatusQueues, ReportLevel, StreamDescriptor } from 'azure-kusto-ingest';
import { startEmulator } from '../../../../src/emulator/start-emulator.js';

const N = Number(process.argv[2] ?? 200_000);
const emu = await startEmulator({ dataManagement: { dmPollIntervalMs: 50 } });
const kusto = new Client(emu.clusterUrl);
const ingest = new IngestClient(emu.clusterUrl);
try {
  await kusto.executeMgmt('db', '.create table B (id:long, s:string, ts:datetime, v:real)');
  const lines: string[] = [];
  for (let i = 0; i < N; i++) lines.push(`${i},"name ${i}",2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z,${i / 3}`);
  const body = Buffer.from(`${lines.join('\n')}\n`);
  const status = new IngestStatusQueues(ingest);
  let t0 = Date.now();
  const r = await ingest.ingestFromStream(new StreamDescriptor(body as unknown as ArrayBuffer), { database: 'db', table: 'B', format: DataFormat.CSV, reportLevel: ReportLevel.FailuresAndSuccesses, flushImmediately: true });
  const queuedMs = Date.now() - t0;
  const id = (r as unknown as { ingestionStatus: { IngestionSourceId: string } }).ingestionStatus.IngestionSourceId;
  for (;;) {
    if ((await status.success.pop(10)).some((m) => (m as { IngestionSourceId?: string }).IngestionSourceId === id)) break;
    const failed = await status.failure.pop(10);
    if (failed.length) throw new Error(`ingestion failed: ${JSON.stringify(failed)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
  const succeededMs = Date.now() - t0;
  const containers = await kusto.executeMgmt('NetDefaultDB', '.show export containers');
  const container = String([...containers.primaryResults[0]!.rows()][0]!.toJSON<{ StorageRoot: string }>().StorageRoot);
  t0 = Date.now();
  const exported = await kusto.executeMgmt('db', `.export to parquet ("${container}") with (namePrefix="bench/b") <| B`);
  const exportMs = Date.now() - t0;
  const files = [...exported.primaryResults[0]!.rows()].map((x) => x.toJSON<{ NumRecords: number; SizeInBytes: number }>());
  process.stdout.write(`${JSON.stringify({ rows: N, csvBytes: body.length, queuedMs, queuedToSucceededMs: succeededMs, exportMs, exportedRows: files.reduce((s, f) => s + Number(f.NumRecords), 0), parquetBytes: files.reduce((s, f) => s + Number(f.SizeInBytes), 0) })}\n`);
} finally {
  ingest.close();
  kusto.close();
  await emu.stop();
}
