// How fast each business number may send: a token bucket per number (Meta's default throughput is 80
// messages per second; bursts up to one second's worth), and a pause after Meta answers 130429 that
// grows while the refusals go on. Kept in memory: after a restart the worst case is one more 130429.
import { throughputDelayMs } from './backoff.ts';
import { TokenBucket } from './token-bucket.ts';

interface NumberState {
  bucket: TokenBucket;
  pausedUntil: number;
  /** Consecutive throughput refusals. */
  throttledHits: number;
}

export class NumberPacing {
  readonly #ratePerSecond: number;
  readonly #numbers = new Map<string, NumberState>();

  constructor(messagesPerSecond: number) {
    this.#ratePerSecond = messagesPerSecond;
  }

  /** Takes a send's token when the number may send now. */
  tryTake(phoneNumberId: string, now: number): boolean {
    const state = this.#state(phoneNumberId, now);
    return state.pausedUntil <= now && state.bucket.tryTake(now);
  }

  /** Numbers that may not send at `now` (paused, or out of tokens). */
  blockedNumbers(now: number): string[] {
    return [...this.#numbers].filter(([, state]) => this.#readyAt(state, now) > now).map(([id]) => id);
  }

  /** The earliest time after `now` at which a blocked number may send again (null when none is blocked). */
  nextReadyAt(now: number): number | null {
    let next: number | null = null;
    for (const state of this.#numbers.values()) {
      const at = this.#readyAt(state, now);
      if (at > now && (next === null || at < next)) next = at;
    }
    return next;
  }

  /** Meta said the number is over its throughput: it pauses (1 s, 2 s, 4 s, ...); answers when it resumes. */
  throttled(phoneNumberId: string, now: number): number {
    const state = this.#state(phoneNumberId, now);
    state.throttledHits += 1;
    state.pausedUntil = Math.max(state.pausedUntil, now + throughputDelayMs(state.throttledHits));
    state.bucket.empty(now);
    return state.pausedUntil;
  }

  /** A send of the number went through: its throughput backoff starts over. */
  accepted(phoneNumberId: string): void {
    const state = this.#numbers.get(phoneNumberId);
    if (state !== undefined) state.throttledHits = 0;
  }

  #readyAt(state: NumberState, now: number): number {
    return Math.max(state.pausedUntil, state.bucket.nextTokenAt(now));
  }

  #state(phoneNumberId: string, now: number): NumberState {
    let state = this.#numbers.get(phoneNumberId);
    if (state === undefined) {
      state = { bucket: new TokenBucket(this.#ratePerSecond, now), pausedUntil: 0, throttledHits: 0 };
      this.#numbers.set(phoneNumberId, state);
    }
    return state;
  }
}
