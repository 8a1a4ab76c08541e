import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { Schema, Field, Int64 } from 'apache-arrow';
import { kustoTrustedEndpoints } from 'azure-kusto-data';
import { driverCredential, executorAuthOf, executorCredential, StaticTokenCredential } from '../../../../src/datasource/kusto/client/credentials.js';
import { trustEmulatorHost } from '../../../../src/datasource/kusto/client/connection.js';
import { KustoEngineClient, KustoRequestException } from '../../../../src/datasource/kusto/client/engine-client.js';
import { resolveKustoSinkOptions } from '../../../../src/datasource/kusto/options/sink-options.js';
import { ManualClock } from '../../../../src/datasource/kusto/polling/clock.js';
import { prepareKustoWrite } from '../../../../src/datasource/kusto/write/prepare-write.js';
import { executorOptions } from '../../../../src/datasource/kusto/write/write-state.js';
import { driverOptionsOf } from '../../../../src/datasource/kusto/write/driver-clients.js';
import type { DriverContext } from '../../../../src/datasource/datasource.js';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/start-emulator.js';
import { silentLog as silent } from '../../../support/test-log.js';

const base = { kustoCluster: 'https://mycluster.westus.kusto.windows.net', kustoDatabase: 'db', kustoTable: 'T' };

describe('credentials', () => {
  it('no credential for the emulator; a static token for accessToken; executors never get secrets', async () => {
    assert.equal(await driverCredential(resolveKustoSinkOptions({ ...base, kustoCluster: 'http://127.0.0.1:1' }).auth), undefined);
    const tokenAuth = resolveKustoSinkOptions({ ...base, accessToken: 'tok-123' }).auth;
    const cred = await driverCredential(tokenAuth);
    assert.ok(cred instanceof StaticTokenCredential);
    assert.equal((await cred.getToken('https://kusto.kusto.windows.net/.default'))?.token, 'tok-123');
    const appAuth = resolveKustoSinkOptions({ ...base, kustoAadAppId: 'app', kustoAadAppSecret: 'app-secret-value' }).auth;
    assert.deepEqual(executorAuthOf(appAuth), { kind: 'environment' });
    assert.deepEqual(executorAuthOf(resolveKustoSinkOptions({ ...base, managedIdentityAuth: 'true', managedIdentityClientId: 'cid' }).auth), { kind: 'managedIdentity', clientId: 'cid' });
    assert.deepEqual(executorAuthOf(resolveKustoSinkOptions({ ...base, kustoCluster: 'http://kusto:8080' }).auth), { kind: 'none' });
  });
  it('executors resolve KUSTO_ACCESS_TOKEN from their environment, else the default credential chain', async () => {
    const env = await executorCredential({ kind: 'environment' }, { KUSTO_ACCESS_TOKEN: 'env-token' });
    assert.equal((await env!.getToken('s'))?.token, 'env-token');
    const chain = await executorCredential({ kind: 'environment' }, {});
    assert.equal(chain?.constructor.name, 'DefaultAzureCredential');
    assert.equal(await executorCredential({ kind: 'none' }), undefined);
    assert.equal(await executorCredential({ kind: 'environment' }, {}, { localEndpoint: true }), undefined);
    assert.equal((await (await executorCredential({ kind: 'environment' }, { KUSTO_ACCESS_TOKEN: 'e' }, { localEndpoint: true }))!.getToken('s'))?.token, 'e');
  });
  it('executor options carry no auth option and a fixed request id', () => {
    const out = executorOptions({ ...base, kustoAadAppId: 'app', kustoAadAppSecret: 's3', KUTOAADAPPCERTPASSWORD: 'pw', accessToken: 't', requestId: 'old' }, { requestId: 'rid', ingestionPropertiesJson: undefined });
    assert.deepEqual(out, { ...base, requestId: 'rid' });
  });
});

