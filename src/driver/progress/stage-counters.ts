import type { TaskResult } from '../../protocol/task.js';

/** Running totals of one stage, as the progress bar and the summary line show them. */
export class StageCounters {
  readonly total: number;
  readonly startedAt: number;
  tasksDone = 0;
  failedAttempts = 0;
  rows = 0;
  bytes = 0;
  rowsWritten = 0;

  constructor(total: number, now = Date.now()) {
    this.total = total;
    this.startedAt = now;
  }

  add(result: TaskResult): void {
    this.tasksDone++;
    this.rows += result.metrics.rowsRead;
    this.bytes += result.metrics.bytesRead;
    this.rowsWritten += result.metrics.rowsWritten;
  }

  elapsedMs(now = Date.now()): number {
    return Math.max(0, now - this.startedAt);
  }

  rowsPerSecond(now = Date.now()): number {
    const s = this.elapsedMs(now) / 1000;
    return s > 0 ? this.rows / s : 0;
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
