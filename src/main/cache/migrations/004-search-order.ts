// Search newest first without sorting: 003's index was keyed by messages.rowid, which follows sync
// order, not time, so every query joined, snippeted and sorted all its matches. Here the index is
// keyed by a time-ordered search key, timestamp_ms * 2^20 + k (k tells apart messages of the same
// millisecond, in the order they were indexed), so FTS5 answers `ORDER BY rowid DESC LIMIT n` by
// walking its doclists backwards and stopping after n rows. `message_search_keys` maps each message
// to its key; the index stays external-content over a view keyed by that key, and the triggers
// below keep keys and index in step through upserts, timestamp edits, renames, rebuilds and
// retention. Like 003's view, the mapping holds messages.rowid, which only a VACUUM could renumber:
// after one, empty message_search_keys and refill it as this migration does, then 'rebuild'.
import type { Database } from 'better-sqlite3';
import { CodedError } from '../../../shared/result.ts';
import type { Migration } from '../migrate.ts';

/** Keys per millisecond: k is 20 bits, the timestamp the 43 above it (ms until the year 2248). */
const PER_MS = 1_048_576;
/** Timestamps are clamped into the range whose keys fit a signed 64-bit integer. */
const MIN_MS = -8_796_093_022_208;
const MAX_MS = 8_796_093_022_207;

/** The millisecond a key is built from: the timestamp, clamped so the product cannot overflow. */
const keyMs = (timestamp: string): string => `max(${MIN_MS}, min(${MAX_MS}, ${timestamp}))`;

/** The next free key of a message's millisecond: after the last one taken, in that millisecond. */
const nextKey = (timestamp: string): string => `coalesce(
      (SELECT key + 1 FROM message_search_keys
        WHERE key BETWEEN ${keyMs(timestamp)} * ${PER_MS} AND ${keyMs(timestamp)} * ${PER_MS} + ${PER_MS - 1}
        ORDER BY key DESC LIMIT 1),
      ${keyMs(timestamp)} * ${PER_MS})`;

/** Gives the message a key unless it kept its own, refusing to spill into the next millisecond. */
const assignKey = (row: 'new'): string => `
    INSERT INTO message_search_keys (key, message_rowid)
      SELECT ${nextKey(`${row}.timestamp`)}, ${row}.rowid
      WHERE NOT EXISTS (SELECT 1 FROM message_search_keys WHERE message_rowid = ${row}.rowid);
    SELECT RAISE(ABORT, 'CACHE_SEARCH_KEYS_FULL: over 1,048,576 messages share one millisecond')
      FROM message_search_keys
      WHERE message_rowid = ${row}.rowid AND key - ${keyMs(`${row}.timestamp`)} * ${PER_MS} NOT BETWEEN 0 AND ${PER_MS - 1};`;

/** The name the view reads for a message: its conversation's, when that conversation is cached. */
const nameOf = (row: 'new' | 'old'): string =>
  `(SELECT customer_name FROM conversations WHERE id = ${row}.conversation_id)`;

const indexMessage = (row: 'new'): string => `
    INSERT INTO message_search (rowid, text, customer_name, conversation)
      SELECT key, ${row}.text, ${nameOf(row)}, hex(${row}.conversation_id)
      FROM message_search_keys WHERE message_rowid = ${row}.rowid;`;

const forgetMessage = (row: 'old'): string => `
    INSERT INTO message_search (message_search, rowid, text, customer_name, conversation)
      SELECT 'delete', key, ${row}.text, ${nameOf(row)}, hex(${row}.conversation_id)
      FROM message_search_keys WHERE message_rowid = ${row}.rowid;`;

/** Removes (`'delete'`) or adds every message of a conversation, under the name the index holds. */
const reindexConversation = (conversation: string, name: string, remove: boolean): string => `
    INSERT INTO message_search (${remove ? 'message_search, ' : ''}rowid, text, customer_name, conversation)
      SELECT ${remove ? `'delete', ` : ''}k.key, m.text, ${name}, hex(m.conversation_id)
      FROM messages m JOIN message_search_keys k ON k.message_rowid = m.rowid
      WHERE m.conversation_id = ${conversation};`;

