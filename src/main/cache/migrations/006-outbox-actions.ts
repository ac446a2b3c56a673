// The outbox carries every agent action since the ConsoleApi grew past text replies: quick-reply
// changes belong to no conversation (conversation_id becomes nullable), and a media send waits for
// its upload (needs_upload: the command's uploadId still names the file in the console's media
// cache; the relay's upload id replaces it once the bytes are up).
import type { Migration } from '../migrate.ts';

export const outboxActionsSchema: Migration = {
  version: 6,
  name: 'outbox-actions',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_v6 (
        mutation_id     TEXT PRIMARY KEY,
        conversation_id TEXT,
        command_json    TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('pending', 'failed')),
        error_json      TEXT,
        attempts        INTEGER NOT NULL DEFAULT 0,
        needs_upload    INTEGER NOT NULL DEFAULT 0 CHECK (needs_upload IN (0, 1))
      ) STRICT;
      INSERT INTO outbox_v6 (mutation_id, conversation_id, command_json, created_at, state, error_json, attempts)
        SELECT mutation_id, conversation_id, command_json, created_at, state, error_json, attempts FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_v6 RENAME TO outbox;
      CREATE INDEX outbox_by_state ON outbox (state, created_at, mutation_id);
      CREATE INDEX outbox_by_conversation ON outbox (conversation_id, created_at);
    `);
  },
};
