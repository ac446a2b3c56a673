// The relay's store in one SQLite file (WAL, synchronous=FULL: a webhook answered 200 survives a
// power cut). Rows are mapped back to domain objects through the shared zod schemas, so a damaged
// row fails loudly instead of travelling to consoles.
import Database from 'better-sqlite3';
import { z } from 'zod';
import {
  agentSchema,
  conversationSchema,
  messageSchema,
  type Agent,
  type Conversation,
  type Message,
} from '../../shared/domain.ts';
import {
  commandResultSchema,
  relayEventSchema,
  type CommandResult,
  type RelayEvent,
} from '../../shared/protocol.ts';
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
      { seq: number; phone_number_id: string | null; event_json: string }
    >('SELECT seq, phone_number_id, event_json FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
    insertAgent: db.prepare<[string, string, string, string, string, number]>(
      'INSERT INTO agents (id, name, role, numbers_json, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    agentByTokenHash: db.prepare<[string], { id: string; name: string; role: string; numbers_json: string }>(
      'SELECT id, name, role, numbers_json FROM agents WHERE token_hash = ?',
    ),
    conversation: db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE id = ?'),
    saveConversation: db.prepare<[ConversationRow]>(`
      INSERT INTO conversations (id, phone_number_id, customer_key, customer_wa_id, customer_user_id, customer_name,
        status, assignee_id, last_inbound_at, window_expires_at, last_message_at, last_message_preview)
      VALUES (@id, @phone_number_id, @customer_key, @customer_wa_id, @customer_user_id, @customer_name,
        @status, @assignee_id, @last_inbound_at, @window_expires_at, @last_message_at, @last_message_preview)
      ON CONFLICT (id) DO UPDATE SET
        customer_wa_id = excluded.customer_wa_id, customer_user_id = excluded.customer_user_id,
        customer_name = excluded.customer_name, status = excluded.status, assignee_id = excluded.assignee_id,
        last_inbound_at = excluded.last_inbound_at, window_expires_at = excluded.window_expires_at,
        last_message_at = excluded.last_message_at, last_message_preview = excluded.last_message_preview`),
    message: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id = ?'),
    messageByWaId: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE wa_message_id = ?'),
    saveMessage: db.prepare<[MessageRow]>(`
      INSERT INTO messages (id, conversation_id, phone_number_id, direction, type, text, wa_message_id, timestamp,
        status, status_at, error_json, pricing_json, author_id, payload_json)
      VALUES (@id, @conversation_id, @phone_number_id, @direction, @type, @text, @wa_message_id, @timestamp,
        @status, @status_at, @error_json, @pricing_json, @author_id, @payload_json)
      ON CONFLICT (id) DO UPDATE SET
        wa_message_id = excluded.wa_message_id, status = excluded.status, status_at = excluded.status_at,
        error_json = excluded.error_json, pricing_json = excluded.pricing_json`),
    parkStatus: db.prepare<[string, string, number]>(
      'INSERT INTO pending_statuses (wa_message_id, status_json, received_at) VALUES (?, ?, ?)',
    ),
    parkedStatuses: db.prepare<[string], { status_json: string }>(
      'SELECT status_json FROM pending_statuses WHERE wa_message_id = ? ORDER BY id',
    ),
    deleteParkedStatuses: db.prepare<[string]>('DELETE FROM pending_statuses WHERE wa_message_id = ?'),
    saveUnrecognized: db.prepare<[number, string, Buffer]>(
      'INSERT INTO unrecognized_webhooks (received_at, reason, body) VALUES (?, ?, ?)',
    ),
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
      uncommitted.push({ seq, phoneNumberId: event.phoneNumberId, json });
      return event;
    },

    readEvents(afterSeq, limit) {
      return sql.readEvents
        .all(afterSeq, limit)
        .map((row) => ({ seq: row.seq, phoneNumberId: row.phone_number_id, json: row.event_json }));
    },

    headSeq: () => sql.headSeq.get()!,

    insertAgent(agent: Agent, tokenHash, createdAt) {
      sql.insertAgent.run(
        agent.id,
        agent.name,
        agent.role,
        JSON.stringify(agent.numbers),
        tokenHash,
        createdAt,
      );
    },

    findAgentByTokenHash(tokenHash) {
      const row = sql.agentByTokenHash.get(tokenHash);
      if (row === undefined) return null;
      return agentSchema.parse({
        id: row.id,
        name: row.name,
        role: row.role,
        numbers: JSON.parse(row.numbers_json) as unknown,
      });
    },

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
      });
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
      });
    },

    parkStatus(update: StatusUpdate, receivedAt) {
      sql.parkStatus.run(update.waMessageId, JSON.stringify(update), receivedAt);
    },

    takeParkedStatuses(waMessageId) {
      const rows = sql.parkedStatuses.all(waMessageId);
      if (rows.length > 0) sql.deleteParkedStatuses.run(waMessageId);
      return rows.map((row) => statusUpdateSchema.parse(JSON.parse(row.status_json)));
    },

    saveUnrecognizedWebhook(body, reason, receivedAt) {
      sql.saveUnrecognized.run(receivedAt, reason, body);
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