export const searchOrderSchema: Migration = {
  version: 4,
  name: 'search-order',
  up(db) {
    db.exec(`
      DROP TRIGGER message_search_after_message_insert;
      DROP TRIGGER message_search_after_message_delete;
      DROP TRIGGER message_search_after_message_update;
      DROP TRIGGER message_search_after_conversation_insert;
      DROP TRIGGER message_search_after_conversation_rename;
      DROP TRIGGER message_search_after_conversation_delete;
      DROP TABLE message_search;
      DROP VIEW message_search_source;

      CREATE TABLE message_search_keys (
        key           INTEGER PRIMARY KEY,
        message_rowid INTEGER NOT NULL UNIQUE
      ) STRICT;

      -- conversation: the conversation id as one hex token, so that a search within a thread is an
      -- AND that FTS5 walks by skipping, however common the words (search.ts never lets a typed
      -- word reach this column).
      CREATE VIEW message_search_source AS
        SELECT k.key AS search_key, m.text AS text, c.customer_name AS customer_name,
          hex(m.conversation_id) AS conversation
        FROM message_search_keys k
        JOIN messages m ON m.rowid = k.message_rowid
        LEFT JOIN conversations c ON c.id = m.conversation_id;

      -- The last typed word is a prefix: FTS5 reads a prefix of an indexed length (1 to 7 characters)
      -- as one doclist, lazily, newest first; a longer one it first merges in full (every matching
      -- term, every row), which for a common word over a million messages takes ~10 ms, and for one
      -- or two letters hundreds. The price is a bigger index and slower inserts.
      CREATE VIRTUAL TABLE message_search USING fts5(
        text, customer_name, conversation,
        content = 'message_search_source', content_rowid = 'search_key',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3 4 5 6 7'
      );

      -- An external-content index forgets a row only when told its exact old values: every trigger
      -- removes what it indexed before (under the old key) and adds what the view now reads.
      CREATE TRIGGER message_search_after_message_insert AFTER INSERT ON messages BEGIN
        ${assignKey('new')}
        ${indexMessage('new')}
      END;

      CREATE TRIGGER message_search_after_message_delete AFTER DELETE ON messages BEGIN
        ${forgetMessage('old')}
        DELETE FROM message_search_keys WHERE message_rowid = old.rowid;
      END;

      -- Status ticks rewrite the whole row; only a new text, conversation or time touches the index.
      -- A new time takes a new key (the end of its millisecond), so the order follows the edit.
      CREATE TRIGGER message_search_after_message_update AFTER UPDATE OF text, conversation_id, timestamp ON messages
      WHEN old.text IS NOT new.text OR old.conversation_id IS NOT new.conversation_id
        OR old.timestamp IS NOT new.timestamp BEGIN
        ${forgetMessage('old')}
        DELETE FROM message_search_keys WHERE message_rowid = old.rowid AND old.timestamp IS NOT new.timestamp;
        ${assignKey('new')}
        ${indexMessage('new')}
      END;

      -- A page may carry messages before their conversation: they were indexed without a name.
      CREATE TRIGGER message_search_after_conversation_insert AFTER INSERT ON conversations
      WHEN new.customer_name IS NOT NULL BEGIN
        ${reindexConversation('new.id', 'NULL', true)}
        ${reindexConversation('new.id', 'new.customer_name', false)}
      END;

      CREATE TRIGGER message_search_after_conversation_rename AFTER UPDATE OF customer_name ON conversations
      WHEN old.customer_name IS NOT new.customer_name BEGIN
        ${reindexConversation('old.id', 'old.customer_name', true)}
        ${reindexConversation('new.id', 'new.customer_name', false)}
      END;

      CREATE TRIGGER message_search_after_conversation_delete AFTER DELETE ON conversations
      WHEN old.customer_name IS NOT NULL BEGIN
        ${reindexConversation('old.id', 'old.customer_name', true)}
        ${reindexConversation('old.id', 'NULL', false)}
      END;
    `);
    keyAndIndexCachedMessages(db);
  },
};

/** Keys every cached message (equal timestamps in rowid order), then indexes them all. */
function keyAndIndexCachedMessages(db: Database): void {
  const crowded = db
    .prepare<[], number>(
      `SELECT 1 FROM messages GROUP BY ${keyMs('timestamp')} HAVING count(*) > ${PER_MS} LIMIT 1`,
    )
    .pluck()
    .get();
  if (crowded !== undefined) {
    throw new CodedError(
      'CACHE_SEARCH_KEYS_FULL',
      'The cache holds over 1,048,576 messages with the same timestamp: its search index cannot order them',
    );
  }
  db.exec(`
    INSERT INTO message_search_keys (key, message_rowid)
      SELECT ${keyMs('timestamp')} * ${PER_MS}
          + row_number() OVER (PARTITION BY ${keyMs('timestamp')} ORDER BY rowid) - 1,
        rowid
      FROM messages ORDER BY 1;
    INSERT INTO message_search (message_search) VALUES ('rebuild');
  `);
}
