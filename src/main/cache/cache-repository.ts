// Every read and write the console makes to its cache, as prepared statements. Callers group
// writes with `transaction` (the sync client applies a page of events and its cursor in one).
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import type { ConversationListItem } from '../../shared/console-api.ts';
import {
  agentSchema,
  mediaSchema,
  messageContextSchema,
  messageStatusSchema,
  pricingSchema,
  referralSchema,
  whatsAppErrorSchema,
  type Agent,
  type Conversation,
  type Message,
} from '../../shared/domain.ts';
import { commandSchema, type Command } from '../../shared/protocol.ts';
import { errorInfoSchema, type ErrorInfo } from '../../shared/result.ts';
import { CatalogTables } from './catalog-tables.ts';
import { fromJsonColumn, toJsonColumn } from './json-columns.ts';
import { mergeStatus } from './merge-status.ts';

export type OutboxState = 'pending' | 'failed';

export interface OutboxRow {
  mutationId: string;
  conversationId: string;
  command: Command;
  /** Relay time (ms) when the agent queued it: orders it among confirmed messages. */
  createdAt: number;
  state: OutboxState;
  error: ErrorInfo | null;
  attempts: number;
}

interface ConversationRow {
  id: string;
  phone_number_id: string;
  customer_key: string;
  customer_wa_id: string | null;
  customer_user_id: string | null;
  customer_name: string | null;
  status: string;
  assignee_id: string | null;
  last_inbound_at: number | null;
  window_expires_at: number | null;
  last_message_at: number;
  last_message_preview: string;
  unread_count: number;
  referral_json: string | null;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  phone_number_id: string;
  direction: string;
  type: string;
  text: string | null;
  wa_message_id: string | null;
  timestamp: number;
  status: string;
  status_at: number | null;
  error_json: string | null;
  pricing_json: string | null;
  author_id: string | null;
  payload_json: string | null;
  media_json: string | null;
  context_json: string | null;
}

interface OutboxDbRow {
  mutation_id: string;
  conversation_id: string;
  command_json: string;
  created_at: number;
  state: string;
  error_json: string | null;
  attempts: number;
}

