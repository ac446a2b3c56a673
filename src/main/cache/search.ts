// Search over cached messages (text and customer name), newest first, with highlighted snippets.
// What the agent types is never FTS5 syntax: it is cut into words, each quoted, the last one a
// prefix, so `"`, `*`, `NEAR(` or `-` are just characters and never a query error.
//
// Newest first without sorting: the index's rowid is a time-ordered key (migration 004), so FTS5
// walks its doclists backwards and stops at the limit; only those rows are joined and snippeted.
// Ties in time go to the message indexed last. Within one conversation, the conversation's token
// (a column of its own, never reachable by typed words) is ANDed in, so FTS5 skips from one of the
// thread's messages to the next instead of walking every match in the cache.
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

/** The conversation's token as the index holds it: SQLite's hex() of the id (case folds away). */
export function conversationToken(conversationId: string): string {
  return Buffer.from(conversationId, 'utf8').toString('hex');
}

/**
 * The whole MATCH: the typed words against text and name only (a word made of hex digits must
 * not find a conversation token), and within one conversation when asked.
 */
export function toSearchExpression(typed: string, conversationId?: string): string | null {
  const words = toMatchExpression(typed);
  if (words === null) return null;
  const inMessage = `{text customer_name} : (${words})`;
  return conversationId === undefined
    ? inMessage
    : `{conversation} : "${conversationToken(conversationId)}" AND ${inMessage}`;
}

/**
 * The search: CROSS JOIN keeps the index the outer loop, read in key order, so the plan stops at
 * the limit (test/integration/console-search.test.ts checks the plan). Snippet column -1: whichever of text and name matched best (the
 * conversation column never wins: it scores at most one match, and ties go to the earlier column).
 * The conversation test repeats the token's work in SQL, so a hit is right by the row itself.
 */
export const SEARCH_SQL = `
  SELECT m.id AS messageId, m.conversation_id AS conversationId, c.customer_name AS customerName,
    m.timestamp AS timestamp,
    snippet(message_search, -1, @start, @end, '…', ${SNIPPET_TOKENS}) AS snippet
  FROM message_search s
  CROSS JOIN message_search_keys k ON k.key = s.rowid
  CROSS JOIN messages m ON m.rowid = k.message_rowid
  LEFT JOIN conversations c ON c.id = m.conversation_id
  WHERE message_search MATCH @match AND (@conversationId IS NULL OR m.conversation_id = @conversationId)
  ORDER BY s.rowid DESC
  LIMIT @limit`;

export class MessageSearch {
  readonly #search: Statement<[Record<string, unknown>], MessageSearchHit>;

  constructor(db: Database) {
    this.#search = db.prepare(SEARCH_SQL);
  }

  /** Newest first; nothing for a query with no words. */
  search(query: MessageSearchQuery): MessageSearchHit[] {
    const match = toSearchExpression(query.query, query.conversationId);
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
