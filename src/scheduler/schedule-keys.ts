/**
 * The Redis layout of scheduled runs, under the cluster's key prefix (KJOB_REDIS_PREFIX), beside the
 * executors' keys (src/protocol/cluster-keys.ts). BullMQ keeps the job schedulers and the due runs
 * in the queue `<prefix>:kjob-schedules:*`; kjob keeps what BullMQ does not know about here.
 */

/** The BullMQ queue holding one job scheduler per schedule and their due runs. */
export const SCHEDULES_QUEUE = 'kjob-schedules';

export const scheduleKeys = {
  /** HASH schedule name → ScheduleDefinition JSON (job, conf, master, overlap, timeout, retries). */
  definitions: (prefix: string) => `${prefix}:kjob:schedules`,
  /** LIST of RunHistoryEntry JSON, newest first, capped at HISTORY_LIMIT. */
  history: (prefix: string, name: string) => `${prefix}:kjob:schedule:${name}:history`,
  /** STRING with TTL, renewed while a run of the schedule runs (any scheduler process): the overlap lock. */
  lock: (prefix: string, name: string) => `${prefix}:kjob:schedule:${name}:lock`,
  /** STRING with TTL: this run id was started once; a redelivered due run is not started again. */
  started: (prefix: string, name: string, runId: string) => `${prefix}:kjob:schedule:${name}:started:${runId}`,
  /** SET of scheduler ids; the live ones also have `scheduler(id)`. */
  schedulers: (prefix: string) => `${prefix}:kjob:schedulers`,
  /** STRING (SchedulerInfo JSON) with TTL, refreshed by the scheduler's heartbeat (`kjob health scheduler` reads it). */
  scheduler: (prefix: string, schedulerId: string) => `${prefix}:kjob:scheduler:${schedulerId}`,
} as const;

/** How many history entries a schedule keeps. */
export const HISTORY_LIMIT = 100;
