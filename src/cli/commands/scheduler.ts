import type { Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import { logger } from '../../util/logger.js';
import { resolveSchedulerCli, type SchedulerCliInput } from './scheduler-options.js';
import { runUntilSignal } from '../run-until-signal.js';

/**
 * `kjob scheduler --master redis://host:port`: starts a `kjob submit` child for every due run of the
 * schedules in that Redis (see src/scheduler/README.md). Several may run; each due run starts once.
 * SIGTERM/SIGINT: no new runs; running ones get --grace to finish, then are stopped and recorded as
 * failed (interrupted).
 */
export const command: CommandModule = {
  register(program: Command): void {
    program
      .command('scheduler')
      .description('Run the scheduler: starts a kjob submit for every due run of the schedules in Redis')
      .option('--master <url>', 'redis://host:port[/db] of the schedule store, also the default master of runs (env KJOB_MASTER; default redis://127.0.0.1:6379)')
      .option('--redis <url>', 'alias of --master')
      .option('--concurrency <n>', 'runs started at once by this process (env KJOB_SCHEDULER_CONCURRENCY; default 4)')
      .option('--grace <duration>', 'on SIGTERM, how long running runs may finish before they are stopped (default 20s)')
      .option('--id <schedulerId>', 'scheduler id recorded in the history (default: host-pid-random)')
      .action(async (input: SchedulerCliInput) => {
        const opts = resolveSchedulerCli(input);
        const log = logger().child({ component: 'scheduler' });
        const { Scheduler } = await import('../../scheduler/scheduler.js');
        const scheduler = await Scheduler.start({ ...opts, log });
        await runUntilSignal(log, () => scheduler.shutdown(opts.graceMs), { graceMs: opts.graceMs });
        process.exit(0);
      });
  },
};
