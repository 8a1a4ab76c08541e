import { hostname } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ExecutorInfo, SchedulerBackend, StageListener, StageSpec, TaskDescription, TaskResult } from '../../protocol/task.js';
import type { TaskFailure } from '../../protocol/task-failure.js';
import { inProcessTaskSecretKey } from '../../protocol/task-secret-key.js';
import { trustedCertificatePems } from '../../util/tls-trust.js';
import { retryDelayMs } from './backend-options.js';
import type { FromLocalWorker, ToLocalWorker } from './local-worker-messages.js';
import { StageTracker } from './stage-tracker.js';

export interface LocalBackendOptions {
  readonly master: string;
  readonly threads: number;
  readonly retryBackoffMs: number;
  readonly log: Logger;
  /** How long a cancelled task may take to notice its signal before its thread is terminated. @defaultValue 5000 */
  readonly abortGraceMs?: number;
}

interface StageRun {
  readonly stage: StageSpec;
  readonly tracker: StageTracker;
}

interface PendingTask {
  readonly run: StageRun;
  readonly desc: TaskDescription;
  readonly attempt: number;
  readonly notBefore: number;
}

interface Slot {
  readonly index: number;
  readonly executorId: string;
  worker: Worker | undefined;
  busy: (PendingTask & { readonly taskKey: string }) | undefined;
}

const BOOTSTRAP = new URL('./local-worker-bootstrap.mjs', import.meta.url);

/**
 * `local[N]`: N executor loops in worker threads fed from an in-memory queue — no Redis. Each thread
 * runs one task at a time through the same `runTask` as a cluster executor. Failed attempts are
 * retried up to `StageSpec.maxAttempts` with the same exponential backoff as the BullMQ backend; a
 * thread that dies takes its task's attempt with it and is replaced.
 *
 * Idle threads are unref'd, so a job that forgets `session.stop()` still lets the process exit.
 *
 * CONCURRENCY: all state is mutated on the driver's event loop, from worker messages and timers.
 */
export class LocalBackend implements SchedulerBackend {
  readonly master: string;
  readonly defaultParallelism: number;
  readonly #opts: LocalBackendOptions;
  readonly #slots: Slot[];
  readonly #queue: PendingTask[] = [];
  #timer: NodeJS.Timeout | undefined;
  #seq = 0;
  #closed = false;