describe('connection', () => {
  it('trusts a non-loopback http emulator host by exact name only', () => {
    assert.throws(() => kustoTrustedEndpoints.validateTrustedEndpoint('http://kusto-emu-test:8080', 'https://login.microsoftonline.com'), /not trusted/);
    trustEmulatorHost('http://kusto-emu-test:8080');
    kustoTrustedEndpoints.validateTrustedEndpoint('http://kusto-emu-test:8080', 'https://login.microsoftonline.com');
    assert.throws(() => kustoTrustedEndpoints.validateTrustedEndpoint('http://other-host:8080', 'https://login.microsoftonline.com'), /not trusted/);
    trustEmulatorHost('https://evil.example.com'); // https hosts keep the SDK's rules
    assert.throws(() => kustoTrustedEndpoints.validateTrustedEndpoint('https://evil.example.com', 'https://login.microsoftonline.com'), /not trusted/);
  });
});

describe('engine client against the emulator', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ warmUp: false, autoDeleteIntervalMs: 0 });
  });
  after(async () => emu?.stop());

  it('sends <requestId>;<activity>;<uuid>;<attempt> and retries throttling with backoff', async () => {
    const clock = new ManualClock();
    const c = new KustoEngineClient(emu.clusterUrl, undefined, { requestId: 'req-42', clock });
    await c.mgmt('db', '.emulator fault throttle 2 on mgmt matching "create table"', { activity: 'KJOB.test' });
    await c.mgmt('db', '.create table C1 (a:long)', { activity: 'KJOB.test.create' });
    assert.equal(clock.sleeps.length, 2);
    assert.ok(clock.sleeps.every((ms) => ms >= 500 && ms <= 10_000));
    const cmds = await c.mgmt('db', ".show commands | where ClientActivityId startswith 'req-42;KJOB.test.create;' | project ClientActivityId", { activity: 'KJOB.test' });
    assert.ok(cmds.length >= 1);
    for (const r of cmds) assert.match(String(r['ClientActivityId']), /^req-42;KJOB\.test\.create;[0-9a-f-]{36};[0-3]$/);
  });

  it('gives up after 4 attempts on a persistent 5xx, and fails at once on a permanent error, with the service message', async () => {
    const clock = new ManualClock();
    const c = new KustoEngineClient(emu.clusterUrl, undefined, { requestId: 'req-43', clock });
    await c.mgmt('db', '.emulator fault fail 0 status 503 on mgmt matching "C2"', { activity: 'KJOB.test' });
    await assert.rejects(c.mgmt('db', '.create table C2 (a:long)', { activity: 'KJOB.test' }), (e: unknown) => {
      assert.ok(e instanceof KustoRequestException);
      assert.equal(e.httpStatus, 503);
      assert.equal(e.requestId, 'req-43');
      return true;
    });
    assert.equal(clock.sleeps.length, 3);
    await c.mgmt('db', '.emulator fault clear', { activity: 'KJOB.test' });
    const before = clock.sleeps.length;
    await assert.rejects(c.query('db', 'NoSuchTable | take 1', { activity: 'KJOB.test' }), (e: unknown) => e instanceof KustoRequestException && /NoSuchTable/.test(e.message) && !e.retryable);
    assert.equal(clock.sleeps.length, before);
  });

  it('a prepared write job carries no secret', async () => {
    const ctx: DriverContext = { appName: 'a', appId: 'app-1', jobId: 'job-1', conf: new Map(), log: silent, defaultParallelism: 2 };
    const job = await prepareKustoWrite(new Schema([new Field('id', new Int64(), true)]), { kustoCluster: emu.clusterUrl, kustoDatabase: 'db', kustoTable: 'Sec', tableCreateOptions: 'CreateIfNotExist', writeMode: 'Queued', accessToken: 'very-secret-token' }, 'append', ctx);
    const text = JSON.stringify(job) + inspect(job, { depth: 10 });
    assert.ok(!text.includes('very-secret-token'));
    assert.match(text, /"requestId":"[0-9a-f-]{36}"/);
    // The driver keeps the user's auth (in memory only) for commit and abort; the shipped state has none.
    const requestId = (job.state as { requestId: string }).requestId;
    assert.equal(driverOptionsOf(requestId, () => assert.fail('not remembered')).auth.kind, 'accessToken');
    assert.equal(((job.state as { executorAuth: { kind: string } }).executorAuth).kind, 'environment');
  });
});
