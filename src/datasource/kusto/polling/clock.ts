/** Time as a dependency, so cadences and timeouts are testable without waiting. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; an aborted signal cancels the timer and the promise never settles. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return;
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => clearTimeout(timer), { once: true });
    }),
};

/** A clock whose sleeps return at once and advance its time: for tests and simulations. */
export class ManualClock implements Clock {
  #now: number;
  readonly sleeps: number[] = [];
  constructor(start = 0) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return new Promise(() => undefined);
    this.sleeps.push(ms);
    this.#now += ms;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}
