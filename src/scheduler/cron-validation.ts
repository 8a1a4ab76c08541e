import { CronExpressionParser } from 'cron-parser';
import { ConfigError } from '../errors/kjob-error.js';

/**
 * Validates a cron expression and a time zone the way BullMQ's job scheduler will read them
 * (cron-parser, the parser BullMQ uses), so that `kjob schedule add` refuses what would never fire.
 * 5 fields (minute hour day month weekday) or 6 (with seconds first).
 */
const EXAMPLES = 'e.g. --cron "0 * * * *" (hourly), --cron "30 2 * * 1-5" (02:30 on weekdays) or --cron "*/10 * * * * *" (every 10 s, 6 fields with seconds)';

export function validateTimeZone(tz: string): void {
  try {
    // Intl knows the IANA zone database; cron-parser fails late and obscurely on an unknown zone.
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new ConfigError(`--tz '${tz}' is not a known IANA time zone`, {
      resolution: 'Use a zone name such as --tz Europe/Paris, --tz America/New_York or --tz UTC.',
      context: { option: '--tz' },
    });
  }
}

/** Returns the next `count` fire times after `from` (validating the expression on the way). */
export function nextFireTimes(cron: string, tz: string | undefined, from: Date = new Date(), count = 1): Date[] {
  const expr = cron.trim();
  const fields = expr.split(/\s+/).filter(Boolean).length;
  if (fields < 5 || fields > 6) {
    throw new ConfigError(`--cron '${cron}' has ${fields} field${fields === 1 ? '' : 's'}; a cron expression has 5 (minute hour day month weekday) or 6 (seconds first)`, {
      resolution: `Quote the whole expression, ${EXAMPLES}.`,
      context: { option: '--cron' },
    });
  }
  if (tz !== undefined) validateTimeZone(tz);
  try {
    const it = CronExpressionParser.parse(expr, { currentDate: from, ...(tz !== undefined ? { tz } : {}) });
    return Array.from({ length: count }, () => it.next().toDate());
  } catch (e) {
    throw new ConfigError(`--cron '${cron}' is not a valid cron expression: ${(e as Error).message}`, {
      resolution: `Write 5 or 6 space-separated fields, ${EXAMPLES}.`,
      context: { option: '--cron' },
      cause: e,
    });
  }
}

/** Throws ConfigError naming the bad expression or zone; returns the next fire time. */
export function validateCron(cron: string, tz?: string): Date {
  return nextFireTimes(cron, tz)[0]!;
}
