// Full-text search over message text and the customer's name, folding case and diacritics so that
// "cancion" finds "Canción". The index is external-content over a view of the mirror: it stores no
// second copy of the text, snippets read the live rows, and triggers keep it in step through
// upserts, rebuilds and retention. The view reads `messages.rowid`, which only a VACUUM could
// renumber: run `INSERT INTO message_search(message_search) VALUES ('rebuild')` after one.
import type { Migration } from '../migrate.ts';

export const searchSchema: Migration = {
  version: 3,
  name: 'search',
  up(db) {
    db.exec(`
      CREATE VIEW message_search_source AS
        SELECT m.rowid AS message_rowid, m.text AS text, c.customer_name AS customer_name
        FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id;

      CREATE VIRTUAL TABLE message_search USING fts5(
        text, customer_name,
        content = 'message_search_source', content_rowid = 'message_rowid',
        tokenize = 'unicode61 remove_diacritics 2'
      );

      -- An external-content index forgets a row only when told its exact old values, so every
      -- trigger below removes what it indexed before and adds what the view now reads.
      CREATE TRIGGER message_search_after_message_insert AFTER INSERT ON messages BEGIN
        INSERT INTO message_search (rowid, text, customer_name)
          VALUES (new.rowid, new.text, (SELECT customer_name FROM conversations WHERE id = new.conversation_id));
      END;

      CREATE TRIGGER message_search_after_message_delete AFTER DELETE ON messages BEGIN
        INSERT INTO message_search (message_search, rowid, text, customer_name)
          VALUES ('delete', old.rowid, old.text, (SELECT customer_name FROM conversations WHERE id = old.conversation_id));
      END;

      -- Status ticks rewrite the whole row; only a new text or conversation touches the index.
      CREATE TRIGGER message_search_after_message_update AFTER UPDATE OF text, conversation_id ON messages
      WHEN old.text IS NOT new.text OR old.conversation_id IS NOT new.conversation_id BEGIN
        INSERT INTO message_search (message_search, rowid, text, customer_name)
          VALUES ('delete', old.rowid, old.text, (SELECT customer_name FROM conversations WHERE id = old.conversation_id));
        INSERT INTO message_search (rowid, text, customer_name)
          VALUES (new.rowid, new.text, (SELECT customer_name FROM conversations WHERE id = new.conversation_id));
      END;

      -- A page may carry messages before their conversation: they were indexed without a name.
      CREATE TRIGGER message_search_after_conversation_insert AFTER INSERT ON conversations
      WHEN new.customer_name IS NOT NULL BEGIN
        INSERT INTO message_search (message_search, rowid, text, customer_name)
          SELECT 'delete', rowid, text, NULL FROM messages WHERE conversation_id = new.id;
        INSERT INTO message_search (rowid, text, customer_name)
          SELECT rowid, text, new.customer_name FROM messages WHERE conversation_id = new.id;
      END;

      CREATE TRIGGER message_search_after_conversation_rename AFTER UPDATE OF customer_name ON conversations
      WHEN old.customer_name IS NOT new.customer_name BEGIN
        INSERT INTO message_search (message_search, rowid, text, customer_name)
          SELECT 'delete', rowid, text, old.customer_name FROM messages WHERE conversation_id = old.id;
        INSERT INTO message_search (rowid, text, customer_name)
          SELECT rowid, text, new.customer_name FROM messages WHERE conversation_id = new.id;
      END;

      CREATE TRIGGER message_search_after_conversation_delete AFTER DELETE ON conversations
      WHEN old.customer_name IS NOT NULL BEGIN
        INSERT INTO message_search (message_search, rowid, text, customer_name)
          SELECT 'delete', rowid, text, old.customer_name FROM messages WHERE conversation_id = old.id;
        INSERT INTO message_search (rowid, text, customer_name)
          SELECT rowid, text, NULL FROM messages WHERE conversation_id = old.id;
      END;

      -- Retention finds old messages by time.
      CREATE INDEX messages_by_time ON messages (timestamp);

      -- Index what an older cache already holds.
      INSERT INTO message_search (message_search) VALUES ('rebuild');
    `);
  },
};
