import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { KustoServiceError, type EndpointKind, type ResultTable } from '../contracts.js';
import type { KustoEngine } from '../engine/kusto-engine.js';
import { childLogger } from '../../util/logger.js';
import { readBody } from './request-body.js';
import { handleStreamingIngest } from './streaming-ingest.js';
import { oneApiErrorBody, v1Body, v2Body } from './wire-format.js';
import { resultLimitsOf } from '../engine/result-limits.js';

/**
 * The REST surface the unmodified SDKs call (wire protocol §1, §4): auth metadata, mgmt, v1/v2
 * query and streaming ingestion. Request hooks (faults, auth) run before every call and their
 * KustoServiceError becomes the HTTP status plus OneApi body.
 */
const log = childLogger({ component: 'emulator-rest' });

const METADATA = JSON.stringify({
  AzureAD: {
    LoginEndpoint: 'https://login.microsoftonline.com',
    LoginMfaRequired: false,
    KustoClientAppId: 'db662dc1-0cfe-4e1c-a843-19a68e65be58',
    KustoClientRedirectUri: 'https://microsoft/kustoclient',
    KustoServiceResourceId: 'https://kusto.kusto.windows.net',
    FirstPartyAuthorityUrl: 'https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a',
  },
  dSTS: {},
});

const MAX_REQUEST_BYTES = 1024 * 1024 * 1024;

export function sendParts(res: ServerResponse, status: number, parts: readonly string[]): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  // Join into ~1 MB writes: one write per row would be slow, one string per result unbounded.
  let buf = '';
  for (const p of parts) {
    buf += p;
    if (buf.length > 1 << 20) {
      res.write(buf);
      buf = '';
    }
  }
  res.end(buf);
}

export function sendError(res: ServerResponse, err: unknown, clientRequestId: string | undefined): void {
  const e = err instanceof KustoServiceError ? err : new KustoServiceError(500, 'Internal_ServiceError', `Internal emulator error: ${(err as Error)?.message ?? String(err)}`, false);
  if (!(err instanceof KustoServiceError)) log.error({ err }, 'unexpected error');
  res.statusCode = e.httpStatus;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  if (e.httpStatus === 429) res.setHeader('retry-after', '1');
  res.end(oneApiErrorBody(e.code, e.message, e.kustoType, e.permanent, clientRequestId));
}

interface QueryBody {
  db?: string;
  csl?: string;
  properties?: unknown;
}

function commandType(text: string): string {
  const m = /^\.([\w-]+)(?:\s+(?:async\s+)?([\w-]+))?/i.exec(text.trim());
  if (!m) return 'Unknown';
  const cap = (s: string) => s.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1).toLowerCase()).join('');
  return m[2] ? `${cap(m[2])}${cap(m[1]!)}` : cap(m[1]!);
}

export function createHttpServer(engine: KustoEngine): Server {
  const server = createServer((req, res) => {
    void route(engine, req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, err, header(req, 'x-ms-client-request-id'));
      else res.destroy();
    });
  });
  // Clients reuse keep-alive sockets; a short server timeout races them into ECONNRESET.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.requestTimeout = 0;
  return server;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function route(engine: KustoEngine, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '');
  const crid = header(req, 'x-ms-client-request-id');
  if (req.method === 'GET' && path === '/v1/rest/auth/metadata') {
    res.setHeader('content-type', 'application/json');
    res.end(METADATA);
    return;
  }
  if (req.method === 'POST' && path.startsWith('/v1/rest/ingest/')) {
    await handleStreamingIngest(engine, req, res, url);
    return;
  }
  const kind: 'mgmt' | 'v1' | 'v2' | undefined = path === '/v1/rest/mgmt' ? 'mgmt' : path === '/v1/rest/query' ? 'v1' : path === '/v2/rest/query' ? 'v2' : undefined;
  if (req.method !== 'POST' || !kind) {
    sendError(res, new KustoServiceError(404, 'NotFound', `No such endpoint: ${req.method} ${url.pathname}`), crid);
    return;
  }
  let body: QueryBody;
  try {
    body = JSON.parse((await readBody(req, MAX_REQUEST_BYTES)).toString('utf8')) as QueryBody;
  } catch (err) {
    sendError(res, err instanceof KustoServiceError ? err : new KustoServiceError(400, 'BadRequest_InvalidRequestBody', `The request body is not valid JSON: ${(err as Error).message}`), crid);
    return;
  }
  const database = typeof body.db === 'string' && body.db !== '' ? body.db : 'NetDefaultDB';
  const text = typeof body.csl === 'string' ? body.csl : '';
  const isCommand = text.trim().startsWith('.');
  const endpoint: EndpointKind = kind === 'mgmt' || isCommand ? 'mgmt' : 'query';
  const authorization = header(req, 'authorization');
  const startedOn = new Date();
  // The principal is only known to the auth hook (src/emulator/auth); the journal leaves it empty.
  const principal: string | undefined = undefined;
  const record = (state: 'Completed' | 'Failed', failureReason?: string) =>
    engine.recordCommand({ clientActivityId: crid, commandType: endpoint === 'mgmt' ? commandType(text) : 'Query', text, database, state, ...(failureReason !== undefined ? { failureReason } : {}), startedOn, duration: Date.now() - startedOn.getTime(), ...(principal ? { principal } : {}) });
  try {
    await engine.runHooks({ endpoint, database, text, clientRequestId: crid, authorization });
    if (text.trim() === '') throw new KustoServiceError(400, 'General_BadRequest', 'The request has no query or command text (csl).');
    let result: ResultTable;
    if (endpoint === 'mgmt') {
      result = await engine.executeMgmt(database, text, { database, clientRequestId: crid, principal });
    } else {
      const r = await engine.runKql(database, text, undefined, resultLimitsOf(text, body.properties, engine.resultLimits));
      result = { name: 'PrimaryResult', columns: r.columns, rows: r.rows };
    }
    record('Completed');
    log.debug({ endpoint, database, crid }, 'request completed');
    if (kind === 'v2') sendParts(res, 200, v2Body(result, crid));
    else sendParts(res, 200, v1Body([{ ...result, name: kind === 'v1' ? 'Table_0' : result.name }]));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    record('Failed', message);
    log.debug({ endpoint, database, crid, err: message }, 'request failed');
    // A query that failed while running (not in parsing or admission) is reported inside a 200 V2
    // body, as the service does with ErrorReportingPlacement InData.
    if (kind === 'v2' && err instanceof KustoServiceError && (err.code === 'Internal_QueryExecutionFailed' || err.code === 'LimitsExceeded')) {
      sendParts(res, 200, v2Body(undefined, crid, { code: err.code, message: err.message, kustoType: err.kustoType }));
      return;
    }
    sendError(res, err, crid);
  }
}
