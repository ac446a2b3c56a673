// The customer-service window as Meta keeps it (cloud-api.md §5.1): 24 h from the customer's last
// message to a business number. The simulator learns it from the inbound messages it posts; it
// decides how template sends are priced.
export const SERVICE_WINDOW_MS = 24 * 3_600_000;

const windowKey = (phoneNumberId: string, customer: string): string =>
  `${phoneNumberId}:${customer.replace(/\D/g, '')}`;

export class CustomerWindows {
  readonly #lastInbound = new Map<string, number>();

  /** The customer wrote at `at` (ms). */
  recordInbound(phoneNumberId: string, customer: string, at: number): void {
    const key = windowKey(phoneNumberId, customer);
    this.#lastInbound.set(key, Math.max(at, this.#lastInbound.get(key) ?? at));
  }

  isOpen(phoneNumberId: string, customer: string, now: number): boolean {
    const last = this.#lastInbound.get(windowKey(phoneNumberId, customer));
    return last !== undefined && now < last + SERVICE_WINDOW_MS;
  }
}
