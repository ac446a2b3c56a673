// A thread's reads, in (timestamp, rowid) order: the rowid breaks ties between messages of the same
// millisecond the same way every time. Every page is a keyset range over the
// messages_by_conversation_time index (migration 005), so its cost does not grow with the thread.
import type { Database, Statement } from 'better-sqlite3';
import type { Message } from '../../shared/domain.ts';
import { toMessage, type MessageRow } from './message-rows.ts';

/** A message's place in its thread. */
export interface ThreadKey {
  timestamp: number;
  rowid: number;
}

export interface KeyedMessage {
  key: ThreadKey;
  message: Message;
}

type KeyedRow = MessageRow & { row_id: number };
type Bound = { conversationId: string; timestamp: number; rowid: number };

export class ThreadQueries {
  readonly #anchor: Statement<[{ conversationId: string; id: string }], KeyedRow>;
  readonly #newest: Statement<[{ conversationId: string; limit: number }], KeyedRow>;
  readonly #older: Statement<[Bound & { limit: number }], KeyedRow>;
  readonly #newer: Statement<[Bound & { limit: number }], KeyedRow>;
  readonly #anyOlder: Statement<[Bound], number>;
  readonly #anyNewer: Statement<[Bound], number>;

  constructor(db: Database) {
    const select = 'SELECT rowid AS row_id, * FROM messages WHERE conversation_id = @conversationId';
    this.#anchor = db.prepare(`${select} AND id = @id`);
    this.#newest = db.prepare(`${select} ORDER BY timestamp DESC, rowid DESC LIMIT @limit`);
    this.#older = db.prepare(
      `${select} AND (timestamp, rowid) < (@timestamp, @rowid) ORDER BY timestamp DESC, rowid DESC LIMIT @limit`,
    );
    this.#newer = db.prepare(
      `${select} AND (timestamp, rowid) > (@timestamp, @rowid) ORDER BY timestamp, rowid LIMIT @limit`,
    );
    this.#anyOlder = db
      .prepare<[Bound], number>(
        `SELECT EXISTS (SELECT 1 FROM messages WHERE conversation_id = @conversationId
           AND (timestamp, rowid) < (@timestamp, @rowid))`,
      )
      .pluck();
    this.#anyNewer = db
      .prepare<[Bound], number>(
        `SELECT EXISTS (SELECT 1 FROM messages WHERE conversation_id = @conversationId
           AND (timestamp, rowid) > (@timestamp, @rowid))`,
      )
      .pluck();
  }

  /** A message of this conversation with its place, or null. */
  anchor(conversationId: string, id: string): KeyedMessage | null {
    const row = this.#anchor.get({ conversationId, id });
    return row ? keyed(row) : null;
  }

  /** The newest `limit` messages, oldest first. */
  newest(conversationId: string, limit: number): KeyedMessage[] {
    return this.#newest.all({ conversationId, limit }).map(keyed).reverse();
  }

  /** The `limit` messages just before `key`, oldest first. */
  olderThan(conversationId: string, key: ThreadKey, limit: number): KeyedMessage[] {
    return this.#older
      .all({ conversationId, ...key, limit })
      .map(keyed)
      .reverse();
  }

  /** The `limit` messages just after `key`, oldest first. */
  newerThan(conversationId: string, key: ThreadKey, limit: number): KeyedMessage[] {
    return this.#newer.all({ conversationId, ...key, limit }).map(keyed);
  }

  anyOlderThan(conversationId: string, key: ThreadKey): boolean {
    return this.#anyOlder.get({ conversationId, ...key }) === 1;
  }

  anyNewerThan(conversationId: string, key: ThreadKey): boolean {
    return this.#anyNewer.get({ conversationId, ...key }) === 1;
  }
}

function keyed(row: KeyedRow): KeyedMessage {
  return { key: { timestamp: row.timestamp, rowid: row.row_id }, message: toMessage(row) };
}
