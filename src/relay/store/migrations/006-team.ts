// What the team keeps for itself and never sends to customers: internal notes on conversations and
// the shared quick replies of the composer.
import type { Migration } from '../migrate.ts';

export const teamSchema: Migration = {
  version: 6,
  name: 'team',
  sql: `
    -- id = the client mutation id that created the note.
    CREATE TABLE notes (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL REFERENCES conversations (id),
      phone_number_id TEXT NOT NULL,
      author_id TEXT NOT NULL,
      text TEXT NOT NULL,
      at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX notes_by_conversation ON notes (conversation_id, at);

    -- id = the client mutation id that created the reply. shortcut_key is the shortcut folded to
    -- lower case (Unicode-aware, which COLLATE NOCASE is not), so /Hola and /hola cannot both exist.
    CREATE TABLE quick_replies (
      id TEXT PRIMARY KEY,
      shortcut TEXT NOT NULL,
      shortcut_key TEXT NOT NULL UNIQUE,
      text TEXT NOT NULL,
      created_by TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      updated_by TEXT NOT NULL
    ) STRICT;
  `,
};
