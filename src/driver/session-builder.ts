import type { StageListener, StageSpec } from '../protocol/task.js';
import { Session } from './session.js';

/** Creates a StageListener per stage (progress display, metrics). */
export type StageListenerFactory = (stage: StageSpec) => StageListener | undefined;

/**
 * `Session.builder()`: an immutable builder. The master comes from `.master(m)`, else the
 * KJOB_MASTER environment variable, else `local[*]`.
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
    return Session.getOrCreateFrom({
      appName: this.#appName ?? 'kjob-app',
      master: this.#master ?? process.env['KJOB_MASTER'] ?? 'local[*]',
      conf: this.#conf,
      listener: this.#listener,
    });
  }
}
