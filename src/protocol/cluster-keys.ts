/**
 * The Redis layout shared by drivers and executors of one kjob cluster, under a configurable prefix
 * (the BullMQ queue prefix too), so that several clusters — or test runs — share one Redis safely.
 *
 * Isolation between applications: every application run has its own BullMQ queue `kjob-<appId>`.
 * A driver registers the app in `<prefix>:kjob:apps` and announces it on `<prefix>:kjob:apps:changed`;
 * executors run one BullMQ Worker per registered app queue. An app's tasks, events, cancellations and
 * clean-up therefore touch only its own queue's keys.
 */

export const DEFAULT_PREFIX = 'kjob';

/** BullMQ forbids ':' in queue names. */
export function queueName(appId: string): string {
  return `kjob-${appId.replace(/:/g, '-')}`;
}

/**
 * The deterministic entry id of a task: `<jobId>:<stage>:<partition>`. BullMQ 6.7 accepts ':' in
 * custom ids only when the id has exactly three ':'-separated parts, so ':' inside the job id is
 * replaced by '.'.
 */
export function taskEntryId(jobId: string, stageId: number, partition: number): string {
  return `${jobId.replace(/:/g, '.')}:${stageId}:${partition}`;
}

export function stageEntryPrefix(jobId: string, stageId: number): string {
  return `${jobId.replace(/:/g, '.')}:${stageId}:`;
}

export const clusterKeys = {
  /** SET of appIds whose queues executors should serve. */
  apps: (prefix: string) => `${prefix}:kjob:apps`,
  /** PUB/SUB channel: an app was added or removed (message = appId). */
  appsChanged: (prefix: string) => `${prefix}:kjob:apps:changed`,
  /** STRING with TTL, refreshed by the driver: an app whose driver died is dropped by executors. */
  appAlive: (prefix: string, appId: string) => `${prefix}:kjob:app:${appId}:alive`,
  /** SET of executor ids; the live ones also have `executor(id)`. */
  executors: (prefix: string) => `${prefix}:kjob:executors`,
  /** STRING (ExecutorInfo JSON) with TTL, refreshed by the executor's heartbeat. */
  executor: (prefix: string, executorId: string) => `${prefix}:kjob:executor:${executorId}`,
  /** PUB/SUB channel: cancel the active tasks of a stage (message = StageCancel JSON). */
  cancel: (prefix: string) => `${prefix}:kjob:cancel`,
  /** STRING with TTL: the stage is cancelled; checked by a task before it starts. */
  cancelled: (prefix: string, appId: string, jobId: string, stageId: number) => `${prefix}:kjob:cancelled:${appId}:${jobId}:${stageId}`,
} as const;

export interface StageCancel {
  readonly appId: string;
  readonly jobId: string;
  readonly stageId: number;
}

/** How often an app and an executor refresh their liveness keys, and how long a key survives. */
export const APP_ALIVE_TTL_MS = 30_000;
export const EXECUTOR_HEARTBEAT_TTL_MS = 10_000;
