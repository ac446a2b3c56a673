// What a batch of cache writes touched, gathered so the UI hears once per conversation, thread and
// catalog (`conversations.changed`, `messages.changed`, `catalog.changed`) rather than once per write.

export interface AppliedChanges {
  /** Conversations whose row (or unread count) changed. */
  conversationIds: string[];
  /** Conversations whose thread changed (a message, or an outbox row it confirmed). */
  threadIds: string[];
  /** Conversations whose notes changed. */
  noteConversationIds: string[];
  templates: boolean;
  quickReplies: boolean;
}

export class ChangeSet {
  readonly conversationIds = new Set<string>();
  readonly threadIds = new Set<string>();
  readonly noteConversationIds = new Set<string>();
  templates = false;
  quickReplies = false;

  add(changes: AppliedChanges): void {
    for (const id of changes.conversationIds) this.conversationIds.add(id);
    for (const id of changes.threadIds) this.threadIds.add(id);
    for (const id of changes.noteConversationIds) this.noteConversationIds.add(id);
    this.templates ||= changes.templates;
    this.quickReplies ||= changes.quickReplies;
  }

  toApplied(): AppliedChanges {
    return {
      conversationIds: [...this.conversationIds],
      threadIds: [...this.threadIds],
      noteConversationIds: [...this.noteConversationIds],
      templates: this.templates,
      quickReplies: this.quickReplies,
    };
  }
}
