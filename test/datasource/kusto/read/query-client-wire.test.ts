// What the raw V2 client puts on the wire (captured by a local HTTP server): the SDK's headers and
// request-id convention, the full clientRequestPropertiesJson (Options and Parameters, application,
// user) — also on the DM's `.show export containers` of a read —, a bearer token from the credential (a stub credential: no AAD login), and its handling of
// HTTP errors and errors inside a 200.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KustoQueryClient } from '../../../../src/datasource/kusto/rest/kusto-query-client.js';
import { parseClientRequestProperties } from '../../../../src/datasource/kusto/options/client-request-properties.js';
import { ManualClock } from '../../../../src/datasource/kusto/polling/clock.js';
import { resolveKustoSourceOptions } from '../../../../src/datasource/kusto/options/source-options.js';
import { driverReadClients } from '../../../../src/datasource/kusto/read/read-clients.js';
import { clearExportContainersCache, exportContainers } from '../../../../src/datasource/kusto/read/export-storage.js';

const OK_BODY = JSON.stringify([
  { FrameType: 'DataSetHeader', IsProgressive: false, Version: 'v2.0' },
  { FrameType: 'DataTable', TableId: 1, TableKind: 'PrimaryResult', TableName: 'PrimaryResult', Columns: [{ ColumnName: 'x', ColumnType: 'long' }], Rows: [[1]] },
  { FrameType: 'DataSetCompletion', HasErrors: false, Cancelled: false },
]);

