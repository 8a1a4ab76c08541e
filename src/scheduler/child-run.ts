import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDuration } from './duration.js';
import { readRunReport, RUN_REPORT_ENV, type RunReport } from './run-report.js';

const KJOB_BIN = fileURLToPath(new URL('../../bin/kjob.js', import.meta.url));
/** How much of a child's stderr is kept for the history's error text. */
const STDERR_TAIL_CHARS = 16_384;

export interface ChildRunSpec {
  readonly job: string;
  readonly master: string;
  readonly appName: string;
  readonly conf: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** After SIGTERM (timeout or shutdown), how long the child may take before SIGKILL. */
  readonly killGraceMs: number;
  /** Aborting it stops the child like a timeout does (scheduler shutdown). */
  readonly signal?: AbortSignal;
  readonly env?: Readonly<Record<string, string>>;
  /** Where the child's output goes (the scheduler's own stdout/stderr by default). */
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

export interface ChildRunResult {
  readonly outcome: 'succeeded' | 'failed' | 'timed-out';
  readonly exitCode: number | null;
  readonly exitSignal: NodeJS.Signals | null;
  readonly report: RunReport | undefined;
  /** Why it failed, for the history (raw: the history entry redacts and trims it). */
  readonly error: string | undefined;
}

/**
 * The argv of `kjob submit` for a run (pure, unit-tested). No master: a Redis URL may carry a password,
 * and a command line is visible to every user of the machine (ps, /proc/<pid>/cmdline); the master goes
 * through the child's environment instead (submitEnv). Conf entries are never secrets (refused on add).
 */
export function submitArgs(spec: Pick<ChildRunSpec, 'job' | 'appName' | 'conf'>): string[] {
  const args = [KJOB_BIN, 'submit', spec.job, '--app-name', spec.appName];
  for (const [k, v] of Object.entries(spec.conf)) args.push('--conf', `${k}=${v}`);
  return args;
}

/** The environment of a run's `kjob submit` child: the scheduler's, the spec's, the master (KJOB_MASTER, which `kjob submit` reads without --master) and where to write the run report. */
export function submitEnv(spec: Pick<ChildRunSpec, 'master' | 'env'>, reportPath: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, ...spec.env, KJOB_MASTER: spec.master, [RUN_REPORT_ENV]: reportPath };
}

/**
 * Runs one attempt as a `kjob submit` child process, so a crashing or leaking job never takes the
 * scheduler down. Output is passed through (the run's logs are the ordinary job logs); the child's
 * run report gives outcome, rows and request ids. On timeout (or abort): SIGTERM, then SIGKILL after
 * killGraceMs.
 */
export async function runChild(spec: ChildRunSpec): Promise<ChildRunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kjob-run-'));
  const reportPath = join(dir, 'report.json');
  try {
    const child = spawn(process.execPath, submitArgs(spec), {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C (or a group-wide SIGTERM) to the scheduler must not reach the
      // run directly; the scheduler decides (grace, then SIGTERM/SIGKILL to the run's whole group).
      detached: true,
      env: submitEnv(spec, reportPath),
    });
    let tail = '';
    child.stdout.on('data', (d: Buffer) => (spec.stdout ?? process.stdout).write(d));
    child.stderr.on('data', (d: Buffer) => {
      (spec.stderr ?? process.stderr).write(d);
      tail = (tail + d.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        child.kill(sig);
      }
    };
    let stoppedBecause: 'timeout' | 'abort' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: 'timeout' | 'abort') => {
      if (stoppedBecause || child.exitCode !== null || child.signalCode !== null) return;
      stoppedBecause = why;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), spec.killGraceMs);
    };
    const timer = setTimeout(() => stop('timeout'), spec.timeoutMs);
    const onAbort = () => stop('abort');
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    if (spec.signal?.aborted) onAbort();
    const [exitCode, exitSignal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, sig) => resolve([code, sig]));
    });
    clearTimeout(timer);
    clearTimeout(killTimer);
    spec.signal?.removeEventListener('abort', onAbort);
    const report = readRunReport(reportPath);
    if (stoppedBecause === 'timeout') {
      return { outcome: 'timed-out', exitCode, exitSignal, report, error: `the run exceeded its timeout of ${formatDuration(spec.timeoutMs)} and was stopped (${exitSignal ?? `exit ${exitCode}`})` };
    }
    if (stoppedBecause === 'abort') {
      return { outcome: 'failed', exitCode, exitSignal, report, error: `the run was interrupted: the scheduler shut down (${exitSignal ?? `exit ${exitCode}`})` };
    }
    if (exitCode === 0 && report?.outcome !== 'failed') return { outcome: 'succeeded', exitCode, exitSignal, report, error: undefined };
    const error = report?.error ?? (lastErrorLines(tail) || `kjob submit exited with ${exitSignal ?? `code ${exitCode}`}`);
    return { outcome: 'failed', exitCode, exitSignal, report, error };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The end of a child's stderr, without its JSON log lines: what the CLI's error printer wrote
 * (`Name: message`, cause, resolution). Falls back to the last log line's `msg`/`err`.
 */
export function lastErrorLines(stderr: string, maxLines = 12): string {
  const lines = stderr.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  const plain = lines.filter((l) => !l.startsWith('{'));
  if (plain.length > 0) return plain.slice(-maxLines).join('\n');
  for (const l of lines.reverse()) {
    try {
      const o = JSON.parse(l) as { level?: number; msg?: string; err?: unknown };
      if ((o.level ?? 0) >= 50) return [o.msg, typeof o.err === 'string' ? o.err : undefined].filter(Boolean).join(': ');
    } catch {
      // not JSON after all
    }
  }
  return '';
}
