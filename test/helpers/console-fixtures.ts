// Domain objects and event frames for console tests that feed the cache directly.
import type {
  Alert,
  Conversation,
  Message,
  Note,
  PhoneNumber,
  QuickReply,
  Template,
} from '../../src/shared/domain.ts';
import { conversationId, templateKey, windowExpiry } from '../../src/shared/domain.ts';
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
    waitingUntil: null,
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

export function templateFixture(name: string, overrides: Partial<Template> = {}): Template {
  const language = overrides.language ?? 'es';
  return {
    key: templateKey(name, language),
    id: `tmpl-${name}`,
    name,
    language,
    status: 'APPROVED',
    category: 'UTILITY',
    quality: 'GREEN',
    reason: null,
    updatedAt: T0,
    parameterFormat: null,
    components: [],
    ...overrides,
  };
}

export function phoneNumberFixture(overrides: Partial<PhoneNumber> = {}): PhoneNumber {
  return {
    id: PHONE_NUMBER_ID,
    displayPhoneNumber: '+593 2 555 0100',
    qualityEvent: null,
    messagingLimit: 'TIER_1K',
    updatedAt: T0,
    ...overrides,
  };
}

export function alertFixture(id: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id,
    kind: 'account_update',
    title: 'ACCOUNT_VIOLATION',
    details: { event: 'ACCOUNT_VIOLATION', violation_info: { violation_type: 'SCAM' } },
    at: T0,
    ...overrides,
  };
}

/** A media-rich inbound message: every field a message can carry is set. */
export function richInboundFixture(customer: string, id: string): Message {
  return inboundFixture(customer, id, {
    type: 'image',
    text: 'Así llegó la caja',
    payload: { image: { id: 'media-1', mime_type: 'image/jpeg', caption: 'Así llegó la caja' } },
    media: {
      id: 'media-1',
      mimeType: 'image/jpeg',
      sha256: 'n0+ZbGRx3PQyGO4KWvzS0QZ9TfWvUBPNiTwtuwq5dLM=',
      fileSize: 48_213,
      filename: null,
      state: 'stored',
      error: null,
    },
    context: { replyTo: 'wamid.quoted', forwarded: true, frequentlyForwarded: false },
  });
}

export function noteFixture(customer: string, id: string, overrides: Partial<Note> = {}): Note {
  return {
    id,
    conversationId: conversationId(PHONE_NUMBER_ID, customer),
    phoneNumberId: PHONE_NUMBER_ID,
    authorId: 'agent-1',
    text: 'Cliente frecuente: ofrecer envío gratis',
    at: T0,
    ...overrides,
  };
}

export function quickReplyFixture(id: string, overrides: Partial<QuickReply> = {}): QuickReply {
  return {
    id,
    shortcut: 'horario',
    text: 'Abrimos de lunes a sábado, de 9:00 a 18:00.',
    updatedAt: T0,
    updatedBy: 'agent-1',
    ...overrides,
  };
}

export type FrameItem =
  | { conversation: Conversation }
  | { message: Message }
  | { template: Template }
  | { phoneNumber: PhoneNumber }
  | { alert: Alert }
  | { note: Note }
  | { quickReply: QuickReply }
  | { quickReplyDeleted: string };

/** An events frame numbering its events from `firstSeq`; the cursor is the last seq. */
export function eventsFrame(firstSeq: number, items: FrameItem[]): Extract<ServerFrame, { type: 'events' }> {
  const events: RelayEvent[] = items.map((item, index) => {
    const base = { seq: firstSeq + index, at: T0, phoneNumberId: PHONE_NUMBER_ID };
    if ('conversation' in item) return { ...base, type: 'conversation.upserted', ...item };
    if ('message' in item) return { ...base, type: 'message.upserted', ...item };
    if ('template' in item) return { ...base, phoneNumberId: null, type: 'template.upserted', ...item };
    if ('phoneNumber' in item) return { ...base, type: 'phone_number.upserted', ...item };
    if ('note' in item) return { ...base, type: 'note.upserted', ...item };
    if ('quickReply' in item) return { ...base, phoneNumberId: null, type: 'quick_reply.upserted', ...item };
    if ('quickReplyDeleted' in item)
      return {
        ...base,
        phoneNumberId: null,
        type: 'quick_reply.deleted',
        quickReplyId: item.quickReplyDeleted,
      };
    return { ...base, phoneNumberId: null, type: 'alert.raised', ...item };
  });
  return { type: 'events', events, cursor: firstSeq + items.length - 1 };
}

/** A snapshot page; lists left out are empty. */
export function snapshotFrame(
  page: Partial<Omit<Extract<ServerFrame, { type: 'snapshot' }>, 'type'>>,
): Extract<ServerFrame, { type: 'snapshot' }> {
  return {
    type: 'snapshot',
    conversations: [],
    messages: [],
    templates: [],
    phoneNumbers: [],
    alerts: [],
    notes: [],
    quickReplies: [],
    ...page,
  };
}
