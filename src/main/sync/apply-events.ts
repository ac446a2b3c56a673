// Applies one `events` frame to the cache: every event and the frame's cursor in ONE transaction,
// so a crash leaves either all of it or none of it, and the replay after a restart starts exactly
// where the cache stands. Every write is an idempotent upsert, so a replayed page changes nothing.
import type { RelayEvent, ServerFrame } from '../../shared/protocol.ts';
import type { CacheRepository } from '../cache/cache-repository.ts';
import { ChangeSet, type AppliedChanges } from './change-set.ts';
import type { SyncHooks } from './sync-hooks.ts';

export type { AppliedChanges } from './change-set.ts';

export type EventsFrame = Extract<ServerFrame, { type: 'events' }>;

export function applyEventsFrame(
  repo: CacheRepository,
  frame: EventsFrame,
  hooks?: SyncHooks,
): AppliedChanges {
  const changes = new ChangeSet();
  repo.transaction(() => {
    let applied = 0;
    for (const event of frame.events) {
      applyEvent(repo, event, changes);
      applied += 1;
      hooks?.insideApplyTransaction?.(applied);
    }
    // The cursor only moves forward: a page replayed from an older position must not rewind it.
    if (frame.cursor > repo.getCursor()) repo.setCursor(frame.cursor);
  });
  return changes.toApplied();
}

function applyEvent(repo: CacheRepository, event: RelayEvent, changes: ChangeSet): void {
  switch (event.type) {
    case 'conversation.upserted':
      repo.upsertConversation(event.conversation);
      changes.conversationIds.add(event.conversation.id);
      return;
    case 'message.upserted': {
      const { message } = event;
      // Only a message seen for the first time is news; a replayed one was counted already.
      if (repo.upsertMessage(message).unread) changes.conversationIds.add(message.conversationId);
      // An outbound message carries the mutation id that created it: its outbox row is done.
      repo.deleteOutbox(message.id);
      changes.threadIds.add(message.conversationId);
      return;
    }
    // Templates, numbers and alerts have no console event of their own yet: the UI reads them when
    // it shows them, and the cache is current by then.
    case 'template.upserted':
      repo.catalog.upsertTemplate(event.template);
      return;
    case 'phone_number.upserted':
      repo.catalog.upsertPhoneNumber(event.phoneNumber);
      return;
    case 'alert.raised':
      repo.catalog.upsertAlert(event.alert);
      return;
  }
}
