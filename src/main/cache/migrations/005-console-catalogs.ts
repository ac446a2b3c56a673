// What the full ConsoleApi reads: internal notes and the team's quick replies mirrored from the relay,
// templates with their components (the picker fills them in), the pacing wait on messages, and the
// indexes that keep an inbox view, its counts and a thread page fast on a large cache.
import type { Migration } from '../migrate.ts';

export const consoleCatalogsSchema: Migration = {
  version: 5,
  name: 'console-catalogs',
  up(db) {
    db.exec(`
      ALTER TABLE templates ADD COLUMN parameter_format TEXT;
      ALTER TABLE templates ADD COLUMN components_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE messages ADD COLUMN waiting_until INTEGER;

      CREATE TABLE notes (
        id              TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        phone_number_id TEXT NOT NULL,
        author_id       TEXT NOT NULL,
        text            TEXT NOT NULL,
        at              INTEGER NOT NULL
      ) STRICT;
      -- A conversation's notes, oldest first.
      CREATE INDEX notes_by_conversation ON notes (conversation_id, at);

      CREATE TABLE quick_replies (
        id         TEXT PRIMARY KEY,
        shortcut   TEXT NOT NULL,
        text       TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        updated_by TEXT NOT NULL
      ) STRICT;

      -- A thread page is ordered by (timestamp, rowid): the rowid every index carries breaks ties,
      -- so this index serves both the order and the keyset bounds without a sort.
      DROP INDEX IF EXISTS messages_by_thread;
      CREATE INDEX messages_by_conversation_time ON messages (conversation_id, timestamp);

      -- Inbox views, newest activity first: by status (open, closed, unread), by assignee (mine,
      -- unassigned), each also per business number.
      CREATE INDEX conversations_by_status ON conversations (status, last_message_at DESC, id);
      CREATE INDEX conversations_by_assignee ON conversations (status, assignee_id, last_message_at DESC, id);
      CREATE INDEX conversations_by_number ON conversations (phone_number_id, status, last_message_at DESC, id);
      CREATE INDEX conversations_by_number_assignee
        ON conversations (phone_number_id, status, assignee_id, last_message_at DESC, id);
    `);
  },
};
