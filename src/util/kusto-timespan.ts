/**
 * Kusto timespans as policies and request options hold them (`00:05:00`, `1.00:00:00`, `00:00:30.5`).
 * One parser for the doctor's policy checks and for `servertimeout` in client request properties, whose
 * two clients want different forms: the service (raw V2 requests) a timespan, the SDK milliseconds.
 */
const TIMESPAN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/** A timespan → milliseconds; undefined when the text is not one (the caller reports it instead of guessing). */
export function parseKustoTimespan(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = TIMESPAN.exec(text.trim());
  if (!m) return undefined;
  const [, neg, d = '0', h, mi, s = '0', frac = ''] = m;
  const ms = ((Number(d) * 24 + Number(h)) * 60 + Number(mi)) * 60_000 + Number(s) * 1000 + Math.floor(Number(`0.${frac || '0'}`) * 1000);
  return neg ? -ms : ms;
}

/** Non-negative milliseconds → `[d.]hh:mm:ss[.fff]`. */
export function formatKustoTimespan(ms: number): string {
  const total = Math.floor(ms);
  const days = Math.floor(total / 86_400_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const h = Math.floor(total / 3_600_000) % 24;
  const m = Math.floor(total / 60_000) % 60;
  const s = Math.floor(total / 1000) % 60;
  const frac = total % 1000;
  return `${days > 0 ? `${days}.` : ''}${pad(h)}:${pad(m)}:${pad(s)}${frac > 0 ? `.${pad(frac, 3)}` : ''}`;
}
