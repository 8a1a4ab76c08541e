import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../cluster/support/cluster-processes.js';

const BIN = `${ROOT}bin/kjob.js`;

/** A `node bin/kjob.js scheduler` process with its stderr (JSON log lines and the runs' output) kept. */
export interface SchedulerProcess {
  readonly id: string;
  readonly child: ChildProcess;
  readonly log: string[];
  exited(): Promise<number | null>;
}

export function spawnScheduler(opts: { url: string; prefix: string; id: string; env?: Record<string, string>; extraArgs?: string[] }): SchedulerProcess {
  const child = spawn(process.execPath, [BIN, 'scheduler', '--master', opts.url, '--id', opts.id, '--grace', '2s', ...(opts.extraArgs ?? [])], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info', KJOB_REDIS_PREFIX: opts.prefix, ...opts.env },
  });
  const log: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => log.push(...d.split('\n').filter(Boolean)));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { id: opts.id, child, log, exited: () => exit };
}

export async function stopSchedulers(all: readonly SchedulerProcess[]): Promise<void> {
  await Promise.all(
    all.map(async (s) => {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
      const t = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
      await s.exited();
      clearTimeout(t);
    }),
  );
}

export async function waitForLog(s: SchedulerProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!s.log.some((l) => pattern.test(l))) {
    if (Date.now() > deadline) throw new Error(`scheduler ${s.id} never logged ${pattern}; log:\n${s.log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs `node bin/kjob.js <args>` to completion. */
export function kjob(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kjob ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, onTimeout?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${onTimeout ? `\n${onTimeout()}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
