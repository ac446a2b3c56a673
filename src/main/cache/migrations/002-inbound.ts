// Everything the relay streams since issue 3: media and reply context on messages, the referral on
// conversations, the account's templates, phone numbers and alerts, and what a rebuild from a
// snapshot carries over (the visibility epoch itself is one more key in sync_state).
import type { Migration } from '../migrate.ts';

export const inboundSchema: Migration = {
  version: 2,
  name: 'inbound',
  up(db) {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN referral_json TEXT;
      ALTER TABLE messages ADD COLUMN media_json TEXT;
      ALTER TABLE messages ADD COLUMN context_json TEXT;

      CREATE TABLE templates (
        key        TEXT PRIMARY KEY,
        id         TEXT,
        name       TEXT NOT NULL,
        language   TEXT NOT NULL,
        status     TEXT NOT NULL,
        category   TEXT,
        quality    TEXT,
        reason     TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE phone_numbers (
        id                   TEXT PRIMARY KEY,
        display_phone_number TEXT,
        quality_event        TEXT,
        messaging_limit      TEXT,
        updated_at           INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE alerts (
        id           TEXT PRIMARY KEY,
        kind         TEXT NOT NULL,
        title        TEXT NOT NULL,
        details_json TEXT NOT NULL,
        at           INTEGER NOT NULL
      ) STRICT;
      -- Newest first.
      CREATE INDEX alerts_by_time ON alerts (at DESC, id);

      -- Unread counts are local: a rebuild wipes the mirror but carries each conversation's count,
      -- and the inbound messages this console had already seen, until the rebuild is done; a message
      -- seen again is not counted again.
      CREATE TABLE rebuild_unread (
        conversation_id TEXT PRIMARY KEY,
        unread_count    INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE rebuild_seen (
        message_id TEXT PRIMARY KEY
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
