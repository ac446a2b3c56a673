// The first cache schema: a mirror of the relay's conversations and messages as this agent sees
// them, the outbox of commands not yet confirmed, and the sync bookmark.
import type { Migration } from '../migrate.ts';

export const initialSchema: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE conversations (
        id                   TEXT PRIMARY KEY,
        phone_number_id      TEXT NOT NULL,
        customer_key         TEXT NOT NULL,
        customer_wa_id       TEXT,
        customer_user_id     TEXT,
        customer_name        TEXT,
        status               TEXT NOT NULL,
        assignee_id          TEXT,
        last_inbound_at      INTEGER,
        window_expires_at    INTEGER,
        last_message_at      INTEGER NOT NULL,
        last_message_preview TEXT NOT NULL,
        unread_count         INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      -- The inbox: newest conversation first.
      CREATE INDEX conversations_by_last_message ON conversations (last_message_at DESC, id);

      CREATE TABLE messages (
        id              TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        phone_number_id TEXT NOT NULL,
        direction       TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        type            TEXT NOT NULL,
        text            TEXT,
        wa_message_id   TEXT,
        timestamp       INTEGER NOT NULL,
        status          TEXT NOT NULL,
        status_at       INTEGER,
        error_json      TEXT,
        pricing_json    TEXT,
        author_id       TEXT,
        payload_json    TEXT
      ) STRICT;
      -- A thread, paged backwards by time.
      CREATE INDEX messages_by_thread ON messages (conversation_id, timestamp, id);

      CREATE TABLE outbox (
        mutation_id     TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        command_json    TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('pending', 'failed')),
        error_json      TEXT,
        attempts        INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      -- Resending after a reconnect goes in creation order.
      CREATE INDEX outbox_by_state ON outbox (state, created_at, mutation_id);
      CREATE INDEX outbox_by_conversation ON outbox (conversation_id, created_at);

      CREATE TABLE sync_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
