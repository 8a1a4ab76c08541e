import { hostname } from 'node:os';
import type { Command } from 'commander';
import { ConfigError } from '../../errors/kjob-error.js';
import type { CommandModule } from '../command-module.js';
import { resolveStore } from './schedule-options.js';
import { assessHealth, HEALTH_ROLES, processIsAlive, type HealthRole, type Registration } from './health-check.js';

interface HealthCliInput {
  master?: string;
  prefix?: string;
  id?: string;
}

/** The live registrations of a role, from the heartbeat keys the executor and scheduler keep. */
async function liveRegistrations(role: HealthRole, url: string, prefix: string): Promise<Registration[]> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    if (role === 'executor') {
      const { listLiveExecutors } = await import('../../executor/heartbeat.js');
      return (await listLiveExecutors(redis, prefix)).map((e) => ({ id: e.executorId, host: e.host, pid: e.pid, lastHeartbeat: e.lastHeartbeat }));
    }
    const { listLiveSchedulers } = await import('../../scheduler/scheduler-heartbeat.js');
    return (await listLiveSchedulers(redis, prefix)).map((s) => ({ id: s.schedulerId, host: s.host, pid: s.pid, lastHeartbeat: s.lastHeartbeat }));
  } finally {
    redis.disconnect();
  }
}

/**
 * `kjob health executor|scheduler [--master redis://…]`: exit 0 when a `kjob executor` (or `kjob
 * scheduler`) of this host is running and registered in Redis with a fresh heartbeat, else 1 with
 * the reason — the docker-compose health check of those services (run inside their container).
 */
export const command: CommandModule = {
  register(program: Command): void {
    program
      .command('health')
      .description('Exit 0 when an executor/scheduler of this host runs and is registered in Redis (a container health check)')
      .argument('<role>', `${HEALTH_ROLES.join(' or ')}`)
      .option('--master <url>', 'redis://host:port[/db] the process registers in (env KJOB_MASTER; default redis://127.0.0.1:6379)')
      .option('--prefix <prefix>', "key prefix on Redis (env KJOB_REDIS_PREFIX; default 'kjob')")
      .option('--id <id>', 'check this executor/scheduler id instead of any of this host')
      .action(async (role: string, input: HealthCliInput) => {
        if (!(HEALTH_ROLES as readonly string[]).includes(role)) {
          throw new ConfigError(`kjob health checks ${HEALTH_ROLES.join(' or ')}, not '${role}'`, { context: { option: 'role' } });
        }
        const env = input.prefix === undefined ? process.env : { ...process.env, KJOB_REDIS_PREFIX: input.prefix };
        const { url, display, prefix } = resolveStore(input.master, '--master', env);
        let live: Registration[];
        try {
          live = await liveRegistrations(role as HealthRole, url, prefix);
        } catch (e) {
          console.error(`unhealthy: cannot read the registrations at ${display}: ${(e as Error).message}`);
          process.exit(1);
        }
        const verdict = assessHealth(role as HealthRole, live, { host: hostname(), pid: process.pid, now: Date.now(), isAlive: processIsAlive }, input.id);
        (verdict.healthy ? console.log : console.error)(verdict.message);
        process.exit(verdict.healthy ? 0 : 1);
      });
  },
};
