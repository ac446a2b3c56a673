// Meta's pair rate limit (cloud-api.md §5.5): one business number may send one message every 6 s
// to the same customer; a send sooner is refused with 131056. Off until a test turns it on; the
// last accepted send per pair is always tracked, so turning it on judges the very next send.
export const PAIR_WINDOW_MS = 6_000;

export interface PairRateLimitState {
  enabled: boolean;
  windowMs: number;
}

const pairKey = (phoneNumberId: string, to: string): string => `${phoneNumberId}:${to.replace(/\D/g, '')}`;

export class PairRateLimit {
  #state: PairRateLimitState = { enabled: false, windowMs: PAIR_WINDOW_MS };
  readonly #lastSend = new Map<string, number>();

  configure(state: PairRateLimitState): void {
    this.#state = { ...state };
  }

  state(): PairRateLimitState {
    return { ...this.#state };
  }

  /** True when a send to `to` now would come too soon after the last one. */
  exceeded(phoneNumberId: string, to: string, now: number): boolean {
    if (!this.#state.enabled) return false;
    const last = this.#lastSend.get(pairKey(phoneNumberId, to));
    return last !== undefined && now - last < this.#state.windowMs;
  }

  recordSend(phoneNumberId: string, to: string, now: number): void {
    this.#lastSend.set(pairKey(phoneNumberId, to), now);
  }
}
