// Search over cached messages (text and customer name), newest first, with highlighted snippets.
// What the agent types is never FTS5 syntax: it is cut into words, each quoted, the last one a
// prefix, so `"`, `*`, `NEAR(` or `-` are just characters and never a query error.
import type { Database, Statement } from 'better-sqlite3';
import { HIGHLIGHT_END, HIGHLIGHT_START, type MessageSearchHit } from '../../shared/console-api.ts';

export interface MessageSearchQuery {
  query: string;
  limit: number;
  conversationId?: string | undefined;
}

/** Words beyond this are ignored: a pasted paragraph should not become a huge query. */
const MAX_WORDS = 16;
/** Tokens of the snippet around the best match. */
const SNIPPET_TOKENS = 16;

/**
 * The FTS5 MATCH expression for what the agent typed: every word must match, the last one as a
 * prefix ("envi" finds "envíos"). Null when nothing searchable is left (empty or punctuation only).
 */
export function toMatchExpression(typed: string): string | null {
  // Words as the unicode61 tokenizer sees them: letters, numbers and private-use characters;
  // NFC first, so a decomposed "o" + combining accent stays one word.
  const words = typed
    .normalize('NFC')
    .split(/[^\p{L}\p{N}\p{Co}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  // The words hold no double quote, so quoting them is enough to keep them literal.
  return words.map((word, index) => (index === words.length - 1 ? `"${word}"*` : `"${word}"`)).join(' ');
}

export class MessageSearch {
  readonly #search: Statement<[Record<string, unknown>], MessageSearchHit>;

  constructor(db: Database) {
    // Snippet column -1: whichever of text and name matched best.
    this.#search = db.prepare(`
      SELECT m.id AS messageId, m.conversation_id AS conversationId, c.customer_name AS customerName,
        m.timestamp AS timestamp,
        snippet(message_search, -1, @start, @end, '…', ${SNIPPET_TOKENS}) AS snippet
      FROM message_search s
      JOIN messages m ON m.rowid = s.rowid
      LEFT JOIN conversations c ON c.id = m.conversation_id
      WHERE message_search MATCH @match AND (@conversationId IS NULL OR m.conversation_id = @conversationId)
      ORDER BY m.timestamp DESC, m.rowid DESC
      LIMIT @limit`);
  }

  /** Newest first; nothing for a query with no words. */
  search(query: MessageSearchQuery): MessageSearchHit[] {
    const match = toMatchExpression(query.query);
    if (match === null) return [];
    return this.#search.all({
      match,
      conversationId: query.conversationId ?? null,
      limit: query.limit,
      start: HIGHLIGHT_START,
      end: HIGHLIGHT_END,
    });
  }
}
