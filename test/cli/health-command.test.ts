import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { testRedisUrl, uniqueTestPrefix } from '../support/redis.js';
import { spawnExecutor, stopAll, waitForLog } from '../cluster/support/cluster-processes.js';
import { kjob, spawnScheduler, stopSchedulers, until, type SchedulerProcess } from '../scheduler/support.js';
import { assessHealth, processIsAlive, type Here, type Registration } from '../../src/cli/commands/health-check.js';

describe('kjob health: the verdict (pure)', () => {
  const here: Here = { host: 'box-1', pid: 50, now: 10_000, isAlive: (pid) => pid === 7 || pid === 50 };
  const reg = (id: string, host: string, pid: number): Registration => ({ id, host, pid, lastHeartbeat: 9_000 });

  it('healthy only for a registration of this host whose process runs here (never the check itself)', () => {
    assert.deepEqual(assessHealth('executor', [reg('e1', 'box-1', 7)], here), { healthy: true, message: 'healthy: executor e1 (pid 7) registered, last heartbeat 1000 ms ago' });
    const elsewhere = assessHealth('executor', [reg('e2', 'box-2', 7)], here);
    assert.equal(elsewhere.healthy, false);
    assert.match(elsewhere.message, /no live executor registration on host 'box-1' \(1 live executor\(s\) elsewhere: e2@box-2\)/);
    const dead = assessHealth('scheduler', [reg('s1', 'box-1', 8)], here);
    assert.equal(dead.healthy, false);
    assert.match(dead.message, /scheduler s1 is registered with pid 8 on 'box-1', but no such process runs here/);
    assert.equal(assessHealth('executor', [reg('e1', 'box-1', 50)], here).healthy, false, 'the health check process is not the executor');
    assert.match(assessHealth('scheduler', [], here).message, /no live scheduler is registered at all/);
    assert.equal(assessHealth('executor', [reg('e1', 'box-1', 7), reg('e3', 'box-1', 9)], here, 'e3').healthy, false, '--id narrows to one registration');
    assert.equal(processIsAlive(process.pid), true);
    assert.equal(processIsAlive(0), false);
  });
});

/**
 * Real processes on real Redis under a prefix of their own: the check passes while an executor / a
 * scheduler runs, and fails when it was SIGKILLed (before its heartbeat key expires: the pid is gone)
 * or stopped (deregistered).
 */
describe('kjob health executor|scheduler against real processes', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('health');
  const env = { KJOB_MASTER: url, KJOB_REDIS_PREFIX: prefix };
  const executor = spawnExecutor({ url, prefix, id: 'health-exec' });
  let scheduler: SchedulerProcess | undefined;

  after(async () => {
    await stopAll([executor]);
    if (scheduler) await stopSchedulers([scheduler]);
  });

  it('passes while the processes run and are registered; fails once they are gone', async () => {
    scheduler = spawnScheduler({ url, prefix, id: 'health-sched' });
    await Promise.all([waitForLog(executor, /executor started/, 30_000), waitForLog(scheduler, /scheduler started/, 30_000)]);
    const [ex, sc] = await Promise.all([kjob(['health', 'executor'], env), kjob(['health', 'scheduler', '--master', url, '--prefix', prefix], { KJOB_MASTER: 'redis://127.0.0.1:1' })]);
    assert.equal(ex.code, 0, ex.stderr);
    assert.match(ex.stdout, new RegExp(`^healthy: executor health-exec \\(pid ${executor.child.pid}\\) registered`));
    assert.equal(sc.code, 0, sc.stderr);
    assert.match(sc.stdout, new RegExp(`^healthy: scheduler health-sched \\(pid ${scheduler.child.pid}\\) registered`));

    // SIGKILL: the registration is still in Redis (its TTL runs), but the process is gone.
    executor.child.kill('SIGKILL');
    await executor.exited();
    // A graceful stop deregisters at once.
    await stopSchedulers([scheduler]);
    const [ex2, sc2, other] = await Promise.all([kjob(['health', 'executor'], env), kjob(['health', 'scheduler'], env), kjob(['health', 'executor'], { ...env, KJOB_REDIS_PREFIX: uniqueTestPrefix('health-none') })]);
    assert.equal(ex2.code, 1);
    assert.match(ex2.stderr, new RegExp(`^unhealthy: executor health-exec is registered with pid ${executor.child.pid} on '${hostname()}', but no such process runs here`));
    assert.equal(sc2.code, 1);
    assert.match(sc2.stderr, /^unhealthy: no live scheduler registration on host .* \(no live scheduler is registered at all\)/);
    assert.equal(other.code, 1, 'another prefix holds no registration');
    await until('the dead executor to drop out of the registry', async () => ((await kjob(['health', 'executor'], env)).stderr.includes('no live executor is registered at all') ? true : undefined), 30_000);
  });
});
