// Records one inbound message: stored once (a duplicate delivery changes nothing and logs nothing),
// in the conversation of its customer however Meta names them, with the events consoles apply.
import { isDeepStrictEqual } from 'node:util';
import { conversationId, type Message } from '../../shared/domain.ts';
import type { RelayStore } from '../store/relay-store.ts';
import type { InboundMessage } from '../webhook/normalized.ts';
import { conversationAfter } from './conversation-update.ts';
import { saveMessageWithEvent } from './message-log.ts';

/** Runs inside the caller's transaction. Returns false for a message already stored. */
export function recordInbound(store: RelayStore, inbound: InboundMessage, at: number): boolean {
  if (store.getMessage(inbound.waMessageId) !== null) return false;
  const existing =
    store.getConversation(conversationId(inbound.phoneNumberId, inbound.customer.key)) ??
    store.findConversationByCustomer(inbound.phoneNumberId, inbound.customer);
  const conversation = conversationAfter(existing, inbound);
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
    media: inbound.media,
    context: inbound.context,
    waitingUntil: null,
  };
  const changed = existing === null || !isDeepStrictEqual(existing, conversation);
  // The conversation row first: the message refers to it.
  if (changed) store.saveConversation(conversation);
  saveMessageWithEvent(store, message, at);
  if (changed)
    store.appendEvent({
      type: 'conversation.upserted',
      at,
      phoneNumberId: conversation.phoneNumberId,
      conversation,
    });
  return true;
}
