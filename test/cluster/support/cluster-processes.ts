import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';

export const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = `${ROOT}bin/kjob.js`;

/**
 * The task secret key every driver and executor of these test clusters shares, as a deployment's
 * do (README: KJOB_TASK_SECRET_KEY); a test that wants it missing or different passes its own env.
 */
const CLUSTER_TASK_SECRET_KEY = randomBytes(32).toString('base64');

/** A `node bin/kjob.js <command>` child process, with its stderr (JSON log lines) kept for assertions. */
export interface LoggedProcess {
  readonly id: string;
  readonly child: ChildProcess;
  readonly log: string[];
  exited(): Promise<number | null>;
}

/** A `node bin/kjob.js executor` process. */
export type ExecutorProcess = LoggedProcess;

/** Spawns `node bin/kjob.js <args>` and keeps its stderr lines. */
export function spawnLogged(id: string, args: string[], env: Record<string, string | undefined>): LoggedProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env });
  const log: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => log.push(...d.split('\n').filter(Boolean)));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { id, child, log, exited: () => exit };
}

export function spawnExecutor(opts: { url: string; prefix: string; id: string; cores?: number; env?: Record<string, string> }): ExecutorProcess {
  return spawnLogged(
    opts.id,
    ['executor', '--master', opts.url, '--prefix', opts.prefix, '--id', opts.id, '--cores', String(opts.cores ?? 1), '--lock-duration-ms', '3000', '--stalled-interval-ms', '1000', '--grace-ms', '2000'],
    { ...process.env, KJOB_TASK_SECRET_KEY: CLUSTER_TASK_SECRET_KEY, LOG_LEVEL: 'info', ...opts.env },
  );
}

export interface SubmitOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/kjob.js submit …` to completion. */
export function runSubmit(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<SubmitOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'submit', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KJOB_TASK_SECRET_KEY: CLUSTER_TASK_SECRET_KEY, LOG_LEVEL: 'warn', KJOB_PROGRESS: 'log', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kjob submit ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** SIGTERM to each process still running, SIGKILL after `killAfterMs`; resolves when all exited. */
export async function stopAll(processes: readonly LoggedProcess[], killAfterMs = 5000): Promise<void> {
  await Promise.all(
    processes.map(async (p) => {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
      const t = setTimeout(() => p.child.kill('SIGKILL'), killAfterMs);
      await p.exited();
      clearTimeout(t);
    }),
  );
}

export async function waitForLog(p: LoggedProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!p.log.some((l) => pattern.test(l))) {
    if (Date.now() > deadline) throw new Error(`process ${p.id} never logged ${pattern}; log:\n${p.log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One SQL answer from DuckDB: the independent oracle for what kjob read and wrote. */
export async function duckQuery(sql: string): Promise<Array<Record<string, unknown>>> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Array<Record<string, unknown>>;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

export const FLIGHTS_FILE = `${ROOT}node_modules/vega-datasets/data/flights-3m.parquet`;

const FINGERPRINT = `count(*)::BIGINT n, sum(delay)::BIGINT "delay", sum(hour)::BIGINT hour_sum,
  bit_xor(hash(date, delay, distance, origin, destination, hour, delay_bucket))::UBIGINT row_hash`;

/** An order-independent fingerprint of a written late-flights dataset: counts, sums and a hash over every row. */
export async function lateFlightsFingerprint(dir: string): Promise<Record<string, unknown>> {
  const [row] = await duckQuery(`SELECT ${FINGERPRINT} FROM '${dir}/*.parquet'`);
  return row!;
}

/** The same fingerprint computed by DuckDB straight from the source: what the main job must write. */
export async function expectedLateFlightsFingerprint(): Promise<Record<string, unknown>> {
  const [row] = await duckQuery(
    `WITH t AS (SELECT *, hour(date)::INTEGER AS hour,
                       CASE WHEN delay > 120 THEN 'severe' WHEN delay > 45 THEN 'major' ELSE 'minor' END AS delay_bucket
                  FROM '${FLIGHTS_FILE}' WHERE delay > 15)
     SELECT ${FINGERPRINT} FROM t`,
  );
  return row!;
}

/** Starts executors under a fresh prefix and returns a clean-up that stops them and deletes the keys. */
export async function startCluster(url: string, prefix: string, specs: ReadonlyArray<{ id: string; env?: Record<string, string> }>): Promise<{ executors: ExecutorProcess[]; stop: () => Promise<void> }> {
  const executors = specs.map((s) => spawnExecutor({ url, prefix, id: s.id, ...(s.env ? { env: s.env } : {}) }));
  const stop = async () => {
    await stopAll(executors);
    const { Redis } = await import('ioredis');
    const redis = new Redis(url);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  };
  try {
    await Promise.all(executors.map((e) => waitForLog(e, /executor started/, 30_000)));
  } catch (err) {
    await stop();
    throw err;
  }
  return { executors, stop };
}
