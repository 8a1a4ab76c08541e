import { existsSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { ConfigError } from '../../errors/kjob-error.js';
import { parseMaster } from '../../driver/backends/master-url.js';

export interface SubmitCliInput {
  master?: string;
  conf?: string[];
  appName?: string;
}

export interface ResolvedSubmit {
  readonly jobFile: string;
  readonly master: string | undefined;
  readonly appName: string;
  readonly conf: Readonly<Record<string, string>>;
}

/**
 * The environment a submitted job's Session reads (set by `kjob submit`, also usable by hand):
 *   KJOB_MASTER      master URL (default local[*])
 *   KJOB_APP_NAME    application name
 *   KJOB_CONF        JSON object of session configuration entries
 *   KJOB_JOB_MODULE  absolute path of the job file, shipped in tasks so executors import it
 */
export const SUBMIT_ENV = ['KJOB_MASTER', 'KJOB_APP_NAME', 'KJOB_CONF', 'KJOB_JOB_MODULE', 'KJOB_TASK_SECRET_KEY'] as const;

/** Validates `kjob submit` arguments before anything runs; errors name the flag or the file. */
export function resolveSubmit(jobFile: string, input: SubmitCliInput, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): ResolvedSubmit {
  const file = resolve(cwd, jobFile);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new ConfigError(`Job file '${jobFile}' does not exist (looked at ${file})`, { context: { option: 'job' } });
  }
  const master = input.master ?? env['KJOB_MASTER'];
  if (master !== undefined) parseMaster(master);
  const conf: Record<string, string> = { ...parseConfEnv(env['KJOB_CONF']) };
  for (const entry of input.conf ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError(`--conf '${entry}' is not key=value`, { resolution: 'Write it as --conf spark.task.maxFailures=2.', context: { option: '--conf' } });
    }
    conf[entry.slice(0, eq).trim()] = entry.slice(eq + 1);
  }
  const appName = input.appName ?? env['KJOB_APP_NAME'] ?? basename(file, extname(file));
  if (appName.trim() === '') throw new ConfigError('--app-name must not be empty', { context: { option: '--app-name' } });
  return { jobFile: file, master, appName, conf };
}

function parseConfEnv(text: string | undefined): Record<string, string> {
  if (!text) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ConfigError('KJOB_CONF is not valid JSON', { resolution: 'Set it to a JSON object of string values, e.g. {"spark.task.maxFailures":"2"}.', context: { option: 'KJOB_CONF' } });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError('KJOB_CONF must be a JSON object', { context: { option: 'KJOB_CONF' } });
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

/** Accumulates repeated `--conf k=v` flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
