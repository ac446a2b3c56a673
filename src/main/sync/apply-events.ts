// Applies one `events` frame to the cache: every event and the frame's cursor in ONE transaction,
// so a crash leaves either all of it or none of it, and the replay after a restart starts exactly
// where the cache stands. Every write is an idempotent upsert, so a replayed page changes nothing.
import type { ServerFrame } from '../../shared/protocol.ts';
import type { CacheRepository } from '../cache/cache-repository.ts';
import type { SyncHooks } from './sync-hooks.ts';

export type EventsFrame = Extract<ServerFrame, { type: 'events' }>;

export interface AppliedChanges {
  /** Conversations whose row (or unread count) changed. */
  conversationIds: string[];
  /** Conversations whose thread changed (a message, or an outbox row it confirmed). */
  threadIds: string[];
}

export function applyEventsFrame(
  repo: CacheRepository,
  frame: EventsFrame,
  hooks?: SyncHooks,
): AppliedChanges {
  const conversationIds = new Set<string>();
  const threadIds = new Set<string>();
  repo.transaction(() => {
    let applied = 0;
    for (const event of frame.events) {
      switch (event.type) {
        case 'conversation.upserted':
          repo.upsertConversation(event.conversation);
          conversationIds.add(event.conversation.id);
          break;
        case 'message.upserted': {
          const { message } = event;
          const { inserted } = repo.upsertMessage(message);
          // Only a message seen for the first time is news; a replayed one was counted already.
          if (inserted && message.direction === 'in') {
            repo.incrementUnread(message.conversationId);
            conversationIds.add(message.conversationId);
          }
          // An outbound message carries the mutation id that created it: its outbox row is done.
          repo.deleteOutbox(message.id);
          threadIds.add(message.conversationId);
          break;
        }
      }
      applied += 1;
      hooks?.insideApplyTransaction?.(applied);
    }
    // The cursor only moves forward: a page replayed from an older position must not rewind it.
    if (frame.cursor > repo.getCursor()) repo.setCursor(frame.cursor);
  });
  return { conversationIds: [...conversationIds], threadIds: [...threadIds] };
}
