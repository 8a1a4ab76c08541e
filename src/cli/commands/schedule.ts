import type { Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import { collect } from './submit-options.js';
import { intFlag, resolveStore } from './schedule-options.js';
import { buildScheduleDefinition, validateScheduleName, type ScheduleAddInput } from '../../scheduler/schedule-definition.js';
import { formatDuration } from '../../scheduler/duration.js';
import { formatHistory, table } from '../../scheduler/run-history.js';
import { HISTORY_LIMIT } from '../../scheduler/schedule-keys.js';
import type { ScheduleStore } from '../../scheduler/schedule-store.js';

interface StoreInput {
  redis?: string;
  json?: boolean;
  limit?: string;
}

/** Opens the schedule store of `--redis` / KJOB_MASTER, runs `fn`, closes it. */
async function withStore<T>(input: StoreInput, fn: (store: ScheduleStore) => Promise<T>): Promise<T> {
  const { url, display, prefix } = resolveStore(input.redis, '--redis');
  const { ScheduleStore } = await import('../../scheduler/schedule-store.js');
  const store = new ScheduleStore(url, prefix);
  await store.connect(display);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const iso = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString());

/**
 * `kjob schedule add|list|remove|run|history`: schedules in Redis (BullMQ job schedulers), run by
 * `kjob scheduler` processes. See src/scheduler/README.md.
 */
export const command: CommandModule = {
  register(program: Command): void {
    const schedule = program.command('schedule').description('Manage scheduled jobs (run by `kjob scheduler`)');
    const redisFlag = ['--redis <url>', 'redis://host:port[/db] of the schedule store (env KJOB_MASTER; default redis://127.0.0.1:6379)'] as const;

    schedule
      .command('add')
      .description('Add or replace a schedule')
      .argument('<name>', 'schedule name (letters, digits, _ . -)')
      .argument('<job>', 'the job file (.ts or .js), as the scheduler processes see it')
      .requiredOption('--cron <expr>', 'cron expression, 5 fields or 6 with seconds, e.g. "0 * * * *"')
      .option('--tz <zone>', 'IANA time zone of the cron expression (default UTC), e.g. Europe/Paris')
      .option('--conf <key=value>', 'session configuration entry for the runs (repeatable)', collect, [])
      .option('--master <master>', "master the runs submit to (default: the scheduler's Redis, i.e. the cluster's executors)")
      .option('--app-name <name>', 'application name of the runs (default: the schedule name)')
      .option('--overlap <policy>', 'skip (default): a due run is skipped while the previous one runs; queue: it waits', 'skip')
      .option('--timeout <duration>', 'a run is stopped after this long, e.g. 30m, 90s (default 1h)')
      .option('--retries <n>', 'extra attempts of a failed run (default 0)')
      .option(...redisFlag)
      .action(async (name: string, job: string, input: ScheduleAddInput & StoreInput) => {
        const def = buildScheduleDefinition(name, job, input);
        const { created, nextRunAt } = await withStore(input, (s) => s.upsert(def));
        console.log(`schedule '${def.name}' ${created ? 'added' : 'updated'}: ${def.cron}${def.tz ? ` (${def.tz})` : ' (UTC)'} → ${def.job}; next run ${iso(nextRunAt)}`);
      });

    schedule
      .command('list')
      .description('List schedules with their next run and last outcome')
      .option(...redisFlag)
      .option('--json', 'JSON output')
      .action(async (input: StoreInput) => {
        const [all, schedulers] = await withStore(input, async (s) => [await s.list(), await s.queue.getWorkersCount()] as const);
        if (input.json) {
          console.log(JSON.stringify(all.map((s) => ({ ...s.definition, nextRunAt: s.nextRunAt === undefined ? null : iso(s.nextRunAt), last: s.last ?? null })), null, 2));
          return;
        }
        if (all.length === 0) {
          console.log('no schedules');
          return;
        }
        const rows = all.map(({ definition: d, nextRunAt, last }) => [
          d.name,
          d.cron,
          d.tz ?? 'UTC',
          iso(nextRunAt),
          last ? `${last.outcome} ${last.endedAt}` : '-',
          `${d.overlap}, timeout ${formatDuration(d.timeoutMs)}, retries ${d.retries}`,
          d.job,
        ]);
        console.log(table(['NAME', 'CRON', 'TZ', 'NEXT RUN', 'LAST OUTCOME', 'POLICY', 'JOB'], rows));
        console.log(`${schedulers} scheduler${schedulers === 1 ? '' : 's'} connected`);
      });

    schedule
      .command('remove')
      .description('Remove a schedule (its pending run and its history too)')
      .argument('<name>')
      .option(...redisFlag)
      .action(async (name: string, input: StoreInput) => {
        validateScheduleName(name);
        await withStore(input, async (s) => {
          await s.require(name);
          await s.remove(name);
        });
        console.log(`schedule '${name}' removed`);
      });

    schedule
      .command('run')
      .description('Run a schedule now (a running `kjob scheduler` starts it); prints the run id')
      .argument('<name>')
      .option(...redisFlag)
      .option('--json', 'JSON output')
      .action(async (name: string, input: StoreInput) => {
        validateScheduleName(name);
        const [runId, schedulers] = await withStore(input, async (s) => [await s.runNow(name), await s.queue.getWorkersCount()] as const);
        console.log(input.json ? JSON.stringify({ runId }) : runId);
        if (schedulers === 0) console.error('note: no kjob scheduler is connected to this Redis; the run starts when one is');
      });

    schedule
      .command('history')
      .description('The last runs of a schedule: start, end, outcome, rows written, request id, error')
      .argument('<name>')
      .option(...redisFlag)
      .option('--limit <n>', `how many entries (default 20, at most ${HISTORY_LIMIT})`)
      .option('--json', 'JSON output')
      .action(async (name: string, input: StoreInput) => {
        validateScheduleName(name);
        const limit = intFlag(input.limit, '--limit', 20, 1, HISTORY_LIMIT);
        const entries = await withStore(input, async (s) => {
          await s.require(name);
          return s.history(name, limit);
        });
        console.log(input.json ? JSON.stringify(entries, null, 2) : formatHistory(entries));
      });
  },
};
