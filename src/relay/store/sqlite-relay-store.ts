// The relay's store in one SQLite file (WAL, synchronous=FULL: a webhook answered 200 survives a
// power cut). Rows are mapped back to domain objects through the shared zod schemas, so a damaged
// row fails loudly instead of travelling to consoles.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { z } from 'zod';
import {
  alertSchema,
  conversationSchema,
  messageSchema,
  phoneNumberSchema,
  templateSchema,
  type Conversation,
  type Message,
} from '../../shared/domain.ts';
import {
  commandResultSchema,
  relayEventSchema,
  type CommandResult,
  type RelayEvent,
  type RelayEventType,
} from '../../shared/protocol.ts';
import { unrecognizedWebhookAlert } from '../catalog/alerts.ts';
import { statusUpdateSchema, type StatusUpdate } from '../messages/status-update.ts';
import { migrate } from './migrate.ts';
import type {
  EventsListener,
  MutationRecord,
  NewRelayEvent,
  RelayStore,
  StoredEvent,
} from './relay-store.ts';

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
  waiting_until: number | null;
}

interface MutationRow {
  mutation_id: string;
  agent_id: string;
  state: string;
  result_json: string | null;
  created_at: number;
}

const jsonOrNull = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));
const parseJsonOrNull = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
const mutationStateSchema = z.enum(['executing', 'done']);
/** Display numbers are compared on their digits: Meta writes them with or without + and spaces. */
const displayDigits = (display: string | null): string | null =>
  display === null ? null : display.replace(/\D/g, '') || null;

function toConversation(row: ConversationRow): Conversation {
  return conversationSchema.parse({
    id: row.id,
    phoneNumberId: row.phone_number_id,
    customer: {
      key: row.customer_key,
      waId: row.customer_wa_id,
      userId: row.customer_user_id,
      name: row.customer_name,
    },
    status: row.status,
    assigneeId: row.assignee_id,
    lastInboundAt: row.last_inbound_at,
    windowExpiresAt: row.window_expires_at,
    lastMessageAt: row.last_message_at,
    lastMessagePreview: row.last_message_preview,
    referral: parseJsonOrNull(row.referral_json),
  });
}

function toMessage(row: MessageRow): Message {
  return messageSchema.parse({
    id: row.id,
    conversationId: row.conversation_id,
    phoneNumberId: row.phone_number_id,
    direction: row.direction,
    type: row.type,
    text: row.text,
    waMessageId: row.wa_message_id,
    timestamp: row.timestamp,
    status: row.status,
    statusAt: row.status_at,
    error: parseJsonOrNull(row.error_json),
    pricing: parseJsonOrNull(row.pricing_json),
    authorId: row.author_id,
    payload: parseJsonOrNull(row.payload_json),
    media: parseJsonOrNull(row.media_json),
    context: parseJsonOrNull(row.context_json),
    waitingUntil: row.waiting_until,
  });
}

function toMutation(row: MutationRow): MutationRecord {
  return {
    mutationId: row.mutation_id,
    agentId: row.agent_id,
    state: mutationStateSchema.parse(row.state),
    result: row.result_json === null ? null : commandResultSchema.parse(JSON.parse(row.result_json)),
    createdAt: row.created_at,
  };
}

/** The SQLite store, with its connection for modules that keep their own tables in the same file. */
export interface SqliteRelayStore extends RelayStore {
  /** Statements prepared on it join `transaction()`: one connection, one transaction at a time. */
  readonly database: Database.Database;
}

