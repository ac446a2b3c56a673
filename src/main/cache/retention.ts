// Retention: the cache keeps only what is recent enough. Old messages go (their search entries
// follow through the index's triggers), then the conversations they leave empty. The outbox is
// never pruned: an action the agent took is kept until the relay settles it.
import type { Database, Statement } from 'better-sqlite3';

export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PruneResult {
  messages: number;
  conversations: number;
}

/** The oldest time (ms) a cache keeping `retentionDays` days keeps, as of `nowMs`. */
export function retentionCutoff(nowMs: number, retentionDays: number): number {
  return nowMs - retentionDays * DAY_MS;
}

export class Retention {
  readonly #db: Database;
  readonly #deleteMessages: Statement<[number]>;
  readonly #deleteConversations: Statement<[number]>;

  constructor(db: Database) {
    this.#db = db;
    this.#deleteMessages = db.prepare('DELETE FROM messages WHERE timestamp < ?');
    // Only conversations whose own activity is old too: a new conversation whose messages have
    // not arrived yet stays, and so does one with an action still in the outbox.
    this.#deleteConversations = db.prepare(`
      DELETE FROM conversations
      WHERE last_message_at < ?
        AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id)
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.conversation_id = conversations.id)`);
  }

  /** Deletes messages older than `cutoffMs` and the old conversations left with nothing, in one transaction. */
  pruneOlderThan(cutoffMs: number): PruneResult {
    return this.#db.transaction(() => ({
      messages: this.#deleteMessages.run(cutoffMs).changes,
      conversations: this.#deleteConversations.run(cutoffMs).changes,
    }))();
  }
}
