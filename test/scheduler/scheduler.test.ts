import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { testRedisUrl, uniqueTestPrefix } from '../support/redis.js';
import { buildScheduleDefinition, type ScheduleAddInput } from '../../src/scheduler/schedule-definition.js';
import { ScheduleStore } from '../../src/scheduler/schedule-store.js';
import { scheduleKeys } from '../../src/scheduler/schedule-keys.js';
import type { RunHistoryEntry } from '../../src/scheduler/run-history.js';
import { kjob, spawnScheduler, stopSchedulers, until, waitForLog, type SchedulerProcess } from './support.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
/** How late a due run of the every-3-s cron may start: pick-up takes well under a second when idle. */
const MAX_LATENESS_MS = 5000;
const YEARLY = '0 0 1 1 *'; // never fires during a test: these schedules run through `schedule run`

/**
 * Real Redis, two `kjob scheduler` processes and real `kjob submit` children, several schedules at
 * once (one scheduler pair serves them all, which keeps this file fast): seconds crons fire on time,
 * each due run starts once across both schedulers, overlap skip and queue, a failing job retried and
 * recorded with its (redacted) error, a hanging job timed out, `schedule run`, `schedule remove`.
 */
describe('kjob scheduler: two scheduler processes on real Redis', () => {
  const url = testRedisUrl();
  const prefix = uniqueTestPrefix('sched');
  const markers = mkdtempSync(join(tmpdir(), 'kjob-sched-'));
  const env = { KJOB_REDIS_PREFIX: prefix, MARKER_DIR: markers };
  const store = new ScheduleStore(url, prefix);
  const schedulers: SchedulerProcess[] = [];
  const runIds: Record<string, string> = {};

  const add = (name: string, job: string, input: ScheduleAddInput) => store.upsert(buildScheduleDefinition(name, fixture(job), { master: 'inline', ...input }));
  const markerLines = (schedule: string) => {
    const f = join(markers, `${schedule}.txt`);
    return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').map((l) => { const [runId, start, end] = l.split(' '); return { runId: runId!, start: Number(start), end: Number(end) }; }) : [];
  };
  const history = (name: string) => store.history(name);
  const logs = () => schedulers.map((s) => `--- ${s.id}\n${s.log.slice(-40).join('\n')}`).join('\n');

  before(async () => {
    await store.connect(url);
    await add('tick', 'marker-job.ts', { cron: '*/3 * * * * *' });
    await add('slow', 'marker-job.ts', { cron: '*/2 * * * * *', conf: ['test.sleepMs=4000'] });
    // Each run sleeps longer than the 4 s period, so every due run after the first must wait for its predecessor.
    await add('queued', 'marker-job.ts', { cron: '*/4 * * * * *', overlap: 'queue', conf: ['test.sleepMs=5000'] });
    await add('fail', 'failing-job.ts', { cron: YEARLY, retries: '1' });
    await add('hang', 'hanging-job.ts', { cron: YEARLY, timeout: '3s' });
    for (const id of ['sched-a', 'sched-b']) schedulers.push(spawnScheduler({ url, prefix, id, env }));
    await Promise.all(schedulers.map((s) => waitForLog(s, /scheduler started/, 30_000)));
    // `schedule run` through the CLI: prints the run id of the enqueued run.
    const [fail, hang] = await Promise.all([kjob(['schedule', 'run', 'fail'], env), kjob(['schedule', 'run', 'hang', '--json'], env)]);
    assert.equal(fail.code, 0, fail.stderr);
    assert.equal(hang.code, 0, hang.stderr);
    runIds['fail'] = fail.stdout.trim();
    runIds['hang'] = (JSON.parse(hang.stdout) as { runId: string }).runId;
    // Let every schedule show its behaviour.
    await until(
      'the runs of every schedule',
      async () => {
        const [tick, slow, queued, failed, hung] = await Promise.all(['tick', 'slow', 'queued', 'fail', 'hang'].map(history));
        const ok = (h: RunHistoryEntry[]) => h.filter((e) => e.outcome === 'succeeded').length;
        return ok(tick!) >= 2 && ok(slow!) >= 1 && slow!.some((e) => e.outcome === 'skipped') && ok(queued!) >= 2 && failed!.length >= 2 && hung!.length >= 1 ? true : undefined;
      },
      120_000, // usually 20-30 s; generous for a loaded machine
      logs,
    );
    // Seen enough of these two: stop their cron (definition and history stay) to spare the CPU.
    await Promise.all(['slow', 'queued'].map((name) => store.queue.removeJobScheduler(name)));
  });

  after(async () => {
    await stopSchedulers(schedulers);
    const redis = new Redis(url);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await store.close();
    rmSync(markers, { recursive: true, force: true });
  });

  it('a seconds cron fires on its grid, each due run started exactly once across both schedulers', async () => {
    const h = await history('tick');
    const started = h.filter((e) => e.outcome !== 'skipped');
    for (const e of started) {
      const due = Date.parse(e.dueAt);
      assert.equal(due % 3000, 0, `due time ${e.dueAt} is on the */3 s grid`);
      const lateMs = Date.parse(e.startedAt!) - due;
      assert.ok(lateMs >= 0, `run ${e.runId} did not start before it was due`);
      // On time: BullMQ's delayed job plus the worker's pick-up, generous for a loaded 2-core machine.
      assert.ok(lateMs < MAX_LATENESS_MS, `run ${e.runId} started ${lateMs} ms after it was due (limit ${MAX_LATENESS_MS} ms)`);
      assert.equal(e.runId, `repeat:tick:${due}`);
    }
    // Exactly once: one history entry and one marker line per run id, whichever scheduler took it.
    const ids = started.map((e) => e.runId);
    assert.equal(new Set(ids).size, ids.length, `history run ids are unique: ${ids.join(', ')}`);
    const marked = markerLines('tick').map((m) => m.runId);
    assert.equal(new Set(marked).size, marked.length, `marker run ids are unique: ${marked.join(', ')}`);
    for (const e of started.filter((x) => x.outcome === 'succeeded')) assert.ok(marked.includes(e.runId), `run ${e.runId} ran the job`);
    const ok = started.find((e) => e.outcome === 'succeeded')!;
    assert.equal(ok.exitCode, 0);
    assert.equal(ok.rowsWritten, 3, 'rows written come from the run report');
    assert.ok(['sched-a', 'sched-b'].includes(ok.scheduler));
  });

  it('overlap skip: due runs while the slow run runs are recorded as skipped, runs never overlap', async () => {
    const h = await history('slow');
    const skipped = h.filter((e) => e.outcome === 'skipped');
    assert.ok(skipped.length >= 1);
    assert.match(skipped[0]!.error!, /^skipped: run repeat:slow:\d+ of this schedule was still running \(overlap policy skip\)$/);
    assert.equal(skipped[0]!.startedAt, undefined);
    const runs = markerLines('slow').sort((a, b) => a.start - b.start);
    for (let i = 1; i < runs.length; i++) assert.ok(runs[i]!.start >= runs[i - 1]!.end, 'two runs of one schedule overlapped');
  });

  it('overlap queue: a due run waits for the running one instead of being skipped', async () => {
    const h = await history('queued');
    assert.equal(h.filter((e) => e.outcome === 'skipped').length, 0);
    const runs = markerLines('queued').sort((a, b) => a.start - b.start);
    assert.ok(runs.length >= 2);
    for (let i = 1; i < runs.length; i++) assert.ok(runs[i]!.start >= runs[i - 1]!.end, 'two runs of one schedule overlapped');
    // A run takes longer than the 4 s period, so a later run started after its due time plus a wait.
    const late = h.filter((e) => e.outcome === 'succeeded').some((e) => Date.parse(e.startedAt!) - Date.parse(e.dueAt) >= 1000);
    assert.ok(late, 'some run waited for its predecessor');
  });

  it('a failing job is retried per --retries, each attempt recorded with its redacted error, and logged at error level', async () => {
    const h = (await history('fail')).filter((e) => e.runId === runIds['fail']);
    assert.deepEqual(h.map((e) => [e.attempt, e.outcome, e.trigger]).reverse(), [[1, 'failed', 'manual'], [2, 'failed', 'manual']]);
    for (const e of h) {
      assert.equal(e.exitCode, 1);
      assert.match(e.error!, /^Error: the source is gone: https:\/\/acct\.blob\.core\.windows\.net\/c\/x\.parquet\?sv=2024&sig=<redacted>$/);
    }
    const errorLines = schedulers.flatMap((s) => s.log).filter((l) => l.includes('"scheduled run failed"') && l.includes(runIds['fail']!));
    assert.equal(errorLines.length, 1);
    assert.equal((JSON.parse(errorLines[0]!) as { level: number }).level, 50);
    assert.ok(!schedulers.some((s) => s.log.some((l) => l.includes('SECRETSIGNATURE123'))), 'the signature never reaches the scheduler log');
  });

  it('a hanging job is stopped at its timeout and recorded as timed-out', async () => {
    const [e] = (await history('hang')).filter((x) => x.runId === runIds['hang']);
    assert.equal(e!.outcome, 'timed-out');
    assert.match(e!.error!, /exceeded its timeout of 3s/);
    assert.ok(Date.parse(e!.endedAt) - Date.parse(e!.startedAt!) >= 3000);
  });

  it('schedule list and history through the CLI', async () => {
    const [list, hist, text] = await Promise.all([kjob(['schedule', 'list', '--json'], env), kjob(['schedule', 'history', 'fail', '--limit', '1'], env), kjob(['schedule', 'list'], env)]);
    assert.match(text.stdout, /^NAME\s+CRON\s+TZ\s+NEXT RUN\s+LAST OUTCOME\s+POLICY\s+JOB$/m);
    assert.match(text.stdout, /^tick\s+\*\/3 \* \* \* \* \*\s+UTC\s+\S+\s+(succeeded|skipped) /m);
    assert.match(text.stdout, /^2 schedulers connected$/m);
    assert.equal(list.code, 0, list.stderr);
    const all = JSON.parse(list.stdout) as Array<{ name: string; cron: string; nextRunAt: string | null; last: RunHistoryEntry | null }>;
    assert.deepEqual(all.map((s) => s.name), ['fail', 'hang', 'queued', 'slow', 'tick']);
    assert.equal(all.find((s) => s.name === 'slow')!.nextRunAt, null, 'a schedule whose job scheduler is gone has no next run');
    const tick = all.find((s) => s.name === 'tick')!;
    assert.equal(Date.parse(tick.nextRunAt!) % 3000, 0);
    assert.ok(tick.last);
    assert.equal(hist.code, 0, hist.stderr);
    assert.match(hist.stdout, /^START\s+END/);
    assert.equal(hist.stdout.trim().split('\n').length, 2);
    assert.match(hist.stdout, /failed \(attempt 2\)/);
  });

  it('schedule remove: no further runs, definition and history gone', async () => {
    const removed = await kjob(['schedule', 'remove', 'tick'], env);
    assert.equal(removed.code, 0, removed.stderr);
    const count = markerLines('tick').length;
    await new Promise((r) => setTimeout(r, 4000));
    // A run started just before the removal may still finish; none may start after it.
    assert.ok(markerLines('tick').length <= count + 1);
    assert.equal(await store.get('tick'), undefined);
    assert.deepEqual(await store.history('tick'), []);
    assert.equal(await store.queue.getJobScheduler('tick'), undefined);
    const again = await kjob(['schedule', 'run', 'tick'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /No schedule named 'tick'/);
  });

  it('SIGTERM: a run still running after --grace is stopped and recorded as interrupted; the scheduler exits 0', async () => {
    // After any cron run of 'slow' still running (its cron was stopped), else this one would be skipped.
    await until('no run of slow running', async () => ((await store.redis.exists(scheduleKeys.lock(prefix, 'slow'))) === 0 ? true : undefined), 60_000, logs);
    const runId = await store.runNow('slow');
    await until('the manual run to start', async () => (schedulers.some((s) => s.log.some((l) => l.includes('"scheduled run started"') && l.includes(runId))) ? true : undefined), 60_000, logs);
    await stopSchedulers(schedulers);
    assert.deepEqual(await Promise.all(schedulers.map((s) => s.exited())), [0, 0]);
    const [e] = (await history('slow')).filter((x) => x.runId === runId);
    assert.equal(e?.outcome, 'failed', JSON.stringify(e));
    assert.match(e!.error!, /^the run was interrupted: the scheduler shut down/);
  });
});
