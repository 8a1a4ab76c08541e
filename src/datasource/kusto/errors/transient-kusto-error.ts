/**
 * The one translation of Kusto/HTTP/network failures into a retry verdict (code-style §8.4). Used by
 * the command retry wrapper, the async-operation poller and the executor's queue-failure mapping.
 *
 * Transient: HTTP 429 (the SDK's ThrottlingError), 5xx, connection resets/timeouts, DNS hiccups,
 * kjob errors marked retryable. Permanent: other 4xx, kjob errors not marked retryable, and any Kusto
 * error whose body says `"@permanent": true` — the SDK does not surface that flag, so it is read from
 * the axios response (`err.response.data.error`) here, also through `inner` and `cause` chains.
 */
import { isKjobError } from '../../../errors/kjob-error.js';

const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
const TRANSIENT_MESSAGE = /socket hang up|network timeout|ETIMEDOUT|ECONNRESET|timeout of \d+ms exceeded/i;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  message?: unknown;
  response?: { status?: unknown; data?: unknown };
  inner?: unknown;
  cause?: unknown;
}

function asErrorLike(e: unknown): ErrorLike | undefined {
  return typeof e === 'object' && e !== null ? (e as ErrorLike) : undefined;
}

/** `@permanent` from a Kusto error body (`{ error: { code, message, '@permanent': true } }`), if present. */
export function kustoPermanentFlag(err: unknown): boolean | undefined {
  const data = asErrorLike(err)?.response?.data;
  const body = typeof data === 'string' ? safeJson(data) : data;
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  const flag = typeof error === 'object' && error !== null ? (error as Record<string, unknown>)['@permanent'] : undefined;
  return typeof flag === 'boolean' ? flag : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The HTTP status carried by an SDK/axios/fetch error, if any. */
export function httpStatusOf(err: unknown): number | undefined {
  const e = asErrorLike(err);
  for (const s of [e?.response?.status, e?.statusCode, e?.status]) if (typeof s === 'number') return s;
  return undefined;
}

/** Whether retrying the failed call may succeed. Walks `inner` (Kusto SDK) and `cause` (standard) chains. */
export function isTransientKustoError(err: unknown, depth = 0): boolean {
  const e = asErrorLike(err);
  if (!e || depth > 5) return false;
  if (isKjobError(err)) return err.retryable;
  const permanent = kustoPermanentFlag(err);
  if (permanent !== undefined) return !permanent;
  if (e.name === 'ThrottlingError') return true;
  const status = httpStatusOf(err);
  if (status !== undefined) return status === 429 || status === 408 || status >= 500;
  if (typeof e.code === 'string' && TRANSIENT_NETWORK_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message)) return true;
  for (const next of [e.inner, e.cause]) if (next !== undefined && next !== err && isTransientKustoError(next, depth + 1)) return true;
  return false;
}
