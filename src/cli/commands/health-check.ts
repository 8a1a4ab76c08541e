/**
 * `kjob health executor|scheduler`: is a long-running kjob process of this host (this container)
 * alive and registered in Redis? The docker-compose health check of the executor and scheduler
 * services. Pure part here (unit-tested); the command in health.ts reads the registrations.
 */

export const HEALTH_ROLES = ['executor', 'scheduler'] as const;
export type HealthRole = (typeof HEALTH_ROLES)[number];

/** A registration as the executor or scheduler heartbeat writes it (key with a TTL). */
export interface Registration {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly lastHeartbeat: number;
}

export interface Here {
  readonly host: string;
  /** This health check's own pid, never counted as the process checked. */
  readonly pid: number;
  readonly now: number;
  /** Whether a process of this pid runs here (signal 0). */
  isAlive(pid: number): boolean;
}

export interface HealthVerdict {
  readonly healthy: boolean;
  readonly message: string;
}

/**
 * Healthy when a live registration (its heartbeat key has not expired) names this host and a process
 * that still runs here: a SIGKILLed process fails at once, before its key expires; a hung process or
 * one that lost Redis fails when its key expires. `id` narrows it to one registration.
 */
export function assessHealth(role: HealthRole, live: readonly Registration[], here: Here, id?: string): HealthVerdict {
  const candidates = live.filter((r) => (id === undefined ? r.host === here.host : r.id === id));
  if (candidates.length === 0) {
    const what = id === undefined ? `on host '${here.host}'` : `with id '${id}'`;
    const others = live.length === 0 ? `no live ${role} is registered at all` : `${live.length} live ${role}(s) elsewhere: ${live.map((r) => `${r.id}@${r.host}`).join(', ')}`;
    return { healthy: false, message: `unhealthy: no live ${role} registration ${what} (${others})` };
  }
  const running = candidates.filter((r) => r.host === here.host && r.pid !== here.pid && here.isAlive(r.pid));
  if (running.length === 0) {
    return { healthy: false, message: `unhealthy: ${candidates.map((r) => `${role} ${r.id} is registered with pid ${r.pid} on '${r.host}'`).join('; ')}, but no such process runs here` };
  }
  const r = running[0]!;
  return { healthy: true, message: `healthy: ${role} ${r.id} (pid ${r.pid}) registered, last heartbeat ${Math.max(0, here.now - r.lastHeartbeat)} ms ago` };
}

/** `process.kill(pid, 0)`: no signal is sent; EPERM means the process exists (another user's). */
export function processIsAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
