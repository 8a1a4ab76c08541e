import { redact } from '../util/redact.js';
import { formatDuration } from './duration.js';

export type RunOutcome = 'succeeded' | 'failed' | 'timed-out' | 'skipped';
export type RunTrigger = 'cron' | 'manual';

/** One history line: one attempt of a due run, or a skipped due run. */
export interface RunHistoryEntry {
  readonly runId: string;
  readonly schedule: string;
  readonly trigger: RunTrigger;
  /** 1-based; retries of a failed run are further attempts of the same run id. */
  readonly attempt: number;
  readonly dueAt: string;
  readonly startedAt?: string;
  readonly endedAt: string;
  readonly outcome: RunOutcome;
  readonly exitCode?: number | null;
  readonly rowsWritten?: number;
  readonly requestIds?: readonly string[];
  readonly error?: string;
  /** The scheduler process that handled it. */
  readonly scheduler: string;
}

/** Errors are stored short: the end of a long message is usually the cause. */
export const MAX_ERROR_CHARS = 2000;

/** A history-safe error text: secrets redacted, ANSI codes stripped, at most MAX_ERROR_CHARS. */
export function historyError(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = redact(text.replace(/\x1b\[[0-9;]*m/g, '')).trim();
  return clean.length <= MAX_ERROR_CHARS ? clean : `…${clean.slice(clean.length - MAX_ERROR_CHARS + 1)}`;
}

/** Builds an entry, dropping absent fields and redacting the error. */
export function historyEntry(e: RunHistoryEntry): RunHistoryEntry {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (v !== undefined) out[k] = v;
  if (e.error !== undefined) out['error'] = historyError(e.error);
  return out as unknown as RunHistoryEntry;
}

export function parseHistoryEntry(json: string): RunHistoryEntry | undefined {
  try {
    const v = JSON.parse(json) as RunHistoryEntry;
    return typeof v === 'object' && v !== null && typeof v.runId === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The person-readable table of `kjob schedule history` (newest first). */
export function formatHistory(entries: readonly RunHistoryEntry[]): string {
  if (entries.length === 0) return 'no runs yet';
  const rows = entries.map((e) => {
    const took = e.startedAt ? formatDuration(Math.max(0, Date.parse(e.endedAt) - Date.parse(e.startedAt))) : '-';
    return [
      e.startedAt ?? e.dueAt,
      e.endedAt,
      took,
      e.outcome + (e.attempt > 1 ? ` (attempt ${e.attempt})` : ''),
      e.rowsWritten === undefined ? '-' : String(e.rowsWritten),
      e.requestIds?.length ? e.requestIds.join(',') : '-',
      e.runId,
      e.error ? e.error.split('\n')[0]!.slice(0, 160) : '',
    ];
  });
  return table(['START', 'END', 'TOOK', 'OUTCOME', 'ROWS', 'REQUEST ID', 'RUN ID', 'ERROR'], rows);
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
