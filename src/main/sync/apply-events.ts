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
      repo.outbox.delete(message.id);
      changes.threadIds.add(message.conversationId);
      return;
    }
    case 'template.upserted':
      repo.catalog.upsertTemplate(event.template);
      changes.templates = true;
      return;
    // Numbers and alerts have no console event of their own yet: the UI reads them when it shows
    // them, and the cache is current by then.
    case 'phone_number.upserted':
      repo.catalog.upsertPhoneNumber(event.phoneNumber);
      return;
    case 'alert.raised':
      repo.catalog.upsertAlert(event.alert);
      return;
    case 'note.upserted':
      repo.notes.upsert(event.note);
      // A note's id is the mutation id of the add_note that created it.
      repo.outbox.delete(event.note.id);
      changes.noteConversationIds.add(event.note.conversationId);
      return;
    case 'quick_reply.upserted':
      repo.quickReplies.upsert(event.quickReply);
      // A created quick reply's id is the mutation id of its quick_reply_create. (Updates and
      // deletes keep the reply's id, so their outbox rows are settled by the command result.)
      repo.outbox.delete(event.quickReply.id);
      changes.quickReplies = true;
      return;
    case 'quick_reply.deleted':
      repo.quickReplies.delete(event.quickReplyId);
      changes.quickReplies = true;
      return;
  }
}
