import { SingleBar } from 'cli-progress';
import type { Logger } from 'pino';
import type { StageListener, StageSpec, TaskResult } from '../../protocol/task.js';
import { formatBytes, formatCount, formatDuration, StageCounters } from './stage-counters.js';

export type ProgressMode = 'bar' | 'log' | 'off';

/** A StageListener that shows the stage's progress; `end` closes the bar or writes the summary line. */
export interface StageProgress extends StageListener {
  end(ok: boolean): void;
}

/** 'auto' means a bar when stderr is a terminal (and not in CI logs), one log line per task elsewhere. */
export function resolveProgressMode(mode: 'auto' | ProgressMode, stream: { isTTY?: boolean } = process.stderr): ProgressMode {
  if (mode !== 'auto') return mode;
  return stream.isTTY === true && !process.env['CI'] ? 'bar' : 'log';
}

export function createStageProgress(mode: ProgressMode, stage: StageSpec, log: Logger): StageProgress {
  const counters = new StageCounters(stage.tasks.length);
  const where = { jobId: stage.jobId, stage: stage.stageId };
  const common = {
    onTaskStarted(partition: number, attempt: number, executorId: string) {
      log.debug({ ...where, partition, attempt, executorId }, 'task started');
    },
    onTaskFailed(partition: number, attempt: number, error: string, willRetry: boolean) {
      counters.failedAttempts++;
      log.warn({ ...where, partition, attempt, error, willRetry }, willRetry ? 'task attempt failed; retrying' : 'task failed');
    },
  };
  const summary = (ok: boolean) => ({
    ...where,
    ok,
    tasks: counters.tasksDone,
    total: counters.total,
    rows: counters.rows,
    bytes: counters.bytes,
    rowsWritten: counters.rowsWritten,
    failedAttempts: counters.failedAttempts,
    elapsedMs: counters.elapsedMs(),
    rowsPerSecond: Math.round(counters.rowsPerSecond()),
  });

  if (mode === 'off') {
    return { onTaskSucceeded: (r) => counters.add(r), end: () => undefined };
  }
  if (mode === 'log') {
    return {
      ...common,
      onTaskSucceeded(r: TaskResult) {
        counters.add(r);
        log.info(
          { ...where, partition: r.partition, attempt: r.attempt, executorId: r.executorId, rows: r.metrics.rowsRead, rowsWritten: r.metrics.rowsWritten, bytes: r.metrics.bytesRead, durationMs: r.metrics.durationMs },
          'task finished',
        );
      },
      end(ok: boolean) {
        log.info(summary(ok), ok ? 'stage finished' : 'stage failed');
      },
    };
  }

  const bar = new SingleBar({
    format: `stage ${stage.stageId} [{bar}] {value}/{total} tasks | {rows} rows | {bytes} | {elapsed} | {rate} rows/s`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
    fps: 5,
  });
  const payload = () => ({
    rows: formatCount(counters.rows),
    bytes: formatBytes(counters.bytes),
    elapsed: formatDuration(counters.elapsedMs()),
    rate: formatCount(counters.rowsPerSecond()),
  });
  bar.start(counters.total, 0, payload());
  return {
    ...common,
    onTaskSucceeded(r: TaskResult) {
      counters.add(r);
      bar.update(counters.tasksDone, payload());
    },
    end(ok: boolean) {
      bar.update(counters.tasksDone, payload());
      bar.stop();
      if (!ok) log.warn(summary(ok), 'stage failed');
    },
  };
}
