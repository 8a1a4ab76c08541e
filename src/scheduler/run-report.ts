/**
 * The opt-in run report of `kjob submit`: with KJOB_RUN_REPORT=<file>, submit writes what the job did
 * there on exit — outcome, error (redacted), one entry per DataFrameWriter.save() — so that the
 * scheduler can record rows written and Kusto request ids without parsing logs.
 */
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { isKjobError } from '../errors/kjob-error.js';
import { redact } from '../util/redact.js';

export const RUN_REPORT_ENV = 'KJOB_RUN_REPORT';

export interface RunReportWrite {
  readonly format: string;
  readonly rows: number;
  readonly bytes: number;
  readonly requestId?: string;
  readonly skipped?: boolean;
}

export interface RunReport {
  readonly outcome: 'succeeded' | 'failed';
  readonly error?: string;
  readonly writes: readonly RunReportWrite[];
  readonly elapsedMs: number;
}

/** The error text a report carries: the CLI's own description (message, cause, resolution), redacted. */
export function reportError(err: unknown): string {
  if (isKjobError(err)) return redact(err.describe());
  if (err instanceof Error) return redact(`${err.name}: ${err.message}${err.cause instanceof Error ? `\n  Caused by: ${err.cause.message}` : ''}`);
  return redact(String(err));
}

/** The request id a write summary carries (the Kusto sink puts it in `detail.requestId`). */
export function writeOfSave(format: string, result: { rows: number; bytes: number; skipped?: boolean; detail?: Readonly<Record<string, unknown>> }): RunReportWrite {
  const requestId = result.detail?.['requestId'];
  return {
    format,
    rows: result.rows,
    bytes: result.bytes,
    ...(typeof requestId === 'string' ? { requestId } : {}),
    ...(result.skipped ? { skipped: true } : {}),
  };
}

/** Collects writes during a submit and writes the report file once. */
export class RunReportRecorder {
  readonly #path: string;
  readonly #started = Date.now();
  readonly #writes: RunReportWrite[] = [];
  #done = false;

  constructor(path: string) {
    this.#path = path;
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): RunReportRecorder | undefined {
    const path = env[RUN_REPORT_ENV];
    return path ? new RunReportRecorder(path) : undefined;
  }

  addWrite(w: RunReportWrite): void {
    this.#writes.push(w);
  }

  finish(outcome: 'succeeded' | 'failed', err?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    const report: RunReport = { outcome, ...(err !== undefined ? { error: reportError(err) } : {}), writes: this.#writes, elapsedMs: Date.now() - this.#started };
    // Synchronous: the CLI exits right after.
    writeFileSync(this.#path, JSON.stringify(report));
  }
}

/** Reads a report a child wrote; undefined when it wrote none (killed, or exited by itself). */
export function readRunReport(path: string): RunReport | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as RunReport;
    return v && (v.outcome === 'succeeded' || v.outcome === 'failed') && Array.isArray(v.writes) ? v : undefined;
  } catch {
    return undefined;
  }
}
