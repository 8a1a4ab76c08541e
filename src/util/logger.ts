import { pino, type Logger } from 'pino';
import { redact } from './redact.js';

/**
 * The process-wide structured logger: JSON lines on stderr (stdout stays free for command output such
 * as `kjob emulator`'s connection settings), level from LOG_LEVEL (default 'info'). Every string that
 * reaches a log line passes through `redact`, so a URL with a SAS signature logged by mistake is
 * still safe.
 */
let root: Logger | undefined;

export function logger(): Logger {
  root ??= pino(
    {
      level: process.env['LOG_LEVEL'] ?? 'info',
      base: { pid: process.pid },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? redact(a) : a)) as Parameters<typeof method>,
          );
        },
      },
      formatters: {
        log(object) {
          return JSON.parse(redact(JSON.stringify(object))) as Record<string, unknown>;
        },
      },
    },
    pino.destination({ dest: 2, sync: true }),
  );
  return root;
}

/** A child logger carrying fixed context (component, jobId, partition …). */
export function childLogger(bindings: Record<string, unknown>): Logger {
  return logger().child(bindings);
}
