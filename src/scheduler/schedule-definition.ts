import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors/kjob-error.js';
import { parseMaster } from '../driver/backends/master-url.js';
import { isSecretOptionKey } from '../util/redact.js';
import { validateCron } from './cron-validation.js';
import { parseDuration } from './duration.js';

export type OverlapPolicy = 'skip' | 'queue';
export const OVERLAP_POLICIES: readonly OverlapPolicy[] = ['skip', 'queue'];

/** What a schedule stores in Redis (no secrets: see `buildScheduleDefinition`). */
export interface ScheduleDefinition {
  readonly v: 1;
  readonly name: string;
  /** Absolute path of the job file, as the scheduler processes see it (a shared volume in compose). */
  readonly job: string;
  readonly cron: string;
  readonly tz?: string;
  readonly conf: Readonly<Record<string, string>>;
  /** The master runs submit to; absent = the scheduler's own Redis (the cluster's executors). */
  readonly master?: string;
  readonly appName: string;
  readonly overlap: OverlapPolicy;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly updatedAt: string;
}

/** `kjob schedule add` flags as commander hands them over. */
export interface ScheduleAddInput {
  cron?: string;
  tz?: string;
  conf?: string[];
  master?: string;
  appName?: string;
  overlap?: string;
  timeout?: string;
  retries?: string;
}

export const DEFAULT_TIMEOUT_MS = 3_600_000;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Schedule names become Redis keys and BullMQ ids: letters, digits, '_', '.', '-'. */
export function validateScheduleName(name: string): string {
  if (!NAME.test(name)) {
    throw new ConfigError(`Schedule name '${name}' may hold only letters, digits, '_', '.' and '-' (at most 64, starting with a letter or digit)`, {
      resolution: 'Name it like hourly-load or nightly_export.',
      context: { option: 'name' },
    });
  }
  return name;
}

/**
 * Validates every flag of `kjob schedule add` before anything is stored. Secrets are refused: a
 * schedule lives in Redis, so credentials belong in the scheduler's environment instead.
 */
export function buildScheduleDefinition(name: string, jobFile: string, input: ScheduleAddInput, cwd = process.cwd(), now = new Date()): ScheduleDefinition {
  validateScheduleName(name);
  const job = resolve(cwd, jobFile);
  if (!existsSync(job) || !statSync(job).isFile()) {
    throw new ConfigError(`Job file '${jobFile}' does not exist (looked at ${job})`, {
      resolution: 'Give the path of a .ts or .js job file that the scheduler processes can read (in docker-compose: under the jobs/ volume).',
      context: { option: 'job' },
    });
  }
  if (input.cron === undefined || input.cron.trim() === '') {
    throw new ConfigError('kjob schedule add needs --cron "<expression>"', { resolution: 'e.g. --cron "0 * * * *" for every hour.', context: { option: '--cron' } });
  }
  const tz = input.tz?.trim() || undefined;
  validateCron(input.cron, tz);
  const overlap = (input.overlap ?? 'skip').trim().toLowerCase();
  if (!OVERLAP_POLICIES.includes(overlap as OverlapPolicy)) {
    throw new ConfigError(`--overlap '${input.overlap}' is not an overlap policy`, {
      resolution: "Use --overlap skip (default: a due run is skipped while the previous one runs) or --overlap queue (it waits and starts after).",
      context: { option: '--overlap' },
    });
  }
  const timeoutMs = input.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(input.timeout, '--timeout');
  const retries = input.retries === undefined ? 0 : Number(input.retries);
  if (input.retries !== undefined && (input.retries.trim() === '' || !Number.isSafeInteger(retries) || retries < 0 || retries > 100)) {
    throw new ConfigError(`--retries must be an integer from 0 to 100, got '${input.retries}'`, { context: { option: '--retries' } });
  }
  let master: string | undefined;
  if (input.master !== undefined) {
    const spec = parseMaster(input.master);
    if (spec.kind === 'redis' && /^rediss?:\/\/[^/]*@/i.test(input.master.trim())) {
      throw new ConfigError(`--master ${spec.display} carries credentials, which a schedule would store in Redis`, {
        resolution: "Omit --master: runs then submit to the scheduler's own Redis URL, whose credentials stay in the scheduler's environment.",
        context: { option: '--master' },
      });
    }
    master = input.master.trim();
  }
  const conf: Record<string, string> = {};
  for (const entry of input.conf ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--conf '${entry}' is not key=value`, { resolution: 'Write it as --conf spark.task.maxFailures=2.', context: { option: '--conf' } });
    const key = entry.slice(0, eq).trim();
    if (isSecretOptionKey(key)) {
      throw new ConfigError(`--conf ${key} looks like a secret, which a schedule would store in Redis`, {
        resolution: "Give secrets to the scheduler processes' environment (the job reads them from process.env) instead of --conf.",
        context: { option: '--conf' },
      });
    }
    conf[key] = entry.slice(eq + 1);
  }
  const appName = input.appName ?? name;
  if (appName.trim() === '') throw new ConfigError('--app-name must not be empty', { context: { option: '--app-name' } });
  return {
    v: 1,
    name,
    job,
    cron: input.cron.trim(),
    ...(tz !== undefined ? { tz } : {}),
    conf,
    ...(master !== undefined ? { master } : {}),
    appName,
    overlap: overlap as OverlapPolicy,
    timeoutMs,
    retries,
    updatedAt: now.toISOString(),
  };
}

/** Reads a stored definition back; a foreign or corrupt entry is an error naming the schedule. */
export function parseScheduleDefinition(name: string, json: string): ScheduleDefinition {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    v = undefined;
  }
  const d = v as Partial<ScheduleDefinition> | undefined;
  if (!d || d.v !== 1 || typeof d.job !== 'string' || typeof d.cron !== 'string' || typeof d.timeoutMs !== 'number') {
    throw new ConfigError(`The stored definition of schedule '${name}' is unreadable`, { resolution: `Add it again with kjob schedule add ${name} …`, context: { schedule: name } });
  }
  return d as ScheduleDefinition;
}
