// A token bucket on an injected clock: `ratePerSecond` tokens flow in continuously, up to `capacity`
// (a burst); each send takes one. Time that seems to run backwards (a clock set back) adds nothing.

export class TokenBucket {
  readonly #ratePerSecond: number;
  readonly #capacity: number;
  #tokens: number;
  #updatedAt: number;

  constructor(ratePerSecond: number, now: number, capacity: number = ratePerSecond) {
    if (!(ratePerSecond > 0) || !(capacity >= 1))
      throw new RangeError('a token bucket needs a positive rate and room for at least one token');
    this.#ratePerSecond = ratePerSecond;
    this.#capacity = capacity;
    this.#tokens = capacity;
    this.#updatedAt = now;
  }

  /** Takes a token when one is there. */
  tryTake(now: number): boolean {
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** When a token will be there (`now` if one is). */
  nextTokenAt(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? now : now + Math.ceil(((1 - this.#tokens) * 1_000) / this.#ratePerSecond);
  }

  /** Empties the bucket: after Meta said the number is over its throughput, nothing leaves at once. */
  empty(now: number): void {
    this.#refill(now);
    this.#tokens = 0;
  }

  #refill(now: number): void {
    if (now > this.#updatedAt) {
      // Multiplied before dividing, so whole seconds add whole tokens (no 4.999... after 1 s at 5/s).
      const added = ((now - this.#updatedAt) * this.#ratePerSecond) / 1_000;
      this.#tokens = Math.min(this.#capacity, this.#tokens + added);
      this.#updatedAt = now;
    }
  }
}
