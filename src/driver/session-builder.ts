import type { StageListener, StageSpec } from '../protocol/task.js';
import { ConfigError } from '../errors/kjob-error.js';
import { Session } from './session.js';

/** Creates a StageListener per stage (progress display, metrics). */
export type StageListenerFactory = (stage: StageSpec) => StageListener | undefined;

/** Parses KJOB_CONF (a JSON object of string values). */
function confFromEnv(text: string | undefined): Record<string, string> {
  if (!text) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ConfigError('KJOB_CONF is not valid JSON', { context: { option: 'KJOB_CONF' }, resolution: 'Set it to a JSON object, e.g. {"kjob.task.maxAttempts":"2"}.' });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError('KJOB_CONF must be a JSON object', { context: { option: 'KJOB_CONF' } });
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

/**
 * `Session.builder()`: an immutable builder. The master comes from `.master(m)`, else the
 * KJOB_MASTER environment variable, else `local[*]`; the app name from `.appName(n)`, else
 * KJOB_APP_NAME; configuration from `.config(k, v)` over the JSON object in KJOB_CONF (the variables
 * `kjob submit` sets).
 */
export class SessionBuilder {
  readonly #appName: string | undefined;
  readonly #master: string | undefined;
  readonly #conf: ReadonlyMap<string, string>;
  readonly #listener: StageListenerFactory | undefined;

  constructor(appName?: string, master?: string, conf: ReadonlyMap<string, string> = new Map(), listener?: StageListenerFactory) {
    this.#appName = appName;
    this.#master = master;
    this.#conf = conf;
    this.#listener = listener;
  }

  appName(name: string): SessionBuilder {
    return new SessionBuilder(name, this.#master, this.#conf, this.#listener);
  }
  /** `inline`, `local`, `local[N]`, `local[*]` or `redis://host:port`. */
  master(master: string): SessionBuilder {
    return new SessionBuilder(this.#appName, master, this.#conf, this.#listener);
  }
  config(key: string, value: string | number | boolean): SessionBuilder {
    return new SessionBuilder(this.#appName, this.#master, new Map([...this.#conf, [key, String(value)]]), this.#listener);
  }
  /** Observes every stage the session runs (task started/succeeded/failed). */
  stageListener(factory: StageListenerFactory): SessionBuilder {
    return new SessionBuilder(this.#appName, this.#master, this.#conf, factory);
  }

  /**
   * The active session if there is one (as Spark, builder settings are then ignored), else a new one
   * with its scheduler backend started.
   */
  async getOrCreate(): Promise<Session> {
    const env = process.env;
    return Session.getOrCreateFrom({
      appName: this.#appName ?? env['KJOB_APP_NAME'] ?? 'kjob-app',
      master: this.#master ?? env['KJOB_MASTER'] ?? 'local[*]',
      // `kjob submit --conf k=v` arrives as KJOB_CONF; the builder's own config() wins.
      conf: new Map([...Object.entries(confFromEnv(env['KJOB_CONF'])), ...this.#conf]),
      listener: this.#listener,
    });
  }
}
