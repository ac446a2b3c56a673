// What a batch of cache writes touched, gathered so the UI hears once per conversation and thread
// (`conversations.changed`, `messages.changed`) rather than once per write.

export interface AppliedChanges {
  /** Conversations whose row (or unread count) changed. */
  conversationIds: string[];
  /** Conversations whose thread changed (a message, or an outbox row it confirmed). */
  threadIds: string[];
}

export class ChangeSet {
  readonly conversationIds = new Set<string>();
  readonly threadIds = new Set<string>();

  add(changes: AppliedChanges): void {
    for (const id of changes.conversationIds) this.conversationIds.add(id);
    for (const id of changes.threadIds) this.threadIds.add(id);
  }

  toApplied(): AppliedChanges {
    return { conversationIds: [...this.conversationIds], threadIds: [...this.threadIds] };
  }
}
