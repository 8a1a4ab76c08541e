import type { DueRunData } from './schedule-store.js';

/** Identity of a due run: BullMQ's deterministic job id is the run id (`repeat:<name>:<dueMillis>`). */
export interface DueRun {
  readonly runId: string;
  readonly schedule: string;
  readonly trigger: 'cron' | 'manual';
  readonly dueAt: Date;
}

/** Reads a due run from a queue job (pure: id, data, timestamp). */
export function dueRunOf(job: { id?: string | undefined; data: DueRunData; timestamp: number }): DueRun {
  const runId = job.id ?? `unknown-${job.timestamp}`;
  // Job scheduler ids end in the due time: repeat:<scheduler id>:<millis>.
  const m = /^repeat:.+:(\d+)$/.exec(runId);
  const dueAt = new Date(m ? Number(m[1]) : job.timestamp);
  return { runId, schedule: job.data.schedule, trigger: job.data.trigger === 'manual' ? 'manual' : 'cron', dueAt };
}

/** Wait before retry `attempt` (1-based) of a failed run: 1 s, 2 s, 4 s … capped at 60 s. */
export function retryDelayMs(attempt: number, baseMs = 1000): number {
  return Math.min(60_000, baseMs * 2 ** Math.max(0, attempt - 1));
}
