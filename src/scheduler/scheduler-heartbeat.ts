import type { Redis } from 'ioredis';
import { HeartbeatRegistration, listLiveRegistrations, type RegistrationKeys } from '../protocol/heartbeat-registration.js';
import { scheduleKeys } from './schedule-keys.js';

/** A running scheduler process, as its heartbeat registers it. */
export interface SchedulerInfo {
  readonly schedulerId: string;
  readonly host: string;
  readonly pid: number;
  readonly lastHeartbeat: number;
}

/** How long a scheduler's registration survives without a heartbeat (refreshed every third of it). */
export const SCHEDULER_HEARTBEAT_TTL_MS = 10_000;

const schedulerKeys = (prefix: string): RegistrationKeys => ({ entry: (id) => scheduleKeys.scheduler(prefix, id), index: scheduleKeys.schedulers(prefix) });

/**
 * A scheduler's registration, like an executor's (see HeartbeatRegistration): `kjob health scheduler`
 * (the compose health check) looks for this process's registration.
 */
export class SchedulerHeartbeat extends HeartbeatRegistration<SchedulerInfo> {
  constructor(redis: Redis, prefix: string, info: Omit<SchedulerInfo, 'lastHeartbeat'>, ttlMs = SCHEDULER_HEARTBEAT_TTL_MS) {
    super(redis, schedulerKeys(prefix), info.schedulerId, info, ttlMs);
  }
}

/** The schedulers whose heartbeat has not expired; stale index entries are removed. */
export function listLiveSchedulers(redis: Redis, prefix: string): Promise<SchedulerInfo[]> {
  return listLiveRegistrations(redis, schedulerKeys(prefix), (v) => {
    const o = JSON.parse(v) as Record<string, unknown>;
    return { schedulerId: String(o['schedulerId']), host: String(o['host']), pid: Number(o['pid']), lastHeartbeat: Number(o['lastHeartbeat']) };
  });
}
