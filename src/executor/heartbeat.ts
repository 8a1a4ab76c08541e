import type { Redis } from 'ioredis';
import type { ExecutorInfo } from '../protocol/task.js';
import { clusterKeys, EXECUTOR_HEARTBEAT_TTL_MS } from '../protocol/cluster-keys.js';
import { HeartbeatRegistration, listLiveRegistrations, type RegistrationKeys } from '../protocol/heartbeat-registration.js';

const executorKeys = (prefix: string): RegistrationKeys => ({ entry: (id) => clusterKeys.executor(prefix, id), index: clusterKeys.executors(prefix) });

/** An executor's registration (see HeartbeatRegistration): the driver sizes its work by the live ones. */
export class ExecutorHeartbeat extends HeartbeatRegistration<ExecutorInfo> {
  constructor(redis: Redis, prefix: string, info: Omit<ExecutorInfo, 'lastHeartbeat'>, ttlMs = EXECUTOR_HEARTBEAT_TTL_MS) {
    super(redis, executorKeys(prefix), info.executorId, info, ttlMs);
  }
}

/** The executors whose heartbeat has not expired, by id; stale index entries are removed. */
export function listLiveExecutors(redis: Redis, prefix: string): Promise<ExecutorInfo[]> {
  return listLiveRegistrations(redis, executorKeys(prefix), parseExecutorInfo);
}

function parseExecutorInfo(text: string): ExecutorInfo {
  const o = JSON.parse(text) as Record<string, unknown>;
  return {
    executorId: String(o['executorId']),
    host: String(o['host']),
    pid: Number(o['pid']),
    cores: Number(o['cores']),
    lastHeartbeat: Number(o['lastHeartbeat']),
  };
}
