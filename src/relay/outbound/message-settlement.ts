// A queued message after the dispatcher heard from Meta (or gave up hearing): each change is saved
// with its `message.upserted` event, inside the caller's transaction. Status webhooks may have got
// there first (Meta sends `sent` before the answer at times), so nothing here moves a status back.
import { statusMovesForward, type Message, type WhatsAppError } from '../../shared/domain.ts';
import { applyParkedStatuses, saveMessageWithEvent } from '../messages/message-log.ts';
import type { RelayStore } from '../store/relay-store.ts';

function update(
  store: RelayStore,
  messageId: string,
  at: number,
  change: (message: Message) => Message | null,
): Message | null {
  const current = store.getMessage(messageId);
  if (current === null) return null;
  const next = change(current);
  if (next === null) return current;
  saveMessageWithEvent(store, next, at);
  return next;
}

/** Meta took it: the wamid is known, and statuses parked under it apply now. */
export function settleAccepted(store: RelayStore, messageId: string, waMessageId: string, at: number): void {
  const message = update(store, messageId, at, (current) => ({
    ...current,
    waMessageId,
    waitingUntil: null,
    ...(statusMovesForward(current.status, 'accepted') ? { status: 'accepted' as const, statusAt: at } : {}),
  }));
  if (message !== null) applyParkedStatuses(store, message, at);
}

/** Meta refused it for good: failed, with Meta's error as it came. */
export function settleFailed(store: RelayStore, messageId: string, error: WhatsAppError, at: number): void {
  update(store, messageId, at, (current) =>
    statusMovesForward(current.status, 'failed')
      ? { ...current, status: 'failed', statusAt: at, error, waitingUntil: null }
      : null,
  );
}

/** It may or may not have gone out. Only a message nobody has heard of since becomes unknown. */
export function settleUnknown(store: RelayStore, messageId: string, at: number): void {
  update(store, messageId, at, (current) =>
    current.status === 'queued' ? { ...current, status: 'unknown', statusAt: at, waitingUntil: null } : null,
  );
}

/** Held back by pacing until `until`: consoles show it waiting. */
export function markWaiting(store: RelayStore, messageId: string, until: number, at: number): void {
  update(store, messageId, at, (current) =>
    current.status === 'queued' ? { ...current, waitingUntil: until } : null,
  );
}
