// Distributed Kusto reads on the BullMQ backend (real Redis, real executor processes) never put a SAS
// signature or an account key into Redis or the executors' logs: the export's SAS travels sealed
// (KJOB_TASK_SECRET_KEY), and an account key is turned into a container SAS first. Every command sent to Redis under the test prefix is recorded with MONITOR,
// every key left under it is dumped, and the driver's and executors' logs (debug) are scanned. A driver without the key fails before the export;
// an executor with another key fails the task once, naming the variable.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { BlobServiceClient, ContainerSASPermissions, StorageSharedKeyCredential, generateBlobSASQueryParameters } from '@azure/storage-blob';
import { Redis } from 'ioredis';
import { Session } from '../../../../src/driver/session.js';
import { TaskFailedError } from '../../../../src/errors/task-failed-error.js';
import { lastKustoReadReport } from '../../../../src/datasource/kusto/read/index.js';
import { logger } from '../../../../src/util/logger.js';
import { testRedisUrl, uniqueTestPrefix } from '../../../support/redis.js';
import { startCluster, type ExecutorProcess } from '../../../cluster/support/cluster-processes.js';
import { startKustoTestCluster, type KustoTestCluster } from './support.js';

const ENV = 'KJOB_TASK_SECRET_KEY';
const ROWS = 10_000;

/** Records every Redis command whose arguments mention `prefix` (task payloads, progress, results). */
async function recordRedis(url: string, prefix: string): Promise<{ lines: string[]; stop: () => Promise<void> }> {
  const conn = new Redis(url, { lazyConnect: true });
  await conn.connect();
  const monitor = await conn.monitor();
  const lines: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    const line = args.join(' ');
    if (line.includes(prefix)) lines.push(line);
  });
  return {
    lines,
    stop: async () => {
      monitor.disconnect();
      conn.disconnect();
    },
  };
}

/** Every value stored under `prefix`, as text. */
async function dumpKeys(url: string, prefix: string): Promise<string[]> {
  const r = new Redis(url);
  try {
    const out: string[] = [];
    for (const key of await r.keys(`${prefix}*`)) {
      const type = await r.type(key);
      if (type === 'string') out.push(String(await r.get(key)));
      else if (type === 'hash') out.push(JSON.stringify(await r.hgetall(key)));
      else if (type === 'list') out.push(JSON.stringify(await r.lrange(key, 0, -1)));
      else if (type === 'set') out.push(JSON.stringify(await r.smembers(key)));
      else if (type === 'zset') out.push(JSON.stringify(await r.zrange(key, 0, -1)));
      else if (type === 'stream') out.push(JSON.stringify(await r.xrange(key, '-', '+')));
      out.push(key);
    }
    return out;
  } finally {
    r.disconnect();
  }
}

/**
 * The driver's own log lines (pino writes them synchronously to fd 2 with fs.writeSync), captured at
 * debug level while the reads run and kept off the test output.
 */
function captureDriverLog(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const root = logger();
  const level = root.level;
  const original = fs.writeSync;
  root.level = 'debug';
  (fs as { writeSync: unknown }).writeSync = (fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd === 2) {
      const text = String(data);
      lines.push(text);
      return Buffer.byteLength(text);
    }
    return (original as (...a: unknown[]) => number)(fd, data, ...rest);
  };
  return {
    lines,
    restore: () => {
      (fs as { writeSync: unknown }).writeSync = original;
      root.level = level;
    },
  };
}

function sigOf(url: string): string {
  const sig = new URL(url).searchParams.get('sig');
  assert.ok(sig && sig.length > 10, 'the SAS has a signature');
  return sig;
}

/** The forms a secret may take in text: raw, URL-encoded, and JSON-escaped. */
function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), secret.slice(0, 16)])];
}

function assertNoSecret(texts: readonly string[], secrets: readonly string[], where: string): void {
  for (const s of secrets)
    for (const f of forms(s)) {
      const hit = texts.find((t) => t.includes(f));
      assert.equal(hit, undefined, `${where} holds a secret (${f.slice(0, 4)}…)`);
    }
}

let k: KustoTestCluster;
before(async () => {
  k = await startKustoTestCluster('sealdb');
  await k.mgmt(`.set-or-append Rows <| range id from 1 to ${ROWS} step 1 | extend s = strcat("row-", tostring(id))`);
});
after(async () => {
  await k?.stop();
});

