// Applies one normalized webhook in ONE transaction: conversations, messages, statuses, their events,
// and the raw body of whatever could not be applied. Only after this returns is Meta answered 200.
import { conversationId, windowExpiry, type Conversation, type Message } from '../../shared/domain.ts';
import { recordStatus, saveMessageWithEvent } from '../messages/message-log.ts';
import type { RelayStore } from '../store/relay-store.ts';
import type { InboundMessage, NormalizedWebhook } from './normalize.ts';

export interface IngestOutcome {
  messagesAdded: number;
  duplicates: number;
  statusesApplied: number;
  statusesParked: number;
  statusesIgnored: number;
  /** True when the raw body was kept in unrecognized_webhooks. */
  keptRaw: boolean;
}

const PREVIEW_LENGTH = 200;

function previewOf(message: InboundMessage): string {
  return message.text === null ? `[${message.type}]` : message.text.slice(0, PREVIEW_LENGTH);
}

/** The conversation after `message` arrived. System notices (number changes) do not reopen the window. */
function conversationAfter(existing: Conversation | null, message: InboundMessage): Conversation {
  const byCustomer = message.type !== 'system';
  const previousInbound = existing?.lastInboundAt ?? null;
  const lastInboundAt =
    byCustomer && (previousInbound === null || message.timestamp > previousInbound)
      ? message.timestamp
      : previousInbound;
  const isNewest = existing === null || message.timestamp >= existing.lastMessageAt;
  return {
    id: conversationId(message.phoneNumberId, message.customer.key),
    phoneNumberId: message.phoneNumberId,
    customer: {
      key: message.customer.key,
      waId: message.customer.waId ?? existing?.customer.waId ?? null,
      userId: message.customer.userId ?? existing?.customer.userId ?? null,
      name: message.customer.name ?? existing?.customer.name ?? null,
    },
    status: byCustomer ? 'open' : (existing?.status ?? 'open'),
    assigneeId: existing?.assigneeId ?? null,
    lastInboundAt,
    windowExpiresAt: windowExpiry(lastInboundAt),
    lastMessageAt: isNewest ? message.timestamp : existing.lastMessageAt,
    lastMessagePreview: isNewest ? previewOf(message) : existing.lastMessagePreview,
    referral: existing?.referral ?? null,
  };
}

function addInbound(store: RelayStore, inbound: InboundMessage, at: number): boolean {
  // Meta delivers some messages twice: the stored wamid makes the second delivery a no-op.
  if (store.getMessage(inbound.waMessageId) !== null) return false;
  const conversation = conversationAfter(
    store.getConversation(conversationId(inbound.phoneNumberId, inbound.customer.key)),
    inbound,
  );
  const message: Message = {
    id: inbound.waMessageId,
    conversationId: conversation.id,
    phoneNumberId: inbound.phoneNumberId,
    direction: 'in',
    type: inbound.type,
    text: inbound.text,
    waMessageId: inbound.waMessageId,
    timestamp: inbound.timestamp,
    status: 'received',
    statusAt: null,
    error: inbound.error,
    pricing: null,
    authorId: null,
    payload: inbound.payload,
    media: null,
    context: null,
  };
  store.saveConversation(conversation);
  saveMessageWithEvent(store, message, at);
  store.appendEvent({
    type: 'conversation.upserted',
    at,
    phoneNumberId: conversation.phoneNumberId,
    conversation,
  });
  return true;
}

export function ingestWebhook(
  store: RelayStore,
  webhook: NormalizedWebhook,
  rawBody: Buffer,
  now: number,
): IngestOutcome {
  return store.transaction(() => {
    const outcome: IngestOutcome = {
      messagesAdded: 0,
      duplicates: 0,
      statusesApplied: 0,
      statusesParked: 0,
      statusesIgnored: 0,
      keptRaw: false,
    };
    for (const inbound of webhook.messages) {
      if (addInbound(store, inbound, now)) outcome.messagesAdded += 1;
      else outcome.duplicates += 1;
    }
    for (const update of webhook.statuses) {
      const result = recordStatus(store, update, now);
      if (result === 'applied') outcome.statusesApplied += 1;
      else if (result === 'parked') outcome.statusesParked += 1;
      else outcome.statusesIgnored += 1;
    }
    if (webhook.unhandled.length > 0) {
      store.saveUnrecognizedWebhook(rawBody, webhook.unhandled.join('\n'), now);
      outcome.keptRaw = true;
    }
    return outcome;
  });
}
