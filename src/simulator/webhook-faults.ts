// Delivery faults Meta really produces, on demand: the same webhook twice (a retry after a slow or
// lost answer), and webhooks held back (so later ones overtake them). Each planned webhook takes
// what is armed; counts run down and a fault without a count lasts until cleared.

export type DuplicateMode = 'none' | 'sequential' | 'concurrent';

export interface WebhookPlan {
  delayMs: number;
  duplicate: DuplicateMode;
}

interface Armed {
  /** null: every webhook until cleared. */
  remaining: number | null;
}

export interface WebhookFaultState {
  duplicate: { remaining: number; concurrent: boolean } | null;
  delay: { ms: number; remaining: number | null } | null;
}

function take(fault: Armed | null): boolean {
  if (fault === null || fault.remaining === 0) return false;
  if (fault.remaining !== null) fault.remaining -= 1;
  return true;
}

export class WebhookFaults {
  #duplicate: (Armed & { remaining: number; concurrent: boolean }) | null = null;
  #delay: (Armed & { ms: number }) | null = null;

  /** The next `count` webhooks are posted twice: one after the other's answer, or both at once. */
  duplicate(count: number, concurrent: boolean): void {
    this.#duplicate = { remaining: count, concurrent };
  }

  /** The next `count` webhooks (every one when absent) wait `ms` before they are posted. */
  delay(ms: number, count?: number): void {
    this.#delay = ms === 0 ? null : { ms, remaining: count ?? null };
  }

  clear(): void {
    this.#duplicate = null;
    this.#delay = null;
  }

  /** What happens to the webhook about to be posted (and counts it). */
  next(): WebhookPlan {
    const duplicate = this.#duplicate;
    const delay = this.#delay;
    return {
      delayMs: take(delay) && delay !== null ? delay.ms : 0,
      duplicate:
        take(duplicate) && duplicate !== null ? (duplicate.concurrent ? 'concurrent' : 'sequential') : 'none',
    };
  }

  state(): WebhookFaultState {
    const duplicate = this.#duplicate;
    const delay = this.#delay;
    return {
      duplicate:
        duplicate === null || duplicate.remaining === 0
          ? null
          : { remaining: duplicate.remaining, concurrent: duplicate.concurrent },
      delay: delay === null || delay.remaining === 0 ? null : { ms: delay.ms, remaining: delay.remaining },
    };
  }
}
