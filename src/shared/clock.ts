// Every clock in Ventana sits behind this interface so that tests (and the demo's time control)
// can move time: the 24-hour window, countdowns, log horizons and backoff all read it.
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; starts at `start` (ms). */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: number = Date.UTC(2026, 10, 21, 12, 0, 0)) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  set(ms: number): void {
    this.#now = ms;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** The system clock shifted by an offset that can be changed at run time (demo and test time travel). */
export class OffsetClock implements Clock {
  readonly #base: Clock;
  #offsetMs = 0;
  constructor(base: Clock = systemClock) {
    this.#base = base;
  }
  now(): number {
    return this.#base.now() + this.#offsetMs;
  }
  get offsetMs(): number {
    return this.#offsetMs;
  }
  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}
