import { spawn, type ChildProcess } from 'node:child_process';
import { DuckDBInstance } from '@duckdb/node-api';

export const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = `${ROOT}bin/kjob.js`;

/** A `node bin/kjob.js executor` process, with its stderr (JSON log lines) kept for assertions. */
export interface ExecutorProcess {
  readonly id: string;
  readonly child: ChildProcess;
  readonly log: string[];
  exited(): Promise<number | null>;
}

export function spawnExecutor(opts: { url: string; prefix: string; id: string; cores?: number; env?: Record<string, string> }): ExecutorProcess {
  const child = spawn(
    process.execPath,
    [BIN, 'executor', '--master', opts.url, '--prefix', opts.prefix, '--id', opts.id, '--cores', String(opts.cores ?? 1), '--lock-duration-ms', '3000', '--stalled-interval-ms', '1000', '--grace-ms', '2000'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info', ...opts.env } },
  );
  const log: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => log.push(...d.split('\n').filter(Boolean)));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { id: opts.id, child, log, exited: () => exit };
}

export interface SubmitOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/kjob.js submit …` to completion. */
export function runSubmit(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<SubmitOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'submit', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn', KJOB_PROGRESS: 'log', ...env } });
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

export async function stopAll(executors: readonly ExecutorProcess[]): Promise<void> {
  await Promise.all(
    executors.map(async (e) => {
      if (e.child.exitCode === null && e.child.signalCode === null) e.child.kill('SIGTERM');
      const t = setTimeout(() => e.child.kill('SIGKILL'), 5000);
      await e.exited();
      clearTimeout(t);
    }),
  );
}

export async function waitForLog(e: ExecutorProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!e.log.some((l) => pattern.test(l))) {
    if (Date.now() > deadline) throw new Error(`executor ${e.id} never logged ${pattern}; log:\n${e.log.join('\n')}`);
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
