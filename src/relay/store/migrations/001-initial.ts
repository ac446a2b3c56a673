// The relay's first schema: agents, the conversation and message state consoles mirror, the ordered
// event log they replay, and the bookkeeping that keeps webhooks and sends exactly-once.
import type { Migration } from '../migrate.ts';

export const initialSchema: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE agents (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
      numbers_json TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE conversations (
      id TEXT PRIMARY KEY,
      phone_number_id TEXT NOT NULL,
      customer_key TEXT NOT NULL,
      customer_wa_id TEXT,
      customer_user_id TEXT,
      customer_name TEXT,
      status TEXT NOT NULL,
      assignee_id TEXT,
      last_inbound_at INTEGER,
      window_expires_at INTEGER,
      last_message_at INTEGER NOT NULL,
      last_message_preview TEXT NOT NULL
    ) STRICT;

    CREATE TABLE messages (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL REFERENCES conversations (id),
      phone_number_id TEXT NOT NULL,
      direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      type TEXT NOT NULL,
      text TEXT,
      -- NULL until Meta answers an outbound send; many NULLs are allowed by UNIQUE.
      wa_message_id TEXT UNIQUE,
      timestamp INTEGER NOT NULL,
      status TEXT NOT NULL,
      status_at INTEGER,
      error_json TEXT,
      pricing_json TEXT,
      author_id TEXT,
      payload_json TEXT
    ) STRICT;
    CREATE INDEX messages_by_conversation ON messages (conversation_id, timestamp);

    -- The log consoles replay: seq is the rowid, so it only grows.
    CREATE TABLE events (
      seq INTEGER PRIMARY KEY,
      type TEXT NOT NULL,
      phone_number_id TEXT,
      at INTEGER NOT NULL,
      event_json TEXT NOT NULL
    ) STRICT;

    -- Statuses that arrived before the send's answer revealed their wamid.
    CREATE TABLE pending_statuses (
      id INTEGER PRIMARY KEY,
      wa_message_id TEXT NOT NULL,
      status_json TEXT NOT NULL,
      received_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX pending_statuses_by_wamid ON pending_statuses (wa_message_id);

    -- Correctly signed bodies the relay could not (fully) apply, kept raw so nothing Meta sent is lost.
    CREATE TABLE unrecognized_webhooks (
      id INTEGER PRIMARY KEY,
      received_at INTEGER NOT NULL,
      reason TEXT NOT NULL,
      body BLOB NOT NULL
    ) STRICT;

    -- Every client mutation id the relay has seen, with its outcome: the key of at-most-once sends.
    CREATE TABLE mutations (
      mutation_id TEXT PRIMARY KEY,
      agent_id TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('executing', 'done')),
      result_json TEXT,
      created_at INTEGER NOT NULL
    ) STRICT;
  `,
};
