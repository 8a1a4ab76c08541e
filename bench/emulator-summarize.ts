// Fills an emulator table with 10 M rows through the SDK (`.set-or-append T <| range … | extend k = i % 100`)
// and times `T | summarize count() by k` over several runs.
//   LOG_LEVEL=silent npx tsx bench/emulator-summarize.ts [rows] [runs]
import { Client } from 'azure-kusto-data';
import { startEmulator } from '../src/emulator/index.js';

const rowCount = Number(process.argv[2] ?? 10_000_000);
const runs = Number(process.argv[3] ?? 7);

const emu = await startEmulator({ port: 0 });
const client = new Client(emu.clusterUrl);
try {
  const t0 = performance.now();
  await client.execute('bench', `.set-or-append T <| range i from 1 to ${rowCount} step 1 | extend k = i % 100`);
  const fillMs = performance.now() - t0;
  const times: number[] = [];
  let groups = 0;
  let total = 0;
  for (let r = 0; r < runs; r++) {
    const s = performance.now();
    const res = await client.execute('bench', 'T | summarize count() by k');
    times.push(performance.now() - s);
    const data = res.primaryResults[0]!.toJSON().data as { count_: number }[];
    groups = data.length;
    total = data.reduce((a, x) => a + Number(x.count_), 0);
  }
  if (groups !== 100 || total !== rowCount) throw new Error(`wrong answer: ${groups} groups, ${total} rows`);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(JSON.stringify({
    rows: rowCount,
    fillSeconds: +(fillMs / 1000).toFixed(2),
    summarizeMs: times.map((t) => +t.toFixed(1)),
    medianMs: +sorted[Math.floor(sorted.length / 2)]!.toFixed(1),
    firstMs: +times[0]!.toFixed(1),
  }));
} finally {
  client.close();
  await emu.stop();
}
