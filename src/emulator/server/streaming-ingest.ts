import type { IncomingMessage, ServerResponse } from 'node:http';
import { KustoServiceError, type IngestFormat } from '../contracts.js';
import type { KustoEngine } from '../engine/kusto-engine.js';
import { decompress, readBody } from './request-body.js';
import { sendError, sendParts } from './http-server.js';
import { v1Body } from './wire-format.js';

/**
 * `POST /v1/rest/ingest/{db}/{table}?streamFormat=…&mappingName=…[&sourceKind=uri]` (wire protocol
 * §4): the body is gzip (or `{"sourceUri": …}` for sourceKind=uri); every call becomes one extent.
 * Refused with BadRequest_StreamingIngestionPolicyNotEnabled unless the table's or the database's
 * streaming ingestion policy is enabled, as the service does.
 */
const FORMATS = new Set<string>(['csv', 'tsv', 'tsve', 'psv', 'scsv', 'sohsv', 'txt', 'json', 'multijson', 'singlejson', 'parquet']);
const MAX_STREAM_BYTES = 512 * 1024 * 1024;

function streamingEnabled(engine: KustoEngine, database: string, tableId: number): boolean {
  const enabled = (text: string | undefined) => {
    if (!text) return undefined;
    try {
      return (JSON.parse(text) as { IsEnabled?: boolean }).IsEnabled === true;
    } catch {
      return false;
    }
  };
  return enabled(engine.store.policy(database, tableId, 'streamingingestion')) ?? enabled(engine.store.policy(database, null, 'streamingingestion')) ?? false;
}

export async function handleStreamingIngest(engine: KustoEngine, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const crid = typeof req.headers['x-ms-client-request-id'] === 'string' ? req.headers['x-ms-client-request-id'] : undefined;
  const startedOn = new Date();
  const segments = url.pathname.split('/').filter(Boolean).slice(3).map((s) => decodeURIComponent(s));
  const [database = '', table = ''] = segments;
  const text = `${database}.${table}`;
  try {
    if (segments.length !== 2 || !database || !table) throw new KustoServiceError(400, 'General_BadRequest', `Streaming ingestion path must be /v1/rest/ingest/{database}/{table}, got ${url.pathname}`);
    await engine.runHooks({ endpoint: 'ingest', database, text, clientRequestId: crid, authorization: typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined });
    const format = (url.searchParams.get('streamFormat') ?? 'csv').toLowerCase();
    if (!FORMATS.has(format)) throw new KustoServiceError(400, 'BadRequest_UnsupportedFormat', `Stream format '${format}' is not supported by the kjob emulator (${[...FORMATS].join(', ')}).`);
    await engine.ensureDatabase(database);
    const t = engine.requireTable(database, table);
    if (!streamingEnabled(engine, database, t.id)) {
      throw new KustoServiceError(400, 'BadRequest_StreamingIngestionPolicyNotEnabled', `Streaming ingestion policy is not enabled for table '${t.name}' in database '${database}'. Enable it with .alter table ['${t.name}'] policy streamingingestion enable.`, true, 'Kusto.DataNode.Exceptions.StreamingIngestionPolicyNotEnabledException');
    }
    let data: Buffer;
    let sourcePath = `stream:${crid ?? ''}`;
    if ((url.searchParams.get('sourceKind') ?? '').toLowerCase() === 'uri') {
      const body = JSON.parse((await readBody(req, 1 << 20)).toString('utf8')) as { sourceUri?: string; SourceUri?: string };
      const uri = body.sourceUri ?? body.SourceUri;
      if (!uri) throw new KustoServiceError(400, 'General_BadRequest', 'sourceKind=uri needs a JSON body {"sourceUri": "<blob url>"}.');
      const r = await fetch(uri);
      if (!r.ok) throw new KustoServiceError(400, 'BadRequest_InvalidBlob', `Could not download the source blob (HTTP ${r.status}).`);
      data = decompress(Buffer.from(await r.arrayBuffer()));
      sourcePath = uri.split('?')[0]!;
    } else {
      data = await readBody(req, MAX_STREAM_BYTES);
      data = decompress(data);
    }
    const mappingName = url.searchParams.get('mappingName') ?? undefined;
    const result = await engine.ingestBatch(database, t.name, [{ data, format: format as IngestFormat, sourcePath, ...(mappingName ? { mappingReference: mappingName } : {}) }], {});
    const outcome = result.outcomes[0]!;
    if (outcome.status === 'Failed') throw new KustoServiceError(400, outcome.errorCode ?? 'BadRequest_InvalidData', `Streaming ingestion into '${t.name}' failed: ${outcome.details ?? 'invalid data'}`);
    engine.recordCommand({ clientActivityId: crid, commandType: 'StreamingIngest', text, database, state: 'Completed', startedOn, duration: Date.now() - startedOn.getTime() });
    sendParts(res, 200, v1Body([{
      name: 'Table_0',
      columns: [{ name: 'ConsumedRecordsCount', type: 'long' }, { name: 'UpdatePolicyStatus', type: 'string' }, { name: 'UpdatePolicyFailureCode', type: 'string' }, { name: 'UpdatePolicyFailureReason', type: 'string' }],
      rows: [[outcome.rows, 'Inactive', 'Unknown', null]],
    }]));
  } catch (err) {
    engine.recordCommand({ clientActivityId: crid, commandType: 'StreamingIngest', text, database, state: 'Failed', failureReason: (err as Error).message, startedOn, duration: Date.now() - startedOn.getTime() });
    sendError(res, err, crid);
  }
}