describe('Kusto Distributed read on BullMQ: the export SAS travels sealed', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('kusto-sealed');
  const key = randomBytes(32).toString('base64');
  const savedKey = process.env[ENV];
  let spark: Session;
  let executors: ExecutorProcess[] = [];
  let stopCluster: () => Promise<void> = async () => undefined;
  let redis: Awaited<ReturnType<typeof recordRedis>>;
  let driverLog: ReturnType<typeof captureDriverLog> | undefined;
  const secrets: string[] = [];
  let userStorage: string;
  let keyStorage: string;

  before(async () => {
    const cs = k.emulator.dataManagement.connectionString;
    const account = /AccountName=([^;]+)/.exec(cs)![1]!;
    const accountKey = /AccountKey=([^;]+)/.exec(cs)![1]!;
    secrets.push(accountKey);
    // The emulator's own export containers' SAS…
    for (const row of await k.mgmt('.show export containers')) secrets.push(sigOf(String(Object.values(row)[0])));
    // …and a user transientStorage container with a SAS of its own.
    const container = 'user-transient';
    await BlobServiceClient.fromConnectionString(cs).getContainerClient(container).createIfNotExists();
    const sas = generateBlobSASQueryParameters({ containerName: container, permissions: ContainerSASPermissions.parse('racwdl'), expiresOn: new Date(Date.now() + 3_600_000) }, new StorageSharedKeyCredential(account, accountKey)).toString();
    secrets.push(sigOf(`http://x/?${sas}`));
    userStorage = JSON.stringify({ storageCredentials: [{ storageAccountName: account, blobContainer: container, sasKey: `?${sas}`, blobEndpoint: k.emulator.dataManagement.blobEndpoint }] });
    // …and one that authenticates with the account key itself.
    await BlobServiceClient.fromConnectionString(cs).getContainerClient('user-transient-key').createIfNotExists();
    keyStorage = JSON.stringify({ storageCredentials: [{ storageAccountName: account, blobContainer: 'user-transient-key', storageAccountKey: accountKey, blobEndpoint: k.emulator.dataManagement.blobEndpoint }] });

    process.env[ENV] = key;
    redis = await recordRedis(url, prefix);
    ({ executors, stop: stopCluster } = await startCluster(url, prefix, [
      { id: 'sealed-1', env: { [ENV]: key, LOG_LEVEL: 'debug' } },
      { id: 'sealed-2', env: { [ENV]: key, LOG_LEVEL: 'debug' } },
    ]));
    spark = await Session.builder().master(url).config('kjob.redis.prefix', prefix).config('kjob.progress', 'off').config('kjob.task.maxAttempts', 2).getOrCreate();
    driverLog = captureDriverLog();
  });
  after(async () => {
    driverLog?.restore();
    await spark?.stop();
    await stopCluster();
    await redis?.stop();
    if (savedKey === undefined) delete process.env[ENV];
    else process.env[ENV] = savedKey;
  });

  const read = (extra: Record<string, string>) =>
    spark.read
      .format('kusto')
      .options({ kustoCluster: k.emulator.clusterUrl, kustoDatabase: k.db, readMode: 'ForceDistributedMode', numPartitions: '4', partitionColumn: 'id', ...extra })
      .load()
      .toArrow();

  const assertExactRows = (t: Awaited<ReturnType<typeof read>>) => {
    assert.equal(t.numRows, ROWS);
    const seen = new Uint8Array(ROWS + 1);
    for (const v of t.getChild('id')!) seen[Number(v)]! += 1;
    assert.ok(seen.subarray(1).every((c) => c === 1), 'every row exactly once');
    assert.equal(t.getChild('s')!.get(0), `row-${Number(t.getChild('id')!.get(0))}`);
  };

  it('(a) the emulator export containers: exact rows, no SAS signature or account key in Redis or the executor logs', async () => {
    assertExactRows(await read({ kustoQuery: 'Rows' }));
    assert.equal(lastKustoReadReport()?.mode, 'distributed');
    assertNoSecret(redis.lines, secrets, 'a Redis command');
    assert.ok(redis.lines.some((l) => l.includes('kjob-sealed:v1:')), 'the task payloads went through Redis, SAS sealed');
    assertNoSecret(await dumpKeys(url, prefix), secrets, 'a Redis key');
    assert.ok(executors.every((e) => e.log.some((l) => l.includes('"task finished"'))), 'both executors read');
    assertNoSecret(executors.flatMap((e) => e.log), secrets, 'an executor log');
    assert.ok(driverLog!.lines.some((l) => l.includes('Kusto read planned')), 'the driver log was captured');
    assertNoSecret(driverLog!.lines, secrets, 'a driver log line');
  });

  /** A read with the user's transientStorage: exact rows, its credential went sealed, nothing secret anywhere. */
  const readUserStorage = async (kustoQuery: string, transientStorage: string, sealedWhat: string) => {
    const before = redis.lines.length;
    assertExactRows(await read({ kustoQuery, transientStorage }));
    assert.ok(redis.lines.slice(before).some((l) => l.includes('kjob-sealed:v1:')), sealedWhat);
    assertNoSecret(redis.lines, secrets, 'a Redis command');
    assertNoSecret(await dumpKeys(url, prefix), secrets, 'a Redis key');
    assertNoSecret(executors.flatMap((e) => e.log), secrets, 'an executor log');
    assertNoSecret(driverLog!.lines, secrets, 'a driver log line');
  };

  it('(b) a user transientStorage with a SAS: exact rows, nothing secret in Redis or the executor logs', async () => {
    await readUserStorage('Rows | where id > 0', userStorage, 'the user storage SAS went sealed');
  });

  it('(c) a user transientStorage with an account key: exact rows, the key never leaves the driver (a derived SAS travels sealed)', async () => {
    await readUserStorage('Rows | where id != -1', keyStorage, 'the derived SAS went sealed');
  });

  it('a driver without KJOB_TASK_SECRET_KEY fails with a named error before the export runs', async () => {
    delete process.env[ENV];
    try {
      const err = await read({ kustoQuery: 'Rows | where id != -4242' }).catch((e: unknown) => e);
      assert.equal((err as Error).name, 'TaskSecretKeyMissingError', String(err));
      assert.match((err as Error).message, /KJOB_TASK_SECRET_KEY/);
      assert.match(String((err as { resolution?: string }).resolution), /same KJOB_TASK_SECRET_KEY on the driver and on every executor/);
      assert.match(String((err as { resolution?: string }).resolution), /openssl rand -base64 32/);
      const exports = await k.mgmt(`.show commands | where Text startswith '.export' and Text has '-4242'`);
      assert.equal(exports.length, 0, 'no .export ran');
    } finally {
      process.env[ENV] = key;
    }
  });
});

