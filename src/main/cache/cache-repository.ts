// Every read and write the console makes to its cache, as prepared statements. Callers group
// writes with `transaction` (the sync client applies a page of events and its cursor in one).
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import type { ConversationListItem } from '../../shared/console-api.ts';
import {
  agentSchema,
  messageStatusSchema,
  type Agent,
  type Conversation,
  type Message,
} from '../../shared/domain.ts';
import { CatalogTables } from './catalog-tables.ts';
import { toConversation, type ConversationRow } from './conversation-rows.ts';
import { InboxQueries } from './inbox-queries.ts';
import { fromJsonColumn, toJsonColumn } from './json-columns.ts';
import { mergeStatus } from './merge-status.ts';
import { messageParams, toMessage, type MessageRow } from './message-rows.ts';
import { NotesTable } from './notes-table.ts';
import { OutboxTable } from './outbox-table.ts';
import { QuickRepliesTable } from './quick-replies-table.ts';
import { ThreadQueries } from './thread-queries.ts';

const syncKeys = {
  cursor: 'cursor',
  agent: 'agent',
  clockOffsetMs: 'clock_offset_ms',
  /** The visibility epoch the mirror was built for (the welcome's, stored once a catch-up completes). */
  epoch: 'epoch',
} as const;

export class CacheRepository {
  /** Templates, phone numbers and alerts: same connection, so they join this repository's transactions. */
  readonly catalog: CatalogTables;
  /** Every action not yet confirmed: same connection, so a confirmation and its deletion are one transaction. */
  readonly outbox: OutboxTable;
  /** Internal notes, per conversation. */
  readonly notes: NotesTable;
  /** The team's quick replies. */
  readonly quickReplies: QuickRepliesTable;
  /** Inbox views, pages and counts. */
  readonly inbox: InboxQueries;
  /** Thread pages. */
  readonly thread: ThreadQueries;
  readonly #db: Database;
  readonly #getState: Statement<[string], { value: string }>;
  readonly #setState: Statement<[string, string]>;
  readonly #upsertConversation: Statement<[Record<string, unknown>]>;
  readonly #getConversation: Statement<[string], ConversationRow>;
  readonly #incrementUnread: Statement<[string]>;
  readonly #clearUnread: Statement<[string]>;
  readonly #conversationIds: Statement<[], string>;
  readonly #seenBeforeRebuild: Statement<[string], number>;
  readonly #carriesRebuild: Statement<[], number>;
  readonly #getMessage: Statement<[string], MessageRow>;
  readonly #insertMessage: Statement<[Record<string, unknown>]>;
  readonly #updateMessage: Statement<[Record<string, unknown>]>;