  constructor(opts: LocalBackendOptions) {
    this.#opts = opts;
    this.master = opts.master;
    this.defaultParallelism = opts.threads;
    this.#slots = Array.from({ length: opts.threads }, (_, index) => ({ index, executorId: `local-${index}`, worker: undefined, busy: undefined }));
    // Threads start now, as Spark starts its executors with the session: loading the executor code in
    // each thread takes seconds, and overlaps this way with the driver's own planning of the first job.
    for (const slot of this.#slots) slot.worker = this.#spawn(slot);
  }

  runStage(stage: StageSpec, listener?: StageListener): Promise<TaskResult[]> {
    if (this.#closed) return Promise.reject(new Error('The local backend is closed'));
    const run: StageRun = { stage, tracker: new StageTracker(stage, listener) };
    this.#opts.log.debug({ jobId: stage.jobId, stageId: stage.stageId, tasks: stage.tasks.length, maxAttempts: stage.maxAttempts }, 'scheduling stage on local threads');
    for (const desc of stage.tasks) this.#queue.push({ run, desc, attempt: 0, notBefore: 0 });
    const onAbort = () => run.tracker.cancelled(stage.signal?.reason);
    stage.signal?.addEventListener('abort', onAbort, { once: true });
    if (stage.signal?.aborted) onAbort();
    run.tracker.promise.then(
      () => stage.signal?.removeEventListener('abort', onAbort),
      () => {
        stage.signal?.removeEventListener('abort', onAbort);
        this.#cancel(run);
      },
    );
    this.#pump();
    return run.tracker.promise;
  }

  async executors(): Promise<ExecutorInfo[]> {
    const now = Date.now();
    return this.#slots.map((s) => ({ executorId: s.executorId, host: hostname(), pid: process.pid, cores: 1, lastHeartbeat: now }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    const runs = new Set(this.#queue.map((p) => p.run));
    for (const s of this.#slots) if (s.busy) runs.add(s.busy.run);
    for (const run of runs) run.tracker.cancelled(new Error('The backend was closed'));
    this.#queue.length = 0;
    await Promise.all(this.#slots.map((s) => this.#retire(s)));
  }

  /** Hands ready tasks to idle threads; re-arms a timer for tasks waiting out their backoff. */
  #pump(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = Date.now();
    for (const slot of this.#slots) {
      if (slot.busy) continue;
      const i = this.#queue.findIndex((p) => p.notBefore <= now);
      if (i < 0) break;
      const [task] = this.#queue.splice(i, 1);
      this.#dispatch(slot, task!);
    }
    if (this.#queue.length > 0 && this.#slots.some((s) => !s.busy)) {
      const next = Math.min(...this.#queue.map((p) => p.notBefore));
      this.#timer = setTimeout(() => this.#pump(), Math.max(1, next - now));
    }
  }

  #dispatch(slot: Slot, task: PendingTask): void {
    const taskKey = `${task.desc.jobId}.${task.desc.stageId}.${task.desc.partition}.${task.attempt}.${++this.#seq}`;
    const worker = (slot.worker ??= this.#spawn(slot));
    slot.busy = { ...task, taskKey };
    worker.ref();
    this.#opts.log.debug({ stageId: task.desc.stageId, partition: task.desc.partition, attempt: task.attempt, executorId: slot.executorId }, 'task dispatched');
    task.run.tracker.started(task.desc.partition, task.attempt, slot.executorId);
    worker.postMessage({ type: 'run', taskKey, desc: task.desc, attempt: task.attempt, executorId: slot.executorId } satisfies ToLocalWorker);
  }

  #spawn(slot: Slot): Worker {
    // The task secret key travels in memory only (sealed secrets in tasks: src/protocol/task-secret-key.ts).
    const worker = new Worker(BOOTSTRAP, { name: slot.executorId, env: process.env, workerData: { taskSecretKey: inProcessTaskSecretKey(), trustedPems: trustedCertificatePems() } });
    worker.unref();
    worker.on('message', (msg: FromLocalWorker) => {
      const busy = slot.busy;
      if (!busy || busy.taskKey !== msg.taskKey) return;
      slot.busy = undefined;
      worker.unref();
      if (msg.type === 'result') busy.run.tracker.succeeded(msg.result);
      else this.#attemptFailed(busy, msg.failure, slot.executorId);
      this.#pump();
    });
    const lost = (failure: TaskFailure) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      const busy = slot.busy;
      slot.busy = undefined;
      if (busy) this.#attemptFailed(busy, failure, slot.executorId);
      this.#pump();
    };
    worker.on('error', (err) => lost({ name: err.name, message: `executor thread ${slot.executorId} crashed: ${err.message}`, unrecoverable: false }));
    worker.on('exit', (code) => lost({ name: 'ExecutorLostError', message: `executor thread ${slot.executorId} exited with code ${code}`, unrecoverable: false }));
    return worker;
  }

  #attemptFailed(task: PendingTask, failure: TaskFailure, executorId: string): void {
    const { run, desc, attempt } = task;
    const willRetry = !failure.unrecoverable && !run.tracker.settled && attempt + 1 < run.stage.maxAttempts;
    this.#opts.log.debug({ stageId: desc.stageId, partition: desc.partition, attempt, executorId, error: `${failure.name}: ${failure.message}`, willRetry }, 'task attempt failed');
    run.tracker.failed(desc.partition, attempt, failure, willRetry, { executorId });
    if (willRetry) this.#queue.push({ run, desc, attempt: attempt + 1, notBefore: Date.now() + retryDelayMs(this.#opts.retryBackoffMs, attempt + 1) });
  }

  /** Drops the run's queued tasks and signals its running ones; a thread that ignores the signal is replaced. */
  #cancel(run: StageRun): void {
    for (let i = this.#queue.length - 1; i >= 0; i--) if (this.#queue[i]!.run === run) this.#queue.splice(i, 1);
    for (const slot of this.#slots) {
      const busy = slot.busy;
      if (busy?.run !== run || !slot.worker) continue;
      slot.worker.postMessage({ type: 'abort', taskKey: busy.taskKey } satisfies ToLocalWorker);
      setTimeout(() => {
        if (slot.busy?.taskKey === busy.taskKey) void this.#retire(slot).then(() => this.#pump());
      }, this.#opts.abortGraceMs ?? 5000).unref();
    }
  }

  async #retire(slot: Slot): Promise<void> {
    const worker = slot.worker;
    slot.worker = undefined;
    slot.busy = undefined;
    if (worker) await worker.terminate();
  }
}
