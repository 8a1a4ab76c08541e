import { ConfigError } from '../errors/kjob-error.js';

/**
 * `session.conf`: Spark's RuntimeConfig shape (`set`, `get`, `unset`, `getAll`) over the session's
 * configuration, readable as a map as before. A value set here is seen by data sources at the next
 * action (storage keys such as `fs.azure.sas.<container>.<account>.blob.<suffix>`, Kusto settings);
 * what the session read when it started (master and backend settings, `kjob.task.maxAttempts`,
 * `kjob.jobModule`) keeps its start value. Secret keys (`isSecretOptionKey`) stay on the driver
 * exactly like the builder's `.config()` values: tasks carry only the other keys, and a SAS a read
 * resolves from here travels to executors sealed.
 */
export class RuntimeConfig implements ReadonlyMap<string, string> {
  readonly #entries: Map<string, string>;

  /** @internal The session's map: data sources read it, and the Kusto source writes its storage keys into it. */
  constructor(entries: Map<string, string>) {
    this.#entries = entries;
  }

  /** Sets `key` (a number or boolean is stored as its text, as Spark does). */
  set(key: string, value: string | number | boolean): void {
    if (typeof key !== 'string' || key.trim() === '') throw new ConfigError('conf.set(): the key must be a non-empty string', { context: { option: String(key) } });
    if (value === undefined || value === null) throw new ConfigError(`conf.set('${key}'): the value must not be ${String(value)}; use conf.unset('${key}') to remove it`, { context: { option: key } });
    this.#entries.set(key, String(value));
  }

  /** The value of `key`, else `defaultValue` (undefined when none is given). */
  get(key: string): string | undefined;
  get(key: string, defaultValue: string): string;
  get(key: string, defaultValue?: string): string | undefined {
    return this.#entries.get(key) ?? defaultValue;
  }

  /** Removes `key` (no error when it is not set). */
  unset(key: string): void {
    this.#entries.delete(key);
  }

  /** A copy of every entry, secrets included: it is the caller's own configuration. */
  getAll(): Record<string, string> {
    return Object.fromEntries(this.#entries);
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }
  get size(): number {
    return this.#entries.size;
  }
  entries(): MapIterator<[string, string]> {
    return this.#entries.entries();
  }
  keys(): MapIterator<string> {
    return this.#entries.keys();
  }
  values(): MapIterator<string> {
    return this.#entries.values();
  }
  forEach(callbackfn: (value: string, key: string, map: ReadonlyMap<string, string>) => void, thisArg?: unknown): void {
    this.#entries.forEach((v, k) => callbackfn.call(thisArg, v, k, this));
  }
  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.#entries[Symbol.iterator]();
  }
}