  constructor(db: Database) {
    this.#db = db;
    this.catalog = new CatalogTables(db);
    this.outbox = new OutboxTable(db);
    this.notes = new NotesTable(db);
    this.quickReplies = new QuickRepliesTable(db);
    this.inbox = new InboxQueries(db);
    this.thread = new ThreadQueries(db);
    this.#getState = db.prepare('SELECT value FROM sync_state WHERE key = ?');
    this.#setState = db.prepare(
      'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    // A conversation seen for the first time counts the inbound messages already cached for it
    // (a page may carry a message before its conversation); later upserts keep the count. During a
    // rebuild it starts from the count carried over, plus only the messages not seen before it.
    this.#upsertConversation = db.prepare(`
      INSERT INTO conversations (id, phone_number_id, customer_key, customer_wa_id, customer_user_id, customer_name,
        status, assignee_id, last_inbound_at, window_expires_at, last_message_at, last_message_preview, unread_count,
        referral_json)
      VALUES (@id, @phoneNumberId, @customerKey, @customerWaId, @customerUserId, @customerName,
        @status, @assigneeId, @lastInboundAt, @windowExpiresAt, @lastMessageAt, @lastMessagePreview,
        COALESCE((SELECT unread_count FROM rebuild_unread WHERE conversation_id = @id), 0)
          + (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = @id AND m.direction = 'in'
               AND NOT EXISTS (SELECT 1 FROM rebuild_seen s WHERE s.message_id = m.id)),
        @referralJson)
      ON CONFLICT (id) DO UPDATE SET
        phone_number_id = excluded.phone_number_id, customer_key = excluded.customer_key,
        customer_wa_id = excluded.customer_wa_id, customer_user_id = excluded.customer_user_id,
        customer_name = excluded.customer_name, status = excluded.status, assignee_id = excluded.assignee_id,
        last_inbound_at = excluded.last_inbound_at, window_expires_at = excluded.window_expires_at,
        last_message_at = excluded.last_message_at, last_message_preview = excluded.last_message_preview,
        referral_json = excluded.referral_json`);
    this.#getConversation = db.prepare('SELECT * FROM conversations WHERE id = ?');
    this.#incrementUnread = db.prepare(
      'UPDATE conversations SET unread_count = unread_count + 1 WHERE id = ?',
    );
    this.#clearUnread = db.prepare('UPDATE conversations SET unread_count = 0 WHERE id = ?');
    this.#conversationIds = db.prepare<[], string>('SELECT id FROM conversations').pluck();
    this.#seenBeforeRebuild = db
      .prepare<[string], number>('SELECT 1 FROM rebuild_seen WHERE message_id = ?')
      .pluck();
    this.#carriesRebuild = db
      .prepare<[], number>(
        'SELECT EXISTS (SELECT 1 FROM rebuild_unread) OR EXISTS (SELECT 1 FROM rebuild_seen)',
      )
      .pluck();
    this.#getMessage = db.prepare('SELECT * FROM messages WHERE id = ?');
    this.#insertMessage = db.prepare(`
      INSERT INTO messages (id, conversation_id, phone_number_id, direction, type, text, wa_message_id, timestamp,
        status, status_at, error_json, pricing_json, author_id, payload_json, media_json, context_json, waiting_until)
      VALUES (@id, @conversationId, @phoneNumberId, @direction, @type, @text, @waMessageId, @timestamp,
        @status, @statusAt, @errorJson, @pricingJson, @authorId, @payloadJson, @mediaJson, @contextJson, @waitingUntil)`);
    this.#updateMessage = db.prepare(`
      UPDATE messages SET conversation_id = @conversationId, phone_number_id = @phoneNumberId, direction = @direction,
        type = @type, text = @text, wa_message_id = @waMessageId, timestamp = @timestamp, status = @status,
        status_at = @statusAt, error_json = @errorJson, pricing_json = @pricingJson, author_id = @authorId,
        payload_json = @payloadJson, media_json = @mediaJson, context_json = @contextJson,
        waiting_until = @waitingUntil
      WHERE id = @id`);
  }

  /** Runs `work` in one SQLite transaction: all of it lands, or none of it. */
  transaction<T>(work: () => T): T {
    return this.#db.transaction(work)();
  }

  // --- sync state -------------------------------------------------------------------------------

  getCursor(): number {
    return this.#readState(syncKeys.cursor, z.number().int().nonnegative()) ?? 0;
  }

  setCursor(cursor: number): void {
    this.#setState.run(syncKeys.cursor, JSON.stringify(cursor));
  }

  getAgent(): Agent | null {
    return this.#readState(syncKeys.agent, agentSchema);
  }

  setAgent(agent: Agent): void {
    this.#setState.run(syncKeys.agent, JSON.stringify(agent));
  }

  getClockOffsetMs(): number {
    return this.#readState(syncKeys.clockOffsetMs, z.number()) ?? 0;
  }

  setClockOffsetMs(offsetMs: number): void {
    this.#setState.run(syncKeys.clockOffsetMs, JSON.stringify(offsetMs));
  }

  /** The visibility epoch the mirror was built for (hello.epoch); 0 until a catch-up has completed. */
  getEpoch(): number {
    return this.#readState(syncKeys.epoch, z.number().int().nonnegative()) ?? 0;
  }

  setEpoch(epoch: number): void {
    this.#setState.run(syncKeys.epoch, JSON.stringify(epoch));
  }

  #readState<T>(key: string, schema: z.ZodType<T>): T | null {
    const row = this.#getState.get(key);
    return row ? fromJsonColumn(schema, row.value, `sync_state.${key}`) : null;
  }

  // --- conversations ----------------------------------------------------------------------------

  upsertConversation(conversation: Conversation): void {
    this.#upsertConversation.run({
      id: conversation.id,
      phoneNumberId: conversation.phoneNumberId,
      customerKey: conversation.customer.key,
      customerWaId: conversation.customer.waId,
      customerUserId: conversation.customer.userId,
      customerName: conversation.customer.name,
      status: conversation.status,
      assigneeId: conversation.assigneeId,
      lastInboundAt: conversation.lastInboundAt,
      windowExpiresAt: conversation.windowExpiresAt,
      lastMessageAt: conversation.lastMessageAt,
      lastMessagePreview: conversation.lastMessagePreview,
      referralJson: toJsonColumn(conversation.referral),
    });
  }

  getConversation(id: string): ConversationListItem | null {
    const row = this.#getConversation.get(id);
    return row ? toConversation(row) : null;
  }

  /** Every cached conversation id, in no particular order. */
  conversationIds(): string[] {
    return this.#conversationIds.all();
  }

  /** Returns false when no such conversation is cached. */
  clearUnread(conversationId: string): boolean {
    return this.#clearUnread.run(conversationId).changes > 0;
  }

  // --- messages ---------------------------------------------------------------------------------

  /**
   * Idempotent: a message seen again updates in place, and its status never moves back. An inbound
   * message this console sees for the first time is unread (`unread`: its conversation's count went
   * up); one it had already seen before a rebuild is not counted twice.
   */
  upsertMessage(message: Message): { inserted: boolean; unread: boolean } {
    const cached = this.#getMessage.get(message.id);
    if (!cached) {
      this.#insertMessage.run(messageParams(message));
      const unread = message.direction === 'in' && this.#seenBeforeRebuild.get(message.id) === undefined;
      if (unread) this.#incrementUnread.run(message.conversationId);
      return { inserted: true, unread };
    }
    const current = messageStatusSchema.parse(cached.status);
    const status = mergeStatus(current, message.status);
    const keepsCachedStatus = status !== message.status;
    this.#updateMessage.run({
      ...messageParams(message),
      status,
      statusAt: keepsCachedStatus ? cached.status_at : message.statusAt,
      errorJson: keepsCachedStatus ? cached.error_json : toJsonColumn(message.error),
      pricingJson: toJsonColumn(message.pricing) ?? cached.pricing_json,
    });
    return { inserted: false, unread: false };
  }

  getMessage(id: string): Message | null {
    const row = this.#getMessage.get(id);
    return row ? toMessage(row) : null;
  }

  /** The newest `limit` messages of a thread, oldest first. */
  listMessages(conversationId: string, limit: number): Message[] {
    return this.thread.newest(conversationId, limit).map(({ message }) => message);
  }

  // --- rebuild ----------------------------------------------------------------------------------

  /**
   * The relay asked for a rebuild: forgets the whole mirror (notes and quick replies included: the
   * snapshot carries them back) and sets the cursor to 0, keeping the outbox and the sync state. Unread counts and the inbound messages already seen are carried over
   * until `endRebuild`. Run it in a transaction. A rebuild interrupted and begun again keeps
   * what the first one carried, updated by what it had rebuilt since.
   */
  beginRebuild(): void {
    this.#db.exec(`
      INSERT OR REPLACE INTO rebuild_unread (conversation_id, unread_count)
        SELECT id, unread_count FROM conversations;
      -- Seen means counted: a message whose conversation has not arrived yet was not counted.
      INSERT OR IGNORE INTO rebuild_seen (message_id)
        SELECT m.id FROM messages m
        WHERE m.direction = 'in' AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = m.conversation_id);
      DELETE FROM messages;
      DELETE FROM conversations;
      DELETE FROM templates;
      DELETE FROM phone_numbers;
      DELETE FROM alerts;
      DELETE FROM notes;
      DELETE FROM quick_replies;
    `);
    this.setCursor(0);
  }

  /** True while something is carried over from a rebuild that has not ended (a restart may come between). */
  carriesRebuild(): boolean {
    return this.#carriesRebuild.get() === 1;
  }

  /** The rebuilt mirror stands on its own: what was carried over is no longer needed. */
  endRebuild(): void {
    this.#db.exec('DELETE FROM rebuild_unread; DELETE FROM rebuild_seen;');
  }
}