export function openSqliteRelayStore(path: string): SqliteRelayStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const sql = {
    headSeq: db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM events').pluck(),
    insertEvent: db.prepare<[number, string, string | null, number, string]>(
      'INSERT INTO events (seq, type, phone_number_id, at, event_json) VALUES (?, ?, ?, ?, ?)',
    ),
    readEvents: db.prepare<
      [number, number],
      { seq: number; type: string; phone_number_id: string | null; event_json: string }
    >('SELECT seq, type, phone_number_id, event_json FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
    conversation: db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE id = ?'),
    conversationByWaId: db.prepare<[string, string], ConversationRow>(
      'SELECT * FROM conversations WHERE phone_number_id = ? AND customer_wa_id = ? ORDER BY rowid LIMIT 1',
    ),
    conversationByUserId: db.prepare<[string, string], ConversationRow>(
      'SELECT * FROM conversations WHERE phone_number_id = ? AND customer_user_id = ? ORDER BY rowid LIMIT 1',
    ),
    saveConversation: db.prepare<[ConversationRow]>(`
      INSERT INTO conversations (id, phone_number_id, customer_key, customer_wa_id, customer_user_id, customer_name,
        status, assignee_id, last_inbound_at, window_expires_at, last_message_at, last_message_preview, referral_json)
      VALUES (@id, @phone_number_id, @customer_key, @customer_wa_id, @customer_user_id, @customer_name,
        @status, @assignee_id, @last_inbound_at, @window_expires_at, @last_message_at, @last_message_preview,
        @referral_json)
      ON CONFLICT (id) DO UPDATE SET
        customer_wa_id = excluded.customer_wa_id, customer_user_id = excluded.customer_user_id,
        customer_name = excluded.customer_name, status = excluded.status, assignee_id = excluded.assignee_id,
        last_inbound_at = excluded.last_inbound_at, window_expires_at = excluded.window_expires_at,
        last_message_at = excluded.last_message_at, last_message_preview = excluded.last_message_preview,
        referral_json = excluded.referral_json`),
    conversationsAfter: db.prepare<[string, number], ConversationRow>(
      'SELECT * FROM conversations WHERE id > ? ORDER BY id LIMIT ?',
    ),
    message: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id = ?'),
    messageByWaId: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE wa_message_id = ?'),
    saveMessage: db.prepare<[MessageRow]>(`
      INSERT INTO messages (id, conversation_id, phone_number_id, direction, type, text, wa_message_id, timestamp,
        status, status_at, error_json, pricing_json, author_id, payload_json, media_json, context_json, waiting_until)
      VALUES (@id, @conversation_id, @phone_number_id, @direction, @type, @text, @wa_message_id, @timestamp,
        @status, @status_at, @error_json, @pricing_json, @author_id, @payload_json, @media_json, @context_json,
        @waiting_until)
      ON CONFLICT (id) DO UPDATE SET
        wa_message_id = excluded.wa_message_id, status = excluded.status, status_at = excluded.status_at,
        error_json = excluded.error_json, pricing_json = excluded.pricing_json, media_json = excluded.media_json,
        waiting_until = excluded.waiting_until`),
    messagesAfter: db.prepare<[number, number], MessageRow & { rowid: number }>(
      'SELECT rowid, * FROM messages WHERE rowid > ? ORDER BY rowid LIMIT ?',
    ),
    template: db.prepare<[string], string>('SELECT template_json FROM templates WHERE key = ?').pluck(),
    saveTemplate: db.prepare<[string, string]>(
      'INSERT INTO templates (key, template_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET template_json = excluded.template_json',
    ),
    templates: db.prepare<[], string>('SELECT template_json FROM templates ORDER BY key').pluck(),
    phoneNumber: db
      .prepare<[string], string>('SELECT phone_number_json FROM phone_numbers WHERE id = ?')
      .pluck(),
    phoneNumberByDisplay: db
      .prepare<[string], string>(
        'SELECT phone_number_json FROM phone_numbers WHERE display_digits = ? ORDER BY id LIMIT 1',
      )
      .pluck(),
    savePhoneNumber: db.prepare<[string, string | null, string]>(`
      INSERT INTO phone_numbers (id, display_digits, phone_number_json) VALUES (?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET
        display_digits = excluded.display_digits, phone_number_json = excluded.phone_number_json`),
    phoneNumbers: db.prepare<[], string>('SELECT phone_number_json FROM phone_numbers ORDER BY id').pluck(),
    recentAlerts: db
      .prepare<[number], string>(
        'SELECT alert_json FROM (SELECT alert_json, at, rowid FROM alerts ORDER BY at DESC, rowid DESC LIMIT ?) ORDER BY at, rowid',
      )
      .pluck(),
    insertAlert: db.prepare<[string, string, number, string]>(
      'INSERT INTO alerts (id, kind, at, alert_json) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    ),
    // A duplicate delivery of the same status while its message is still unknown is kept once.
    parkStatus: db.prepare<[string, string, number, string, string]>(`
      INSERT INTO pending_statuses (wa_message_id, status_json, received_at)
      SELECT ?, ?, ? WHERE NOT EXISTS (
        SELECT 1 FROM pending_statuses WHERE wa_message_id = ? AND status_json = ?)`),
    parkedStatuses: db.prepare<[string], { status_json: string }>(
      'SELECT status_json FROM pending_statuses WHERE wa_message_id = ? ORDER BY id',
    ),
    deleteParkedStatuses: db.prepare<[string]>('DELETE FROM pending_statuses WHERE wa_message_id = ?'),
    saveUnrecognized: db.prepare<[number, string, Buffer, string]>(
      'INSERT INTO unrecognized_webhooks (received_at, reason, body, body_sha256) VALUES (?, ?, ?, ?) ON CONFLICT (body_sha256) DO NOTHING',
    ),
    unrecognizedBySha: db
      .prepare<[string], number>('SELECT id FROM unrecognized_webhooks WHERE body_sha256 = ?')
      .pluck(),
    mutation: db.prepare<[string], MutationRow>('SELECT * FROM mutations WHERE mutation_id = ?'),
    insertMutation: db.prepare<[string, string, string, string | null, number]>(
      'INSERT INTO mutations (mutation_id, agent_id, state, result_json, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    finishMutation: db.prepare<[string, string]>(
      "UPDATE mutations SET state = 'done', result_json = ? WHERE mutation_id = ?",
    ),
    executingMutations: db.prepare<[], MutationRow>("SELECT * FROM mutations WHERE state = 'executing'"),
  };

  const listeners = new Set<EventsListener>();
  // Events appended by the transaction in progress, announced once it commits.
  let uncommitted: StoredEvent[] = [];
  const runInTransaction = db.transaction((fn: () => unknown) => fn());
  // The type column is only ever written by appendEvent, from an event the protocol schema accepted.
  const toStoredEvent = (row: {
    seq: number;
    type: string;
    phone_number_id: string | null;
    event_json: string;
  }): StoredEvent => ({
    seq: row.seq,
    type: row.type as RelayEventType,
    phoneNumberId: row.phone_number_id,
    json: row.event_json,
  });

  const store: SqliteRelayStore = {
    database: db,
    transaction<T>(fn: () => T): T {
      // A nested call is simply part of the outer transaction.
      if (db.inTransaction) return fn();
      uncommitted = [];
      let result: T;
      try {
        result = runInTransaction.immediate(fn) as T;
      } catch (error) {
        uncommitted = [];
        throw error;
      }
      const committed = uncommitted;
      uncommitted = [];
      if (committed.length > 0) for (const listener of listeners) listener(committed);
      return result;
    },

    onEvents(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    appendEvent(input: NewRelayEvent): RelayEvent {
      if (!db.inTransaction) return store.transaction(() => store.appendEvent(input));
      const seq = sql.headSeq.get()! + 1;
      const event = relayEventSchema.parse({ ...input, seq });
      const json = JSON.stringify(event);
      sql.insertEvent.run(seq, event.type, event.phoneNumberId, event.at, json);
      uncommitted.push({ seq, type: event.type, phoneNumberId: event.phoneNumberId, json });
      return event;
    },

    readEvents(afterSeq, limit) {
      return sql.readEvents.all(afterSeq, limit).map(toStoredEvent);
    },

    headSeq: () => sql.headSeq.get()!,

    getConversation(id) {
      const row = sql.conversation.get(id);
      return row === undefined ? null : toConversation(row);
    },

    saveConversation(c) {
      sql.saveConversation.run({
        id: c.id,
        phone_number_id: c.phoneNumberId,
        customer_key: c.customer.key,
        customer_wa_id: c.customer.waId,
        customer_user_id: c.customer.userId,
        customer_name: c.customer.name,
        status: c.status,
        assignee_id: c.assigneeId,
        last_inbound_at: c.lastInboundAt,
        window_expires_at: c.windowExpiresAt,
        last_message_at: c.lastMessageAt,
        last_message_preview: c.lastMessagePreview,
        referral_json: jsonOrNull(c.referral),
      });
    },

    findConversationByCustomer(phoneNumberId, { waId, userId }) {
      const row =
        (waId === null ? undefined : sql.conversationByWaId.get(phoneNumberId, waId)) ??
        (userId === null ? undefined : sql.conversationByUserId.get(phoneNumberId, userId));
      return row === undefined ? null : toConversation(row);
    },

    listConversations(afterId, limit) {
      return sql.conversationsAfter.all(afterId ?? '', limit).map(toConversation);
    },

    getMessage(id) {
      const row = sql.message.get(id);
      return row === undefined ? null : toMessage(row);
    },

    findMessageByWaId(waMessageId) {
      const row = sql.messageByWaId.get(waMessageId);
      return row === undefined ? null : toMessage(row);
    },

    saveMessage(m) {
      sql.saveMessage.run({
        id: m.id,
        conversation_id: m.conversationId,
        phone_number_id: m.phoneNumberId,
        direction: m.direction,
        type: m.type,
        text: m.text,
        wa_message_id: m.waMessageId,
        timestamp: m.timestamp,
        status: m.status,
        status_at: m.statusAt,
        error_json: jsonOrNull(m.error),
        pricing_json: jsonOrNull(m.pricing),
        author_id: m.authorId,
        payload_json: jsonOrNull(m.payload),
        media_json: jsonOrNull(m.media),
        context_json: jsonOrNull(m.context),
        waiting_until: m.waitingUntil,
      });
    },

    listMessages(afterRowid, limit) {
      return sql.messagesAfter
        .all(afterRowid, limit)
        .map((row) => ({ rowid: row.rowid, message: toMessage(row) }));
    },

    getTemplate(key) {
      const json = sql.template.get(key);
      return json === undefined ? null : templateSchema.parse(JSON.parse(json));
    },

    saveTemplate(template) {
      sql.saveTemplate.run(template.key, JSON.stringify(templateSchema.parse(template)));
    },

    listTemplates: () => sql.templates.all().map((json) => templateSchema.parse(JSON.parse(json))),

    getPhoneNumber(id) {
      const json = sql.phoneNumber.get(id);
      return json === undefined ? null : phoneNumberSchema.parse(JSON.parse(json));
    },

    findPhoneNumberByDisplay(displayPhoneNumber) {
      const digits = displayDigits(displayPhoneNumber);
      const json = digits === null ? undefined : sql.phoneNumberByDisplay.get(digits);
      return json === undefined ? null : phoneNumberSchema.parse(JSON.parse(json));
    },

    savePhoneNumber(phoneNumber) {
      const valid = phoneNumberSchema.parse(phoneNumber);
      sql.savePhoneNumber.run(valid.id, displayDigits(valid.displayPhoneNumber), JSON.stringify(valid));
    },

    listPhoneNumbers: () => sql.phoneNumbers.all().map((json) => phoneNumberSchema.parse(JSON.parse(json))),

    listRecentAlerts: (limit) =>
      sql.recentAlerts.all(limit).map((json) => alertSchema.parse(JSON.parse(json))),

    insertAlert(alert) {
      const valid = alertSchema.parse(alert);
      return sql.insertAlert.run(valid.id, valid.kind, valid.at, JSON.stringify(valid)).changes > 0;
    },

    parkStatus(update: StatusUpdate, receivedAt) {
      const json = JSON.stringify(update);
      sql.parkStatus.run(update.waMessageId, json, receivedAt, update.waMessageId, json);
    },

    takeParkedStatuses(waMessageId) {
      const rows = sql.parkedStatuses.all(waMessageId);
      if (rows.length > 0) sql.deleteParkedStatuses.run(waMessageId);
      return rows.map((row) => statusUpdateSchema.parse(JSON.parse(row.status_json)));
    },

    saveUnrecognizedWebhook(body, reason, receivedAt) {
      const sha256 = createHash('sha256').update(body).digest('hex');
      return store.transaction(() => {
        const inserted = sql.saveUnrecognized.run(receivedAt, reason, body, sha256);
        if (inserted.changes === 0) return { id: sql.unrecognizedBySha.get(sha256)!, alreadyKept: true };
        const id = Number(inserted.lastInsertRowid);
        const alert = unrecognizedWebhookAlert({
          rowId: id,
          reason,
          bytes: body.length,
          sha256,
          at: receivedAt,
        });
        store.insertAlert(alert);
        store.appendEvent({ type: 'alert.raised', at: receivedAt, phoneNumberId: null, alert });
        return { id, alreadyKept: false };
      });
    },

    getMutation(mutationId) {
      const row = sql.mutation.get(mutationId);
      return row === undefined ? null : toMutation(row);
    },

    insertMutation(record) {
      sql.insertMutation.run(
        record.mutationId,
        record.agentId,
        record.state,
        record.result === null ? null : JSON.stringify(record.result),
        record.createdAt,
      );
    },

    finishMutation(mutationId, result: CommandResult) {
      sql.finishMutation.run(JSON.stringify(result), mutationId);
    },

    listExecutingMutations: () => sql.executingMutations.all().map(toMutation),

    close() {
      listeners.clear();
      db.close();
    },
  };
  return store;
}
