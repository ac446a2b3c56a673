// Changes to messages always go to the event log with them: these helpers save a message and append
// its `message.upserted` event together (callers run them inside a store transaction).
import type { Message } from '../../shared/domain.ts';
import type { RelayStore } from '../store/relay-store.ts';
import { noteCustomerUserId } from './customer-identity.ts';
import { applyStatusUpdate, type StatusUpdate } from './status-update.ts';

export function saveMessageWithEvent(store: RelayStore, message: Message, at: number): void {
  store.saveMessage(message);
  store.appendEvent({ type: 'message.upserted', at, phoneNumberId: message.phoneNumberId, message });
}

/** The outbound message a status is about: by wamid, else by the tracker (= mutation id = message id). */
function findStatusTarget(store: RelayStore, update: StatusUpdate): Message | null {
  const byWaId = store.findMessageByWaId(update.waMessageId);
  if (byWaId !== null) return byWaId;
  if (update.bizOpaqueCallbackData === null) return null;
  const byTracker = store.getMessage(update.bizOpaqueCallbackData);
  const matches = byTracker !== null && byTracker.direction === 'out' && byTracker.waMessageId === null;
  return matches ? byTracker : null;
}

/** Applies a status (only ever forward); parks it when its message is not known yet. Returns what happened. */
export function recordStatus(
  store: RelayStore,
  update: StatusUpdate,
  at: number,
): 'applied' | 'ignored' | 'parked' {
  const message = findStatusTarget(store, update);
  if (message === null) {
    store.parkStatus(update, at);
    return 'parked';
  }
  if (update.recipientUserId !== null)
    noteCustomerUserId(store, message.conversationId, update.recipientUserId, at);
  const next = applyStatusUpdate(message, update);
  if (next === null) return 'ignored';
  saveMessageWithEvent(store, next, at);
  // The tracker may just have revealed the wamid that earlier statuses were parked under.
  if (message.waMessageId === null && next.waMessageId !== null) applyParkedStatuses(store, next, at);
  return 'applied';
}

/** Applies, in arrival order, the statuses parked for a message whose wamid just became known (one event). */
export function applyParkedStatuses(store: RelayStore, message: Message, at: number): Message {
  if (message.waMessageId === null) return message;
  let current = message;
  for (const update of store.takeParkedStatuses(message.waMessageId)) {
    if (update.recipientUserId !== null)
      noteCustomerUserId(store, message.conversationId, update.recipientUserId, at);
    current = applyStatusUpdate(current, update) ?? current;
  }
  if (current !== message) saveMessageWithEvent(store, current, at);
  return current;
}
