/**
 * Child process of sdk-status-table.test.ts. It must be started with NODE_EXTRA_CA_CERTS pointing at
 * the emulator's table certificate (Node reads that variable only at start-up), which is why the
 * table-reporting path is exercised in a separate process. Prints one JSON line per ingestion with
 * the final status-table entity as the unmodified SDK returns it.
 */
import { DataFormat, IngestClient, IngestionProperties, ReportLevel, ReportMethod, StreamDescriptor } from 'azure-kusto-ingest';

const clusterUrl = process.env['CLUSTER_URL'];
if (!clusterUrl) throw new Error('CLUSTER_URL is not set');

const client = new IngestClient(clusterUrl);
const cases: { name: string; body: string; format: DataFormat }[] = [
  { name: 'ok', body: '1,table-reported\n', format: DataFormat.CSV },
  { name: 'bad', body: '{"a": ', format: DataFormat.JSON },
];

for (const c of cases) {
  const props = new IngestionProperties({ database: 'db', table: 'S', format: c.format, reportLevel: ReportLevel.FailuresAndSuccesses, reportMethod: ReportMethod.Table, flushImmediately: true });
  const result = await client.ingestFromStream(new StreamDescriptor(Buffer.from(c.body) as unknown as ArrayBuffer), props);
  const first = (await result.getIngestionStatusCollection()) as unknown as Record<string, unknown>;
  const until = Date.now() + 20_000;
  let last = first;
  while (String(last['Status']) === 'Pending' && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    last = (await result.getIngestionStatusCollection()) as unknown as Record<string, unknown>;
  }
  process.stdout.write(`${JSON.stringify({ name: c.name, firstStatus: first['Status'], final: last })}\n`);
}
client.close();
