import type { Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import { logger } from '../../util/logger.js';
import { resolveExecutorCli, type ExecutorCliInput } from './executor-options.js';
import { runUntilSignal } from '../run-until-signal.js';

/**
 * `kjob executor --master redis://host:port[/db] [--cores N]`: serves the tasks of every kjob
 * application on that Redis until SIGTERM/SIGINT, then stops gracefully (see Executor.shutdown).
 */
export const command: CommandModule = {
  register(program: Command): void {
    program
      .command('executor')
      .description('Run an executor that serves the tasks of kjob applications on a Redis cluster master')
      .option('--master <url>', 'redis://host:port[/db] or rediss://… (env KJOB_MASTER)')
      .option('--cores <n>', 'tasks run at once (env KJOB_EXECUTOR_CORES; default: available parallelism)')
      .option('--prefix <prefix>', "queue and key prefix on Redis (env KJOB_REDIS_PREFIX; default 'kjob')")
      .option('--id <executorId>', 'executor id shown to drivers (default: host-pid-random)')
      .option('--grace-ms <ms>', 'on SIGTERM, how long running tasks may finish before they are handed back (env KJOB_EXECUTOR_GRACE_MS; default 30000)')
      .option('--lock-duration-ms <ms>', "a task's lock lifetime; a dead executor's task is retried after it (default 10000)")
      .option('--stalled-interval-ms <ms>', 'how often stalled tasks are looked for (default 5000)')
      .option('--max-stalled-count <n>', 'stalls a task survives before it fails (default 2)')
      .action(async (input: ExecutorCliInput) => {
        const opts = resolveExecutorCli(input);
        const log = logger().child({ component: 'executor' });
        const { Executor } = await import('../../executor/executor.js');
        const executor = await Executor.start({ ...opts, log });
        await runUntilSignal(log, () => executor.shutdown(opts.graceMs), { graceMs: opts.graceMs });
        process.exit(0);
      });
  },
};
