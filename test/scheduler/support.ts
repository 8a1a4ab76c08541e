import { spawn } from 'node:child_process';
import { ROOT, spawnLogged, stopAll, waitForLog, type LoggedProcess } from '../cluster/support/cluster-processes.js';

const BIN = `${ROOT}bin/kjob.js`;

/** A `node bin/kjob.js scheduler` process with its stderr (JSON log lines and the runs' output) kept. */
export type SchedulerProcess = LoggedProcess;

export function spawnScheduler(opts: { url: string; prefix: string; id: string; env?: Record<string, string>; extraArgs?: string[] }): SchedulerProcess {
  return spawnLogged(opts.id, ['scheduler', '--master', opts.url, '--id', opts.id, '--grace', '2s', ...(opts.extraArgs ?? [])], { ...process.env, LOG_LEVEL: 'info', KJOB_REDIS_PREFIX: opts.prefix, ...opts.env });
}

/** Schedulers get longer than executors to stop: a run's grace, then its child's SIGTERM → SIGKILL. */
export const stopSchedulers = (all: readonly SchedulerProcess[]): Promise<void> => stopAll(all, 15_000);

export { waitForLog };

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