describe('raw V2 query client on the wire', () => {
  let server: Server;
  let url: string;
  const seen: { headers: IncomingHttpHeaders; body: Record<string, unknown>; path: string }[] = [];
  let answers: { status: number; body: string }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => {
        // The SDK's cloud-metadata probe (GET /v1/rest/auth/metadata): not found → its default cloud.
        if (req.method === 'GET') {
          res.statusCode = 404;
          res.end();
          return;
        }
        seen.push({ headers: req.headers, body: JSON.parse(text) as Record<string, unknown>, path: req.url ?? '' });
        const a = answers.shift() ?? { status: 200, body: OK_BODY };
        res.statusCode = a.status;
        res.end(a.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
  });

  it('sends the headers, the request id and every client request property', async () => {
    const crp = parseClientRequestProperties('{"Options":{"servertimeout":"00:01:00","notruncation":true},"Parameters":{"p":"v"},"Application":"my-app","User":"me"}');
    const credential = { getToken: async (scope: string | string[]) => ({ token: `tok-for-${String(scope)}`, expiresOnTimestamp: Date.now() + 60_000 }) };
    const client = new KustoQueryClient({ engineUrl: url, database: 'db1', requestId: 'job-42', credential, clientRequestProperties: crp });
    const r = await client.query('T | take 1', { activity: 'KJOB.read.single' });
    assert.equal(r.rows.length, 1);
    const req = seen.at(-1)!;
    assert.equal(req.path, '/v2/rest/query');
    assert.match(String(req.headers['x-ms-client-request-id']), /^job-42;KJOB\.read\.single;[0-9a-f-]{36};0$/);
    assert.equal(req.headers['x-ms-app'], 'my-app');
    assert.equal(req.headers['x-ms-user'], 'me');
    assert.equal(req.headers['x-ms-version'], '2024-12-12');
    assert.equal(req.headers['authorization'], `Bearer tok-for-${url}/.default`);
    assert.deepEqual(req.body, { db: 'db1', csl: 'T | take 1', properties: { Options: { servertimeout: '00:01:00', notruncation: true }, Parameters: { p: 'v' } } });
  });

  it("a read's DM client sends clientRequestPropertiesJson with .show export containers", async () => {
    const o = resolveKustoSourceOptions({ kustoCluster: url, kustoDatabase: 'db1', kustoQuery: 'T', requestId: 'dm-crp', clientRequestPropertiesJson: '{"Options":{"truncationmaxrecords":1234,"notruncation":false},"Parameters":{"p":"v"}}' });
    const v1 = JSON.stringify({ Tables: [{ TableName: 'Table_0', Columns: [{ ColumnName: 'StorageRoot', DataType: 'String', ColumnType: 'string' }], Rows: [['https://acct.blob.core.windows.net/exp?sv=1&sig=x']] }] });
    answers = [{ status: 200, body: v1 }];
    clearExportContainersCache();
    const before = seen.length;
    const storage = await exportContainers((await driverReadClients(o)).dm);
    clearExportContainersCache();
    assert.equal(storage.storageCredentials.length, 1);
    const req = seen.slice(before).find((r) => String(r.body['csl']) === '.show export containers');
    assert.ok(req, 'the DM command was sent');
    assert.equal(req.body['db'], 'NetDefaultDB');
    assert.match(String(req.headers['x-ms-client-request-id']), /^dm-crp;/);
    const props = typeof req.body['properties'] === 'string' ? (JSON.parse(req.body['properties']) as Record<string, unknown>) : (req.body['properties'] as Record<string, unknown>);
    assert.deepEqual(props['Options'], { truncationmaxrecords: 1234, notruncation: false });
    assert.deepEqual(props['Parameters'], { p: 'v' });
  });

  it('servertimeout reaches the service as a timespan through both clients (the SDK wants ms); a bad one is refused up front', async () => {
    const v1 = JSON.stringify({ Tables: [{ TableName: 'Table_0', Columns: [{ ColumnName: 'StorageRoot', DataType: 'String', ColumnType: 'string' }], Rows: [['https://acct.blob.core.windows.net/exp?sv=1&sig=x']] }] });
    for (const given of ['"00:02:30"', '150000']) {
      const o = resolveKustoSourceOptions({ kustoCluster: url, kustoDatabase: 'db1', kustoQuery: 'T', requestId: 'st-crp', clientRequestPropertiesJson: `{"Options":{"ServerTimeout":${given}}}` });
      answers = [{ status: 200, body: v1 }];
      clearExportContainersCache();
      const before = seen.length;
      await exportContainers((await driverReadClients(o)).dm);
      clearExportContainersCache();
      const req = seen.slice(before).find((r) => String(r.body['csl']) === '.show export containers');
      const props = typeof req?.body['properties'] === 'string' ? (JSON.parse(req.body['properties']) as Record<string, unknown>) : (req?.body['properties'] as Record<string, unknown>);
      // The SDK writes the timespan itself, with milliseconds (it sent "NaN:NaN:NaN.NaN" when handed the text).
      assert.deepEqual(props['Options'], { servertimeout: '00:02:30.000' }, `SDK client, given ${given}`);
      const raw = new KustoQueryClient({ engineUrl: url, database: 'db1', requestId: 'st-raw', clientRequestProperties: o.clientRequestProperties });
      const at = seen.length;
      await raw.query('T | take 1', { activity: 'test' });
      assert.deepEqual((seen[at]!.body['properties'] as { Options: unknown }).Options, { servertimeout: '00:02:30' }, `raw client, given ${given}`);
    }
    assert.throws(() => parseClientRequestProperties('{"Options":{"servertimeout":"2 minutes"}}'), (e: Error) => e.name === 'InvalidParameterException' && /Options\.servertimeout must be a positive timespan/.test(e.message));
  });

  it('retries a 503 with the attempt number in the request id; a 400 fails at once with the service message', async () => {
    const client = new KustoQueryClient({ engineUrl: url, database: 'db1', requestId: 'r', clock: new ManualClock() });
    answers = [{ status: 503, body: '{"error":{"code":"ServiceUnavailable","message":"busy"}}' }];
    const before = seen.length;
    await client.query('T', { activity: 'a' });
    assert.deepEqual(seen.slice(before).map((s) => String(s.headers['x-ms-client-request-id']).split(';')[3]), ['0', '1']);
    answers = [{ status: 400, body: '{"error":{"code":"General_BadRequest","@message":"Syntax error: bad query"}}' }];
    await assert.rejects(client.query('T |', { activity: 'a' }), (e: Error & { kustoCode?: string; retryable?: boolean }) => e.name === 'KustoRequestError' && /HTTP 400, General_BadRequest\): Syntax error: bad query/.test(e.message) && e.retryable === false);
  });

  it('an error inside a 200 body raises KustoRequestError with the limits flag', async () => {
    const client = new KustoQueryClient({ engineUrl: url, database: 'db1', requestId: 'r', clock: new ManualClock() });
    answers = [{ status: 200, body: JSON.stringify([{ FrameType: 'DataSetHeader' }, { FrameType: 'DataSetCompletion', HasErrors: true, OneApiErrors: [{ error: { code: 'LimitsExceeded', '@message': 'Query execution has exceeded the allowed limits (80DA0003): the results of this query exceed the set limit of 64 MB' } }] }]) }];
    await assert.rejects(client.query('Big', { activity: 'a' }), (e: Error & { isLimitsError?: boolean; resolution?: string }) => e.isLimitsError === true && /ForceDistributedMode/.test(String(e.resolution)));
  });
});
