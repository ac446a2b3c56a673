// GET /v1/conversations: the conversations an agent may see, filtered, newest activity first, paged
// by a cursor on (last activity, id) so a page boundary never skips or repeats a row while new
// messages move conversations to the top. Reads the store's tables directly (read-only).
import type { Agent, Conversation } from '../../shared/domain.ts';
import type { SqliteRelayStore } from '../store/sqlite-relay-store.ts';
import { EXPIRING_WITHIN_MS, type ConversationListQuery } from './api-schemas.ts';
import { encodeCursor } from './cursor.ts';

export type ConversationReader = Pick<SqliteRelayStore, 'database' | 'getConversation'>;

export interface ConversationPage {
  conversations: Conversation[];
  nextCursor: string | null;
}

type SqlValue = string | number;

/** SQL conditions (ANDed) and their parameters. */
class Where {
  readonly clauses: string[] = [];
  readonly params: SqlValue[] = [];
  add(clause: string, ...params: SqlValue[]): void {
    this.clauses.push(clause);
    this.params.push(...params);
  }
  toString(): string {
    return this.clauses.length === 0 ? '' : `WHERE ${this.clauses.join(' AND ')}`;
  }
}

/** Agents see their numbers; supervisors and admins see every number (as on the sync stream). */
function addVisibility(where: Where, agent: Agent): void {
  if (agent.role !== 'agent' || agent.numbers === 'all') return;
  where.add(`phone_number_id IN (${agent.numbers.map(() => '?').join(', ')})`, ...agent.numbers);
}

function addWindow(where: Where, window: ConversationListQuery['window'], now: number): void {
  switch (window) {
    case undefined:
      return;
    case 'open':
      return where.add('window_expires_at > ?', now);
    case 'closed':
      return where.add('(window_expires_at IS NULL OR window_expires_at <= ?)', now);
    case 'expiring':
      return where.add('window_expires_at > ? AND window_expires_at <= ?', now, now + EXPIRING_WITHIN_MS);
  }
}

export function listConversations(
  store: ConversationReader,
  agent: Agent,
  query: ConversationListQuery,
  now: number,
): ConversationPage {
  const where = new Where();
  addVisibility(where, agent);
  if (query.phoneNumberId !== undefined) where.add('phone_number_id = ?', query.phoneNumberId);
  if (query.status !== undefined) where.add('status = ?', query.status);
  if (query.assigneeId === 'unassigned') where.add('assignee_id IS NULL');
  else if (query.assigneeId !== undefined) where.add('assignee_id = ?', query.assigneeId);
  addWindow(where, query.window, now);
  if (query.cursor !== undefined) where.add('(last_message_at, id) < (?, ?)', ...query.cursor);

  // One row more than asked tells whether there is a next page.
  const ids = store.database
    .prepare<SqlValue[], string>(
      `SELECT id FROM conversations ${where.toString()} ORDER BY last_message_at DESC, id DESC LIMIT ?`,
    )
    .pluck()
    .all(...where.params, query.limit + 1);
  const conversations = ids
    .slice(0, query.limit)
    .map((id) => store.getConversation(id))
    .filter((conversation) => conversation !== null);
  const last = conversations.at(-1);
  return {
    conversations,
    nextCursor:
      ids.length > query.limit && last !== undefined ? encodeCursor([last.lastMessageAt, last.id]) : null,
  };
}