const payloadSchema = z.record(z.string(), z.unknown());
const conversationStatusColumn = z.enum(['open', 'closed']);
const directionColumn = z.enum(['in', 'out']);
const outboxStateColumn = z.enum(['pending', 'failed']);

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
  readonly #db: Database;
  readonly #getState: Statement<[string], { value: string }>;
  readonly #setState: Statement<[string, string]>;
  readonly #upsertConversation: Statement<[Record<string, unknown>]>;
  readonly #getConversation: Statement<[string], ConversationRow>;
  readonly #listConversations: Statement<[number], ConversationRow>;
  readonly #incrementUnread: Statement<[string]>;
  readonly #clearUnread: Statement<[string]>;
  readonly #conversationIds: Statement<[], string>;
  readonly #seenBeforeRebuild: Statement<[string], number>;
  readonly #carriesRebuild: Statement<[], number>;
  readonly #getMessage: Statement<[string], MessageRow>;
  readonly #insertMessage: Statement<[Record<string, unknown>]>;
  readonly #updateMessage: Statement<[Record<string, unknown>]>;
  readonly #listMessages: Statement<[string, number, number], MessageRow>;
  readonly #insertOutbox: Statement<[Record<string, unknown>]>;
  readonly #getOutbox: Statement<[string], OutboxDbRow>;
  readonly #deleteOutbox: Statement<[string]>;
  readonly #failOutbox: Statement<[string, string]>;
  readonly #countAttempt: Statement<[string]>;
  readonly #pendingOutbox: Statement<[], OutboxDbRow>;
  readonly #outboxOfConversation: Statement<[string], OutboxDbRow>;

  constructor(db: Database) {
    this.#db = db;
    this.catalog = new CatalogTables(db);
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
    this.#listConversations = db.prepare(
      'SELECT * FROM conversations ORDER BY last_message_at DESC, id LIMIT ?',
    );
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
        status, status_at, error_json, pricing_json, author_id, payload_json, media_json, context_json)
      VALUES (@id, @conversationId, @phoneNumberId, @direction, @type, @text, @waMessageId, @timestamp,
        @status, @statusAt, @errorJson, @pricingJson, @authorId, @payloadJson, @mediaJson, @contextJson)`);
    this.#updateMessage = db.prepare(`
      UPDATE messages SET conversation_id = @conversationId, phone_number_id = @phoneNumberId, direction = @direction,
        type = @type, text = @text, wa_message_id = @waMessageId, timestamp = @timestamp, status = @status,
        status_at = @statusAt, error_json = @errorJson, pricing_json = @pricingJson, author_id = @authorId,
        payload_json = @payloadJson, media_json = @mediaJson, context_json = @contextJson
      WHERE id = @id`);
    this.#listMessages = db.prepare(`
      SELECT * FROM messages WHERE conversation_id = ? AND timestamp < ?
      ORDER BY timestamp DESC, rowid DESC LIMIT ?`);
    this.#insertOutbox = db.prepare(`
      INSERT INTO outbox (mutation_id, conversation_id, command_json, created_at, state, error_json, attempts)
      VALUES (@mutationId, @conversationId, @commandJson, @createdAt, 'pending', NULL, 0)`);
    this.#getOutbox = db.prepare('SELECT * FROM outbox WHERE mutation_id = ?');
    this.#deleteOutbox = db.prepare('DELETE FROM outbox WHERE mutation_id = ?');
    this.#failOutbox = db.prepare(`UPDATE outbox SET state = 'failed', error_json = ? WHERE mutation_id = ?`);
    this.#countAttempt = db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE mutation_id = ?');
    this.#pendingOutbox = db.prepare(
      `SELECT * FROM outbox WHERE state = 'pending' ORDER BY created_at, rowid`,
    );
    this.#outboxOfConversation = db.prepare(
      'SELECT * FROM outbox WHERE conversation_id = ? ORDER BY created_at, rowid',
    );
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

  /** The inbox: newest activity first. */
  listConversations(limit: number): ConversationListItem[] {
    return this.#listConversations.all(limit).map(toConversation);
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

  /** The newest `limit` messages older than `before`, oldest first. */
  listMessages(conversationId: string, limit: number, before = Number.MAX_SAFE_INTEGER): Message[] {
    return this.#listMessages.all(conversationId, before, limit).map(toMessage).reverse();
  }

  // --- outbox -----------------------------------------------------------------------------------

  insertOutbox(row: {
    mutationId: string;
    conversationId: string;
    command: Command;
    createdAt: number;
  }): void {
    this.#insertOutbox.run({
      mutationId: row.mutationId,
      conversationId: row.conversationId,
      commandJson: JSON.stringify(row.command),
      createdAt: row.createdAt,
    });
  }

  getOutbox(mutationId: string): OutboxRow | null {
    const row = this.#getOutbox.get(mutationId);
    return row ? toOutboxRow(row) : null;
  }

  /** Returns whether a row was there. */
  deleteOutbox(mutationId: string): boolean {
    return this.#deleteOutbox.run(mutationId).changes > 0;
  }

  markOutboxFailed(mutationId: string, error: ErrorInfo): boolean {
    return this.#failOutbox.run(JSON.stringify(error), mutationId).changes > 0;
  }

  countSendAttempt(mutationId: string): void {
    this.#countAttempt.run(mutationId);
  }

  /** Rows still to be confirmed, in the order the agent wrote them. */
  pendingOutbox(): OutboxRow[] {
    return this.#pendingOutbox.all().map(toOutboxRow);
  }

  outboxOfConversation(conversationId: string): OutboxRow[] {
    return this.#outboxOfConversation.all(conversationId).map(toOutboxRow);
  }

  // --- rebuild ----------------------------------------------------------------------------------

  /**
   * The relay asked for a rebuild: forgets the whole mirror and sets the cursor to 0, keeping the
   * outbox and the sync state. Unread counts and the inbound messages already seen are carried over
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

function toConversation(row: ConversationRow): ConversationListItem {
  return {
    id: row.id,
    phoneNumberId: row.phone_number_id,
    customer: {
      key: row.customer_key,
      waId: row.customer_wa_id,
      userId: row.customer_user_id,
      name: row.customer_name,
    },
    status: conversationStatusColumn.parse(row.status),
    assigneeId: row.assignee_id,
    lastInboundAt: row.last_inbound_at,
    windowExpiresAt: row.window_expires_at,
    lastMessageAt: row.last_message_at,
    lastMessagePreview: row.last_message_preview,
    referral: fromJsonColumn(referralSchema, row.referral_json, 'conversations.referral_json'),
    unreadCount: row.unread_count,
  };
}

function messageParams(message: Message): Record<string, unknown> {
  return {
    id: message.id,
    conversationId: message.conversationId,
    phoneNumberId: message.phoneNumberId,
    direction: message.direction,
    type: message.type,
    text: message.text,
    waMessageId: message.waMessageId,
    timestamp: message.timestamp,
    status: message.status,
    statusAt: message.statusAt,
    errorJson: toJsonColumn(message.error),
    pricingJson: toJsonColumn(message.pricing),
    authorId: message.authorId,
    payloadJson: toJsonColumn(message.payload),
    mediaJson: toJsonColumn(message.media),
    contextJson: toJsonColumn(message.context),
  };
}

function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    phoneNumberId: row.phone_number_id,
    direction: directionColumn.parse(row.direction),
    type: row.type,
    text: row.text,
    waMessageId: row.wa_message_id,
    timestamp: row.timestamp,
    status: messageStatusSchema.parse(row.status),
    statusAt: row.status_at,
    error: fromJsonColumn(whatsAppErrorSchema, row.error_json, 'messages.error_json'),
    pricing: fromJsonColumn(pricingSchema, row.pricing_json, 'messages.pricing_json'),
    authorId: row.author_id,
    payload: fromJsonColumn(payloadSchema, row.payload_json, 'messages.payload_json'),
    media: fromJsonColumn(mediaSchema, row.media_json, 'messages.media_json'),
    context: fromJsonColumn(messageContextSchema, row.context_json, 'messages.context_json'),
    waitingUntil: null,
  };
}

function toOutboxRow(row: OutboxDbRow): OutboxRow {
  const command = fromJsonColumn(commandSchema, row.command_json, 'outbox.command_json');
  if (command === null) throw new Error('unreachable: command_json is NOT NULL');
  return {
    mutationId: row.mutation_id,
    conversationId: row.conversation_id,
    command,
    createdAt: row.created_at,
    state: outboxStateColumn.parse(row.state),
    error: fromJsonColumn(errorInfoSchema, row.error_json, 'outbox.error_json'),
    attempts: row.attempts,
  };
}
