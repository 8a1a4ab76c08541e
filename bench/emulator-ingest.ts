// Streams a ~100 MB CSV into the emulator in 4 MB requests through the unmodified StreamingIngestClient,
// then checks it landed whole (row count and checksums) and prints the throughput.
//   LOG_LEVEL=silent npx tsx bench/emulator-ingest.ts [megabytes]
import { Readable } from 'node:stream';
import { Client } from 'azure-kusto-data';
import { DataFormat, StreamingIngestClient } from 'azure-kusto-ingest';
import { startEmulator } from '../src/emulator/index.js';

const targetBytes = Number(process.argv[2] ?? 100) * 1024 * 1024;
const requestBytes = 4 * 1024 * 1024;

const emu = await startEmulator({ port: 0 });
const client = new Client(emu.clusterUrl);
const ingest = new StreamingIngestClient(emu.clusterUrl);
try {
  await client.execute('bench', '.create table Bulk (i:long, s:string, r:real, t:datetime)');
  await client.execute('bench', '.alter table Bulk policy streamingingestion enable');
  let i = 0;
  let bytes = 0;
  let requests = 0;
  let expectedLen = 0;
  const t0 = performance.now();
  while (bytes < targetBytes) {
    const lines: string[] = [];
    let size = 0;
    while (size < requestBytes - 200) {
      i++;
      const s = `row ${i}, "quoted" ü`;
      expectedLen += s.length;
      const line = `${i},"${s.replace(/"/g, '""')}",${i / 8},2024-01-01T00:00:${String(i % 60).padStart(2, '0')}.1234567Z`;
      lines.push(line);
      size += Buffer.byteLength(line) + 1;
    }
    const body = Buffer.from(lines.join('\n') + '\n');
    bytes += body.length;
    await ingest.ingestFromStream(Readable.from([body]), { database: 'bench', table: 'Bulk', format: DataFormat.CSV });
    requests++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const r = (await client.execute('bench', 'Bulk | summarize n = count(), si = sum(i), sl = sum(strlen(s))')).primaryResults[0]!.toJSON().data[0] as { n: number; si: number; sl: number };
  const ok = r.n === i && r.si === (i * (i + 1)) / 2 && r.sl === expectedLen;
  console.log(JSON.stringify({ megabytes: +(bytes / 1048576).toFixed(1), requests, rows: i, seconds: +seconds.toFixed(2), mbPerSecond: +(bytes / 1048576 / seconds).toFixed(1), landedWhole: ok }));
  if (!ok) process.exitCode = 1;
} finally {
  ingest.close();
  client.close();
  await emu.stop();
}
