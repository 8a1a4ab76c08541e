/** Logs for tests that drive a data source's driver or task side directly (no runner, no pino). */
import type { Log } from '../../src/datasource/datasource.js';

/** Drops everything. */
export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };

export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: object | string;
  readonly msg: string | undefined;
}

/** Keeps every call, in order, for assertions. */
export function capturingLog(): Log & { readonly lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const at = (level: LoggedLine['level']) => (obj: object | string, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
