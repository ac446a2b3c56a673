// Every send the Graph endpoint accepted, in order, plus which status webhooks each one has had
// and the pricing its statuses carry.
import type { StatusName } from './payloads/index.ts';
import type { SendPricing } from './sends/pricing.ts';

export interface RecordedSend {
  wamid: string;
  phoneNumberId: string;
  /** `to` exactly as the business sent it. */
  to: string;
  type: string;
  text: string | null;
  bizOpaqueCallbackData: string | null;
  /** The request body as parsed JSON. */
  body: unknown;
  /** When the simulator accepted it (ms, from the simulator's clock). */
  at: number;
}

export class SendLog {
  readonly #sends: RecordedSend[] = [];
  readonly #posted = new Map<string, Set<StatusName>>();
  readonly #pricing = new Map<string, SendPricing>();

  record(send: RecordedSend, pricing: SendPricing): void {
    this.#sends.push(send);
    this.#posted.set(send.wamid, new Set());
    this.#pricing.set(send.wamid, pricing);
  }

  /** What the send's statuses report about its price. */
  pricingOf(wamid: string): SendPricing | undefined {
    return this.#pricing.get(wamid);
  }

  find(wamid: string): RecordedSend | undefined {
    return this.#sends.find((send) => send.wamid === wamid);
  }

  all(): RecordedSend[] {
    return this.#sends.map((send) => ({ ...send }));
  }

  markPosted(wamid: string, status: StatusName): void {
    this.#posted.get(wamid)?.add(status);
  }

  hasPosted(wamid: string, status: StatusName): boolean {
    return this.#posted.get(wamid)?.has(status) ?? false;
  }
}
