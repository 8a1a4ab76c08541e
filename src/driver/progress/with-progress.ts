import type { Logger } from 'pino';
import type { ExecutorInfo, SchedulerBackend, StageListener, StageSpec, TaskResult } from '../../protocol/task.js';
import { createStageProgress, type ProgressMode } from './stage-progress.js';

/**
 * Decorates a backend so every stage reports progress (bar or log lines) besides notifying the
 * caller's own listener; the backends themselves stay free of presentation.
 */
export function withProgress(backend: SchedulerBackend, mode: ProgressMode, log: Logger): SchedulerBackend {
  if (mode === 'off') return backend;
  return {
    get master() {
      return backend.master;
    },
    get defaultParallelism() {
      return backend.defaultParallelism;
    },
    async runStage(stage: StageSpec, listener?: StageListener): Promise<TaskResult[]> {
      const progress = createStageProgress(mode, stage, log);
      try {
        const results = await backend.runStage(stage, combineListeners(progress, listener));
        progress.end(true);
        return results;
      } catch (err) {
        progress.end(false);
        throw err;
      }
    },
    executors: (): Promise<ExecutorInfo[]> => backend.executors(),
    close: (): Promise<void> => backend.close(),
  };
}

/** Calls both listeners for every event: the progress display first, then the caller's. */
export function combineListeners(a: StageListener, b: StageListener | undefined): StageListener {
  if (!b) return a;
  const both =
    <K extends keyof StageListener>(k: K) =>
    (...args: Parameters<NonNullable<StageListener[K]>>) => {
      for (const l of [a, b]) (l[k] as ((...x: unknown[]) => void) | undefined)?.apply(l, args);
    };
  return { onTaskStarted: both('onTaskStarted'), onTaskSucceeded: both('onTaskSucceeded'), onTaskFailed: both('onTaskFailed') };
}
