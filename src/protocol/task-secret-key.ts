/**
 * Which key seals and unseals task secrets in this process (sealed-secret.ts does the cryptography):
 * - `KJOB_TASK_SECRET_KEY` when set — required for redis:// masters, where the same key must be set
 *   on the driver and on every executor process;
 * - otherwise a random key made once per process, for the in-process backends (inline, local[N]):
 *   LocalBackend hands it to its worker threads in memory (workerData), it never reaches Redis.
 */
import { randomBytes } from 'node:crypto';
import { TASK_SECRET_KEY_BYTES, TASK_SECRET_KEY_ENV, TaskSecretKeyMissingError, isSealed, parseTaskSecretKey, seal, unseal } from './sealed-secret.js';

/** Seals the secrets a driver puts into tasks; throws a named error when it cannot. */
export interface TaskSecretSealer {
  /** `what` names the secret in errors (e.g. 'the SAS of the export storage'). */
  seal(plaintext: string, what: string): string;
  /** Throws the error `seal` would throw, without sealing anything: call it before any side effect. */
  assertCanSeal(what: string): void;
}

let installed: Buffer | undefined;
/** Fixed at first use, so worker threads spawned earlier and later share it whatever env does meanwhile. */
let inProcess: Buffer | undefined;
let envCache: { text: string; key: Buffer } | undefined;

/** The validated key of `KJOB_TASK_SECRET_KEY`, or undefined when the variable is unset or empty. */
export function envTaskSecretKey(env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  const text = env[TASK_SECRET_KEY_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  if (envCache?.text !== text) envCache = { text, key: parseTaskSecretKey(text) };
  return envCache.key;
}

/** The key in-process backends seal with (and hand to their worker threads). */
export function inProcessTaskSecretKey(): Buffer {
  return (inProcess ??= installed ?? envTaskSecretKey() ?? randomBytes(TASK_SECRET_KEY_BYTES));
}

/** A worker thread adopts its parent's key (LocalBackend passes it in workerData). */
export function installTaskSecretKey(key: Buffer): void {
  installed = Buffer.from(key);
}

/** Opens a value a task carries; plain values pass through unchanged. */
export function unsealTaskSecret(value: string, what: string): string {
  if (!isSealed(value)) return value;
  // One process may hold an in-process key and KJOB_TASK_SECRET_KEY (a driver with a local and a
  // redis session): GCM's authentication tells which one sealed the value.
  const keys = [...new Set([installed, envTaskSecretKey(), inProcess].filter((k): k is Buffer => k !== undefined))];
  if (keys.length === 0) throw new TaskSecretKeyMissingError(what, 'executor');
  let failure: unknown;
  for (const key of keys) {
    try {
      return unseal(value, key, what);
    } catch (e) {
      failure = e;
    }
  }
  throw failure;
}

const inProcessSealer: TaskSecretSealer = {
  seal: (plaintext) => seal(plaintext, inProcessTaskSecretKey()),
  assertCanSeal: () => void inProcessTaskSecretKey(),
};

const clusterSealer: TaskSecretSealer = {
  seal(plaintext, what) {
    const key = envTaskSecretKey();
    if (!key) throw new TaskSecretKeyMissingError(what, 'driver');
    return seal(plaintext, key);
  },
  assertCanSeal(what) {
    if (!envTaskSecretKey()) throw new TaskSecretKeyMissingError(what, 'driver');
  },
};

/** The sealer for a session's master: redis:// executors are other processes, so they need the shared key. */
export function taskSecretSealerFor(master: string | undefined): TaskSecretSealer {
  return master !== undefined && /^\s*rediss?:\/\//i.test(master) ? clusterSealer : inProcessSealer;
}
