// Whose messages an agent hears about: the conversations assigned to them and the unassigned queue,
// not the ones a teammate holds. And the unread total the badge shows.
import type { Database, Statement } from 'better-sqlite3';
import { agentSchema } from '../../shared/domain.ts';

/** SQL condition on a conversations row aliased `c`; binds `@agentId` (null: only the unassigned). */
// `IS`, not `=`: with no agent known the condition must be false, never NULL.
export const AGENT_SCOPE_SQL = '(c.assignee_id IS NULL OR c.assignee_id IS @agentId)';

/**
 * Unread messages across every conversation this console sees (the cache holds exactly the agent's
 * numbers): the number on the dock or taskbar. It is the inbox's `unreadTotal` (ConversationPage),
 * summed the same way, so the badge and the inbox always agree.
 */
export class UnreadTotal {
  readonly #sum: Statement<[], number>;

  constructor(db: Database) {
    this.#sum = db.prepare<[], number>('SELECT COALESCE(SUM(unread_count), 0) FROM conversations').pluck();
  }

  read(): number {
    return this.#sum.get() ?? 0;
  }
}

/**
 * The signed-in agent's id as the sync client remembers it from the last welcome (sync_state key
 * 'agent'); null before the first one. For hosts of the Notifier without a CacheRepository at hand.
 */
export function signedInAgentId(db: Database): string | null {
  const row = db.prepare<[], { value: string }>(`SELECT value FROM sync_state WHERE key = 'agent'`).get();
  if (!row) return null;
  try {
    const parsed = agentSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data.id : null;
  } catch {
    return null; // not JSON: no agent we can name
  }
}
