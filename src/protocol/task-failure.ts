import { isKjobError } from '../errors/kjob-error.js';
import type { KjobErrorCode } from '../errors/kjob-error.js';
import { redact } from '../util/redact.js';

/**
 * A task's error as it crosses a thread or process boundary (worker thread message, BullMQ
 * failedReason), and the one place that decides whether an attempt is worth repeating — in the spirit
 * of BullMQ's `finishedErrors`: both backends share it, so retry behaviour and messages are identical.
 */
export interface TaskFailure {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  /** True when another attempt would fail the same way (bad option, plan or schema). */
  readonly unrecoverable: boolean;
  /** What a kjob error knew besides its message (redacted), so the driver can say it too. */
  readonly details?: TaskFailureDetails;
}

export interface TaskFailureDetails {
  readonly likelyCause?: string;
  readonly resolution?: string;
  readonly requestId?: string;
  readonly context?: Readonly<Record<string, string | number | boolean>>;
}

/** Errors that are deterministic: repeating the task cannot help, so no attempt is wasted on them. */
const UNRECOVERABLE_CODES: ReadonlySet<KjobErrorCode> = new Set<KjobErrorCode>([
  'CONFIG_INVALID',
  'PLAN_INVALID',
  'PLAN_UNSUPPORTED',
  'SCHEMA_MISMATCH',
  'DATA_INVALID',
]);

export function toTaskFailure(err: unknown): TaskFailure {
  if (isKjobError(err)) {
    const details = detailsOf(err);
    return {
      name: err.name,
      message: redact(err.message),
      code: err.code,
      unrecoverable: UNRECOVERABLE_CODES.has(err.code) && !err.retryable,
      ...(details ? { details } : {}),
    };
  }
  if (err instanceof Error) return { name: err.name || 'Error', message: redact(err.message), unrecoverable: false };
  return { name: 'Error', message: redact(String(err)), unrecoverable: false };
}

function detailsOf(err: { likelyCause?: string | undefined; resolution?: string | undefined; requestId?: string | undefined; context?: Readonly<Record<string, unknown>> }): TaskFailureDetails | undefined {
  const context: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(err.context ?? {})) {
    if (typeof v === 'string') context[k] = redact(v);
    else if (typeof v === 'number' || typeof v === 'boolean') context[k] = v;
  }
  const d: TaskFailureDetails = {
    ...(err.likelyCause ? { likelyCause: redact(err.likelyCause) } : {}),
    ...(err.resolution ? { resolution: redact(err.resolution) } : {}),
    ...(err.requestId ? { requestId: err.requestId } : {}),
    ...(Object.keys(context).length > 0 ? { context } : {}),
  };
  return Object.keys(d).length > 0 ? d : undefined;
}

/** Separates the message from the details' JSON in an encoded failure (a line no message contains). */
const DETAILS_MARK = '\n[kjob task error details] ';

/**
 * `Name: message` (plus ` [CODE]` for kjob errors), then the details as JSON after a marker line:
 * what BullMQ keeps as the job's failedReason.
 */
export function encodeTaskFailure(f: TaskFailure): string {
  const head = `${f.name}${f.code ? ` [${f.code}]` : ''}: ${f.message}`;
  return f.details ? `${head}${DETAILS_MARK}${JSON.stringify(f.details)}` : head;
}

const ENCODED = /^([A-Za-z_$][\w$]*)(?: \[([A-Z_]+)\])?: ([\s\S]*)$/;

/** Inverse of `encodeTaskFailure`; text that does not have its shape is kept whole as the message. */
export function decodeTaskFailure(encoded: string, unrecoverable = false): TaskFailure {
  const at = encoded.indexOf(DETAILS_MARK);
  const text = at < 0 ? encoded : encoded.slice(0, at);
  const details = at < 0 ? undefined : parseDetails(encoded.slice(at + DETAILS_MARK.length));
  const extra = details ? { details } : {};
  const m = ENCODED.exec(text);
  if (!m) return { name: 'Error', message: text, unrecoverable, ...extra };
  return m[2] ? { name: m[1]!, code: m[2], message: m[3]!, unrecoverable, ...extra } : { name: m[1]!, message: m[3]!, unrecoverable, ...extra };
}

function parseDetails(json: string): TaskFailureDetails | undefined {
  try {
    const o = JSON.parse(json) as unknown;
    if (typeof o !== 'object' || o === null) return undefined;
    // Another build's executor may send more or fewer fields: keep the known ones, re-redacted.
    return detailsOf(o as Parameters<typeof detailsOf>[0]);
  } catch {
    return undefined;
  }
}
