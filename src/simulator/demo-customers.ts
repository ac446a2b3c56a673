// Scripted customers for the demo: they seed a day of conversations (texts, a photo, a location,
// a voice note, a first message from an ad), come back on their own every `intervalMs`, and answer
// the business a few seconds after each reply (one of them with a 👍 on it first). Choices come
// from a seeded PRNG, so every demo run tells the same story.
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.ts';
import { DEMO_CAST } from './demo-cast.ts';
import type { DemoCustomer, DemoLine } from './demo-cast.ts';
import { blousePhoto, voiceNote } from './demo-media/samples.ts';
import type { Simulator } from './index.ts';
import {
  adReferral,
  imageMessage,
  locationMessage,
  reactionMessage,
  textMessage,
  voiceMessage,
} from './payloads/index.ts';
import type { MessageBody } from './payloads/index.ts';
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
  /** Where "now" is for the seeded history (default the simulator's clock). */
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

type DemoSimulator = Pick<Simulator, 'sendInbound' | 'addMedia' | 'onSend' | 'clock'>;

/** A history line as the message Meta would deliver; media is registered with the simulator first. */
function messageOf(sim: DemoSimulator, line: DemoLine): MessageBody {
  if (typeof line === 'string') return textMessage(line);
  if ('photo' in line) {
    const id = sim.addMedia({ bytes: blousePhoto(), mimeType: 'image/png' });
    return imageMessage({ id, caption: line.photo.caption });
  }
  if ('location' in line) return locationMessage(line.location);
  const id = sim.addMedia({ bytes: voiceNote(line.voiceNote.seconds), mimeType: 'audio/ogg; codecs=opus' });
  return voiceMessage({ id });
}

export function startDemoCustomers(sim: DemoSimulator, options: DemoCustomersOptions = {}): DemoCustomers {
  const random = seededRandom(options.seed ?? DEFAULT_SEED);
  const clock = options.clock ?? sim.clock;
  const logger = options.logger ?? pino({ level: 'silent' });
  const replyDelayMs = options.replyDelayMs ?? 4_000;
  const byWaId = new Map(DEMO_CAST.map((customer) => [customer.waId, customer]));
  const followUpsSent = new Map<DemoCustomer, number>();
  const laterSent = new Map<DemoCustomer, number>();
  const pendingReplies = new Map<DemoCustomer, NodeJS.Timeout>();
  const lastReplyTo = new Map<DemoCustomer, string>();
  let stopped = false;

  async function write(
    customer: DemoCustomer,
    message: () => MessageBody,
    extra: { timestamp?: number; referral?: Record<string, unknown> } = {},
  ): Promise<void> {
    if (stopped) return;
    try {
      await sim.sendInbound({
        from: customer.waId,
        name: customer.name,
        message: message(),
        ...(options.phoneNumberId === undefined ? {} : { phoneNumberId: options.phoneNumberId }),
        ...extra,
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
        .map((line) => {
          const message = { customer, line, at, first: false };
          at -= 60_000 + Math.floor(random() * 3 * 60_000);
          return message;
        })
        .toReversed();
      if (timed[0] !== undefined) timed[0].first = true;
      return timed;
    });
    for (const { customer, line, at, first } of messages.toSorted((a, b) => a.at - b.at)) {
      // The ad's referral rides on the first message the customer sent from it.
      const ad = first ? customer.fromAd : undefined;
      await write(customer, () => messageOf(sim, line), {
        timestamp: at,
        ...(ad === undefined ? {} : { referral: adReferral(ad) }),
      });
    }
  }

  async function answer(customer: DemoCustomer): Promise<void> {
    const reply = lastReplyTo.get(customer);
    if (customer.reactsToReplies !== undefined && reply !== undefined) {
      const emoji = customer.reactsToReplies;
      await write(customer, () => reactionMessage({ messageId: reply, emoji }));
    }
    await write(customer, () => textMessage(nextOf(customer.followUps, followUpsSent, customer)));
  }

  const unsubscribe = sim.onSend((send) => {
    const customer = byWaId.get(send.to.replace(/\D/g, ''));
    if (customer === undefined || stopped) return;
    lastReplyTo.set(customer, send.wamid);
    // One answer per burst of replies, like a person reading them all at once.
    if (pendingReplies.has(customer)) return;
    const timer = setTimeout(() => {
      pendingReplies.delete(customer);
      void answer(customer);
    }, replyDelayMs);
    pendingReplies.set(customer, timer);
  });

  let interval: NodeJS.Timeout | undefined;
  const ready = seedHistory().then(() => {
    if (stopped) return;
    interval = setInterval(() => {
      const customer = pick(random, RETURNING_CUSTOMERS);
      void write(customer, () => textMessage(nextOf(customer.later, laterSent, customer)));
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
