import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import { ConfigError } from '../../errors/kjob-error.js';
import { logger } from '../../util/logger.js';
import { collect, resolveSubmit, type SubmitCliInput } from './submit-options.js';
import { RunReportRecorder, writeOfSave } from '../../scheduler/run-report.js';

/**
 * `kjob submit job.ts [--master M] [--conf k=v ...] [--app-name N]`: runs a job file in this process
 * (TypeScript through the CLI's tsx loader). A job either exports `default async function (session)`
 * — submit creates the Session from the flags, calls it and stops the session — or is a top-level
 * script that builds its own session (`Session.builder().getOrCreate()` reads KJOB_MASTER; submit stops
 * the active session when the script is done).
 *
 * The flags reach the job's Session through the environment (see SUBMIT_ENV), so the same job also
 * runs with `npx tsx job.ts`. Failures propagate to the CLI's error printer: the error's message,
 * cause and resolution, non-zero exit, no stack unless LOG_LEVEL=debug.
 */
export const command: CommandModule = {
  register(program: Command): void {
    program
      .command('submit')
      .description('Run a kjob job file (.ts or .js) against a master')
      .argument('<job>', 'the job file')
      .option('--master <master>', 'local, local[N], local[*], inline or redis://host:port[/db] (env KJOB_MASTER; default local[*])')
      .option('--conf <key=value>', 'session configuration entry (repeatable), e.g. spark.task.maxFailures=2', collect, [])
      .option('--app-name <name>', 'application name (default: the job file name)')
      .action(async (job: string, input: SubmitCliInput) => {
        // Opt-in (KJOB_RUN_REPORT=<file>): outcome, error and every save's rows/request id, for `kjob scheduler`.
        const report = RunReportRecorder.fromEnv();
        try {
          await runSubmitted(job, input, report);
          report?.finish('succeeded');
        } catch (err) {
          report?.finish('failed', err);
          throw err;
        }
        // A job that leaves a handle open (a timer, a socket) must not keep a finished submit alive.
        setTimeout(() => process.exit(0), 500).unref();
      });
  },
};

async function runSubmitted(job: string, input: SubmitCliInput, report: RunReportRecorder | undefined): Promise<void> {
  const resolved = resolveSubmit(job, input);
  const log = logger().child({ component: 'submit', appName: resolved.appName });
  if (resolved.master !== undefined) process.env['KJOB_MASTER'] = resolved.master;
  process.env['KJOB_APP_NAME'] = resolved.appName;
  process.env['KJOB_CONF'] = JSON.stringify(resolved.conf);
  process.env['KJOB_JOB_MODULE'] = resolved.jobFile;
  const started = Date.now();
  const { Session } = await import('../../driver/session.js');
  if (report) {
    const { onSave } = await import('../../driver/dataframe-writer.js');
    onSave((e) => report.addWrite(writeOfSave(e.format, e.result)));
  }
  log.debug({ job: resolved.jobFile, master: process.env['KJOB_MASTER'] ?? 'local[*]' }, 'submitting job');
  try {
    const mod = (await import(pathToFileURL(resolved.jobFile).href)) as { default?: unknown };
    if (typeof mod.default === 'function') {
      let builder = Session.builder().appName(resolved.appName);
      for (const [k, v] of Object.entries(resolved.conf)) builder = builder.config(k, v);
      const session = await builder.getOrCreate();
      await (mod.default as (s: typeof session) => unknown)(session);
    } else if (mod.default !== undefined) {
      throw new ConfigError(`The default export of ${job} is not a function`, {
        resolution: 'Export `default async function (session) { … }`, or no default export for a top-level script.',
        context: { option: 'job' },
      });
    }
  } finally {
    await Session.active()?.stop();
  }
  log.info({ elapsedMs: Date.now() - started }, 'job finished');
}
