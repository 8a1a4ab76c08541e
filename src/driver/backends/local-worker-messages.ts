import type { TaskDescription, TaskResult } from '../../protocol/task.js';
import type { TaskFailure } from '../../protocol/task-failure.js';

/** Messages between the local backend and its worker threads (structured clones, no functions). */
export type ToLocalWorker =
  | { readonly type: 'run'; readonly taskKey: string; readonly desc: TaskDescription; readonly attempt: number; readonly executorId: string }
  | { readonly type: 'abort'; readonly taskKey: string };

export type FromLocalWorker =
  | { readonly type: 'result'; readonly taskKey: string; readonly result: TaskResult }
  | { readonly type: 'error'; readonly taskKey: string; readonly failure: TaskFailure };
