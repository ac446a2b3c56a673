// Scripted customers for the demo: they seed a day of conversations, come back on their own every
// `intervalMs`, and answer the business a few seconds after each reply. Choices come from a seeded
// PRNG, so every demo run tells the same story.
import { pino } from 'pino';
import type { Logger } from 'pino';
import { systemClock } from '../shared/clock.ts';
import type { Clock } from '../shared/clock.ts';
import { DEMO_CAST } from './demo-cast.ts';
import type { DemoCustomer } from './demo-cast.ts';
import type { Simulator } from './index.ts';
import { pick, seededRandom } from './seeded-random.ts';

/**
 * Only customers already mid-conversation write again on their own: the one whose window is about
 * to close and the one whose window has closed stay quiet, so the demo keeps showing those states.
 */
const RETURNING_CUSTOMERS = DEMO_CAST.filter((c) => c.history.lastMessageAgoMs < 3 * 60 * 60_000) as [
  DemoCustomer,
  ...DemoCustomer[],
];

export interface DemoCustomersOptions {
  /** How often one customer writes again on their own (default 25 s). */
  intervalMs?: number;
  /** How long a customer takes to answer the business (default 4 s). */
  replyDelayMs?: number;
  /** Seed of the PRNG behind every choice (default fixed). */
  seed?: number;
  /** Where "now" is for the seeded history: use the simulator's clock (default the system clock). */
  clock?: Clock;
  /** The business number they write to (default the simulator's first). */
  phoneNumberId?: string;
  logger?: Logger;
}

export interface DemoCustomers {
  /** Resolves once the seeded history has been posted (failures are logged, not thrown). */
  readonly ready: Promise<void>;
  stop(): void;
}

const DEFAULT_SEED = 20_261_121;

export function startDemoCustomers(
  sim: Pick<Simulator, 'sendInboundText' | 'onSend'>,
  options: DemoCustomersOptions = {},
): DemoCustomers {
  const random = seededRandom(options.seed ?? DEFAULT_SEED);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: 'silent' });
  const replyDelayMs = options.replyDelayMs ?? 4_000;
  const byWaId = new Map(DEMO_CAST.map((customer) => [customer.waId, customer]));
  const followUpsSent = new Map<DemoCustomer, number>();
  const laterSent = new Map<DemoCustomer, number>();
  const pendingReplies = new Map<DemoCustomer, NodeJS.Timeout>();
  let stopped = false;

  async function write(customer: DemoCustomer, text: string, timestamp?: number): Promise<void> {
    if (stopped) return;
    try {
      await sim.sendInboundText({
        from: customer.waId,
        name: customer.name,
        text,
        ...(options.phoneNumberId === undefined ? {} : { phoneNumberId: options.phoneNumberId }),
        ...(timestamp === undefined ? {} : { timestamp }),
      });
    } catch (error) {
      logger.warn({ err: error, customer: customer.waId }, 'demo customer could not write');
    }
  }

  function nextOf(
    lines: readonly [string, ...string[]],
    counts: Map<DemoCustomer, number>,
    customer: DemoCustomer,
  ): string {
    const index = counts.get(customer) ?? 0;
    counts.set(customer, index + 1);
    return lines[index % lines.length] ?? lines[0];
  }

  async function seedHistory(): Promise<void> {
    const now = clock.now();
    const messages = DEMO_CAST.flatMap((customer) => {
      const { lastMessageAgoMs, lines } = customer.history;
      // Earlier lines a minute or a few before the last one, like someone typing in bursts.
      let at = now - lastMessageAgoMs;
      const timed = lines
        .toReversed()
        .map((text) => {
          const message = { customer, text, at };
          at -= 60_000 + Math.floor(random() * 3 * 60_000);
          return message;
        })
        .toReversed();
      return timed;
    });
    for (const message of messages.toSorted((a, b) => a.at - b.at)) {
      await write(message.customer, message.text, message.at);
    }
  }

  const unsubscribe = sim.onSend((send) => {
    const customer = byWaId.get(send.to.replace(/\D/g, ''));
    // One answer per burst of replies, like a person reading them all at once.
    if (customer === undefined || pendingReplies.has(customer) || stopped) return;
    const timer = setTimeout(() => {
      pendingReplies.delete(customer);
      void write(customer, nextOf(customer.followUps, followUpsSent, customer));
    }, replyDelayMs);
    pendingReplies.set(customer, timer);
  });

  let interval: NodeJS.Timeout | undefined;
  const ready = seedHistory().then(() => {
    if (stopped) return;
    interval = setInterval(() => {
      const customer = pick(random, RETURNING_CUSTOMERS);
      void write(customer, nextOf(customer.later, laterSent, customer));
    }, options.intervalMs ?? 25_000);
  });

  return {
    ready,
    stop() {
      stopped = true;
      unsubscribe();
      clearInterval(interval);
      for (const timer of pendingReplies.values()) clearTimeout(timer);
      pendingReplies.clear();
    },
  };
}