describe('Kusto Distributed read on BullMQ: an executor with another KJOB_TASK_SECRET_KEY', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('kusto-wrongkey');
  const savedKey = process.env[ENV];
  let spark: Session;
  let executors: ExecutorProcess[] = [];
  let stopCluster: () => Promise<void> = async () => undefined;

  before(async () => {
    process.env[ENV] = randomBytes(32).toString('base64');
    ({ executors, stop: stopCluster } = await startCluster(url, prefix, [{ id: 'wrong-key', env: { [ENV]: randomBytes(32).toString('hex') } }]));
    spark = await Session.builder().master(url).config('kjob.redis.prefix', prefix).config('kjob.progress', 'off').config('kjob.task.maxAttempts', 4).getOrCreate();
  });
  after(async () => {
    await spark?.stop();
    await stopCluster();
    if (savedKey === undefined) delete process.env[ENV];
    else process.env[ENV] = savedKey;
  });

  it('fails the task once (no retries) with TaskSecretUnsealError naming the variable', async () => {
    const err = await spark.read.format('kusto').options({ kustoCluster: k.emulator.clusterUrl, kustoDatabase: k.db, kustoQuery: 'Rows | take 100', readMode: 'ForceDistributedMode' }).load().count().catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError, String(err));
    assert.equal(err.taskErrorName, 'TaskSecretUnsealError');
    assert.equal(err.attempts, 1, 'a wrong key is not retried');
    assert.match(err.taskErrorMessage, /KJOB_TASK_SECRET_KEY/);
    assert.equal(executors[0]!.log.filter((l) => l.includes('"task attempt failed"')).length, 1);
  });
});
