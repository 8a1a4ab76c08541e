/**
 * Sealed task secrets: a secret an executor needs (the SAS of an export container, of a transient
 * storage, of an ingestion container) travels inside a task only encrypted with AES-256-GCM under
 * the task secret key, so a task payload sitting in Redis holds no usable credential. Pure: the key
 * is an argument (where it comes from is task-secret-key.ts).
 *
 * Format: `kjob-sealed:v1:<base64url of iv(12) | tag(16) | ciphertext>` — base64url so that a sealed
 * value can stand as the query string of a blob URL without escaping.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError } from '../errors/kjob-error.js';

export const SEALED_PREFIX = 'kjob-sealed:v1:';
/** The environment variable holding the key on the driver and every executor of a redis:// cluster. */
export const TASK_SECRET_KEY_ENV = 'KJOB_TASK_SECRET_KEY';
export const TASK_SECRET_KEY_BYTES = 32;

const IV_BYTES = 12;
const TAG_BYTES = 16;
const HOW_TO_SET = `Set the same ${TASK_SECRET_KEY_ENV} on the driver and on every executor: 32 random bytes, base64 or hex (e.g. \`openssl rand -base64 32\`).`;

/** KJOB_TASK_SECRET_KEY is set but is not 32 bytes of base64 or hex. */
export class TaskSecretKeyInvalidError extends ConfigError {
  override name = 'TaskSecretKeyInvalidError';
  constructor(problem: string) {
    super(`${TASK_SECRET_KEY_ENV} is not a valid task secret key: ${problem}`, { resolution: HOW_TO_SET, context: { variable: TASK_SECRET_KEY_ENV } });
  }
}

/** A task needs a secret sealed (driver) or unsealed (executor), and this process has no key. */
export class TaskSecretKeyMissingError extends ConfigError {
  override name = 'TaskSecretKeyMissingError';
  constructor(what: string, where: 'driver' | 'executor') {
    super(
      where === 'driver'
        ? `${what} must reach the executors of a redis:// cluster, and ${TASK_SECRET_KEY_ENV} is not set on the driver (secrets never travel through Redis in clear)`
        : `This task carries a sealed secret (${what}), and ${TASK_SECRET_KEY_ENV} is not set on this executor`,
      {
        likelyCause: `${TASK_SECRET_KEY_ENV} is not set in the ${where}'s environment.`,
        resolution: HOW_TO_SET,
        context: { variable: TASK_SECRET_KEY_ENV, where },
      },
    );
  }
}

/** The key cannot open a sealed value: another key sealed it (or the value was altered). */
export class TaskSecretUnsealError extends ConfigError {
  override name = 'TaskSecretUnsealError';
  constructor(what: string, cause?: unknown) {
    super(`A sealed task secret (${what}) cannot be opened with this process's ${TASK_SECRET_KEY_ENV}`, {
      likelyCause: `The executor's ${TASK_SECRET_KEY_ENV} differs from the driver's (or the sealed value was altered).`,
      resolution: HOW_TO_SET,
      context: { variable: TASK_SECRET_KEY_ENV },
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/** Parses a key given as base64 (standard or url-safe) or hex; it must decode to exactly 32 bytes. */
export function parseTaskSecretKey(text: string): Buffer {
  const t = text.trim();
  if (t === '') throw new TaskSecretKeyInvalidError('it is empty');
  let key: Buffer | undefined;
  if (/^[0-9a-f]+$/i.test(t) && t.length === TASK_SECRET_KEY_BYTES * 2) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key) throw new TaskSecretKeyInvalidError('it is neither base64 nor hex');
  if (key.length !== TASK_SECRET_KEY_BYTES) throw new TaskSecretKeyInvalidError(`it decodes to ${key.length} bytes, ${TASK_SECRET_KEY_BYTES} are needed`);
  return key;
}

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

export function seal(plaintext: string, key: Buffer): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Opens a sealed value; `what` names the secret in errors (never its value). */
export function unseal(sealed: string, key: Buffer, what = 'secret'): string {
  checkKey(key);
  if (!isSealed(sealed)) throw new TaskSecretUnsealError(`${what}: not a ${SEALED_PREFIX} value`);
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new TaskSecretUnsealError(`${what}: truncated`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (e) {
    // GCM's "Unsupported state or unable to authenticate data": the wrong key, or altered bytes.
    throw new TaskSecretUnsealError(what, e);
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== TASK_SECRET_KEY_BYTES) throw new TaskSecretKeyInvalidError(`the key has ${key.length} bytes, ${TASK_SECRET_KEY_BYTES} are needed`);
}
