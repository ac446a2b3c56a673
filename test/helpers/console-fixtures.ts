// Domain objects and event frames for console tests that feed the cache directly.
import type { Conversation, Message } from '../../src/shared/domain.ts';
import { conversationId, windowExpiry } from '../../src/shared/domain.ts';
import type { RelayEvent, ServerFrame } from '../../src/shared/protocol.ts';

export const PHONE_NUMBER_ID = '106540352242922';
export const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

export function conversationFixture(customer: string, overrides: Partial<Conversation> = {}): Conversation {
  const lastInboundAt = overrides.lastInboundAt === undefined ? T0 : overrides.lastInboundAt;
  return {
    id: conversationId(PHONE_NUMBER_ID, customer),
    phoneNumberId: PHONE_NUMBER_ID,
    customer: { key: customer, waId: customer, userId: null, name: `Cliente ${customer.slice(-4)}` },
    status: 'open',
    assigneeId: null,
    lastInboundAt,
    windowExpiresAt: windowExpiry(lastInboundAt),
    lastMessageAt: T0,
    lastMessagePreview: 'Hola',
    referral: null,
    ...overrides,
  };
}

export function inboundFixture(customer: string, id: string, overrides: Partial<Message> = {}): Message {
  return {
    id,
    conversationId: conversationId(PHONE_NUMBER_ID, customer),
    phoneNumberId: PHONE_NUMBER_ID,
    direction: 'in',
    type: 'text',
    text: 'Hola, ¿tienen envíos a Quito?',
    waMessageId: id,
    timestamp: T0,
    status: 'received',
    statusAt: null,
    error: null,
    pricing: null,
    authorId: null,
    payload: null,
    media: null,
    context: null,
    ...overrides,
  };
}

export function outboundFixture(
  customer: string,
  mutationId: string,
  overrides: Partial<Message> = {},
): Message {
  return inboundFixture(customer, mutationId, {
    direction: 'out',
    text: 'Sí, enviamos a todo Ecuador.',
    waMessageId: null,
    status: 'queued',
    authorId: 'agent-1',
    ...overrides,
  });
}

/** An events frame numbering its events from `firstSeq`; the cursor is the last seq. */
export function eventsFrame(
  firstSeq: number,
  items: ({ conversation: Conversation } | { message: Message })[],
): Extract<ServerFrame, { type: 'events' }> {
  const events: RelayEvent[] = items.map((item, index) => {
    const base = { seq: firstSeq + index, at: T0, phoneNumberId: PHONE_NUMBER_ID };
    return 'conversation' in item
      ? { ...base, type: 'conversation.upserted', conversation: item.conversation }
      : { ...base, type: 'message.upserted', message: item.message };
  });
  return { type: 'events', events, cursor: firstSeq + items.length - 1 };
}
