import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { ClientRequestProperties, type Client } from 'azure-kusto-data';
import { emulatorWithClient, httpError, rows } from './support.js';

/** The REST surface through the unmodified azure-kusto-data Client: V1, V2, encodings, errors. */
describe('emulator REST through azure-kusto-data', () => {
  let client: Client;
  let url: string;
  let close: () => Promise<void>;
  const db = 'restdb';

  before(async () => {
    const e = await emulatorWithClient();
    client = e.client;
    url = e.emu.clusterUrl;
    close = e.close;
    await client.execute(db, '.create table Types (l:long, i:int, r:real, b:bool, dt:datetime, ts:timespan, dec:decimal, g:guid, s:string, d:dynamic)');
    const data = [
      '9007199254740993,2147483647,1.5,true,2024-01-02T03:04:05.1234567Z,1.02:03:04.5000000,12.3400,0b1f4b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b,"quote "" comma , newline',
      'next line ünïcödé 🚀","{""a"":[1,2,{""b"":{""c"":null}}],""big"":1}"',
      '-9223372036854775808,-2147483648,-0.25,false,0001-01-01T00:00:00.0000000Z,-00:00:01.5000000,-0.5,00000000-0000-0000-0000-000000000000,,[]',
      ',,,,,,,,"",',
    ].join('\n');
    await client.execute(db, `.ingest inline into table Types <| ${data}`);
  });
  after(async () => close());

  it('answers auth metadata with a valid body', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      request(`${url}/v1/rest/auth/metadata`, (res) => {
        assert.equal(res.statusCode, 200);
        let s = '';
        res.on('data', (c) => (s += c));
        res.on('end', () => resolve(s));
      }).on('error', reject).end();
    });
    assert.ok((JSON.parse(body) as { AzureAD: { LoginEndpoint: string } }).AzureAD.LoginEndpoint.startsWith('https://'));
  });

  it('round-trips every type through V2 (executeQuery)', async () => {
    const r = await client.executeQuery(db, 'Types | order by l desc');
    const t = r.primaryResults[0]!;
    assert.deepEqual(t.columns.map((c) => `${c.name}:${c.type}`), ['l:long', 'i:int', 'r:real', 'b:bool', 'dt:datetime', 'ts:timespan', 'dec:decimal', 'g:guid', 's:string', 'd:dynamic']);
    const [first, second, nulls] = rows(r);
    // JS numbers round above 2^53 exactly as they do against the service.
    assert.equal(first!['l'], 9007199254740992);
    assert.equal(first!['i'], 2147483647);
    assert.equal(first!['r'], 1.5);
    assert.equal(first!['b'], true);
    assert.equal((first!['dt'] as Date).toISOString(), '2024-01-02T03:04:05.123Z');
    assert.equal(first!['ts'], 93784500);
    assert.equal(first!['dec'], '12.34');
    assert.equal(first!['g'], '0b1f4b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b');
    assert.equal(first!['s'], 'quote " comma , newline\nnext line ünïcödé 🚀');
    assert.deepEqual(first!['d'], { a: [1, 2, { b: { c: null } }], big: 1 });
    assert.equal(second!['l'], -9223372036854775808);
    assert.equal((second!['dt'] as Date).toISOString(), '0001-01-01T00:00:00.000Z');
    assert.equal(second!['ts'], -1500);
    assert.equal(second!['s'], '');
    assert.deepEqual(second!['d'], []);
    // Empty CSV fields are null for every type but string, where they are "".
    assert.deepEqual(nulls, { l: null, i: null, r: null, b: null, dt: null, ts: null, dec: null, g: null, s: '', d: null });
  });

  it('sends exact wire text: long digits, 7 fractional digits, timespan form, decimal string, dynamic embedded in V2 and stringified in V1', async () => {
    const post = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          let s = '';
          res.on('data', (c) => (s += c));
          res.on('end', () => resolve(s));
        });
        req.on('error', reject);
        req.end(JSON.stringify({ db, csl: 'Types | where i == 2147483647' }));
      });
    const v2 = await post('/v2/rest/query');
    assert.ok(v2.includes('[9007199254740993,2147483647,1.5,true,"2024-01-02T03:04:05.1234567Z","1.02:03:04.5000000","12.34","0b1f4b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b",'), v2);
    assert.ok(v2.includes(',{"a":[1,2,{"b":{"c":null}}],"big":1}]'));
    const v1 = await post('/v1/rest/query');
    assert.ok(v1.includes('[9007199254740993,2147483647,1.5,true,"2024-01-02T03:04:05.1234567Z","1.02:03:04.5000000","12.34"'), v1);
    assert.ok(v1.includes(',"{\\"a\\":[1,2,{\\"b\\":{\\"c\\":null}}],\\"big\\":1}"]'), v1);
    assert.ok(v1.includes('"ColumnType":"datetime"'));
  });

  it('answers V1 queries (executeQueryV1) with one primary table', async () => {
    const r = await client.executeQueryV1(db, 'Types | summarize n=count()');
    assert.equal(rows(r)[0]!['n'], 3);
  });

  it('maps a KQL semantic error to HTTP 400 with the OneApi body', async () => {
    const e = await httpError(client.executeQuery(db, 'NoSuchTable | take 1'));
    assert.equal(e.status, 400);
    assert.equal(e.code, 'General_BadRequest');
    assert.ok(typeof e.body['@type'] === 'string' && typeof e.body['@permanent'] === 'boolean');
    assert.match(e.message, /NoSuchTable/);
  });

  it('reports a failure during execution inside a 200 V2 answer, as the service does', async () => {
    // A long overflow passes translation and fails in DuckDB while running.
    await assert.rejects(client.executeQuery(db, 'Types | extend x = l * 4611686018427387904 | summarize sum(x)'), (err: Error) => {
      assert.equal((err as { response?: unknown }).response, undefined, 'not an HTTP error');
      assert.match(err.message, /^Kusto request had errors\. .*Query execution failed/s);
      return true;
    });
  });

  it('rejects unknown management commands with a 400 that names the command', async () => {
    const e = await httpError(client.execute(db, '.frobnicate table X'));
    assert.equal(e.status, 400);
    assert.match(e.message, /\.frobnicate table X/);
  });

  it('keeps keep-alive sockets open across idle periods longer than 5 s', async () => {
    await client.execute(db, 'print 1');
    await new Promise((r) => setTimeout(r, 5_500));
    const r = await client.execute(db, 'print x = 2');
    assert.equal(rows(r)[0]!['x'], 2);
  });
});

describe('emulator result-set limit', () => {
  it('fails past 500,000 records like the service, unless truncation is lifted', async () => {
    const { client, close } = await emulatorWithClient();
    try {
      await assert.rejects(client.execute('lim', 'range i from 1 to 500001 step 1'), /E_QUERY_RESULT_SET_TOO_LARGE/);
      const props = new ClientRequestProperties();
      props.setOption('truncationmaxrecords', 10);
      await assert.rejects(client.execute('lim', 'range i from 1 to 11 step 1', props), /record count limit 10 /);
      assert.equal(rows(await client.execute('lim', 'range i from 1 to 10 step 1', props)).length, 10);
      assert.equal(rows(await client.execute('lim', 'set notruncation;\nrange i from 1 to 500001 step 1 | summarize count()')).length, 1);
      const noTrunc = new ClientRequestProperties();
      noTrunc.setOption('notruncation', true);
      assert.equal(rows(await client.execute('lim', 'range i from 1 to 500001 step 1', noTrunc)).length, 500001);
    } finally {
      await close();
    }
  });
});
