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
    return {
      name: err.name,
      message: redact(err.message),
      code: err.code,
      unrecoverable: UNRECOVERABLE_CODES.has(err.code) && !err.retryable,
    };
  }
  if (err instanceof Error) return { name: err.name || 'Error', message: redact(err.message), unrecoverable: false };
  return { name: 'Error', message: redact(String(err)), unrecoverable: false };
}

/** `Name: message` (plus ` [CODE]` for kjob errors): what BullMQ keeps as the job's failedReason. */
export function encodeTaskFailure(f: TaskFailure): string {
  return `${f.name}${f.code ? ` [${f.code}]` : ''}: ${f.message}`;
}

const ENCODED = /^([A-Za-z_$][\w$]*)(?: \[([A-Z_]+)\])?: ([\s\S]*)$/;

/** Inverse of `encodeTaskFailure`; text that does not have its shape is kept whole as the message. */
export function decodeTaskFailure(text: string, unrecoverable = false): TaskFailure {
  const m = ENCODED.exec(text);
  if (!m) return { name: 'Error', message: text, unrecoverable };
  return m[2] ? { name: m[1]!, code: m[2], message: m[3]!, unrecoverable } : { name: m[1]!, message: m[3]!, unrecoverable };
}
