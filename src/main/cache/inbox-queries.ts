// The inbox's reads: one page of a view, newest activity first, by keyset (lastMessageAt DESC, id),
// and how many conversations each view holds. Each view, with or without a business-number filter,
// is its own prepared statement, so SQLite plans it against the index made for it (migration 005).
import type { Database, Statement } from 'better-sqlite3';
import {
  CONVERSATION_VIEWS,
  type ConversationCursor,
  type ConversationListItem,
  type ConversationView,
} from '../../shared/console-api.ts';
import { toConversation, type ConversationRow } from './conversation-rows.ts';

/** `expiring`: open conversations whose window closes within this long (relay time). */
export const EXPIRING_WITHIN_MS = 2 * 60 * 60 * 1000;

export interface InboxPageQuery {
  view: ConversationView;
  /** Only this business number's conversations. */
  phoneNumberId?: string | undefined;
  limit: number;
  /** The last item of the previous page. */
  after?: ConversationCursor | undefined;
}

/** Who is asking and when: `mine` needs the signed-in agent, `expiring` the relay's clock. */
export interface InboxContext {
  agentId: string | null;
  relayNow: number;
}

export interface InboxCounts {
  counts: Record<ConversationView, number>;
  unreadTotal: number;
}

const VIEW_FILTERS: Record<ConversationView, string> = {
  open: `status = 'open'`,
  mine: `status = 'open' AND assignee_id = @agentId`,
  unassigned: `status = 'open' AND assignee_id IS NULL`,
  unread: `status = 'open' AND unread_count > 0`,
  expiring: `status = 'open' AND window_expires_at > @now AND window_expires_at <= @soon`,
  closed: `status = 'closed'`,
};

/** Only the parameters a statement names: better-sqlite3 refuses to bind others. */
const VIEW_PARAMETERS: Record<ConversationView, readonly ('agentId' | 'now' | 'soon')[]> = {
  open: [],
  mine: ['agentId'],
  unassigned: [],
  unread: [],
  expiring: ['now', 'soon'],
  closed: [],
};

type CountsRow = Record<ConversationView, number | null> & { unreadTotal: number | null };

export class InboxQueries {
  readonly #db: Database;
  readonly #pages = new Map<string, Statement<[Record<string, unknown>], ConversationRow>>();
  readonly #counts: Record<'all' | 'number', Statement<[Record<string, unknown>], CountsRow>>;

  constructor(db: Database) {
    this.#db = db;
    const countsSql = (where: string) => `
      SELECT ${CONVERSATION_VIEWS.map((view) => `COALESCE(SUM(${VIEW_FILTERS[view]}), 0) AS ${view}`).join(', ')},
        COALESCE(SUM(unread_count), 0) AS unreadTotal
      FROM conversations ${where}`;
    this.#counts = {
      all: db.prepare(countsSql('')),
      number: db.prepare(countsSql('WHERE phone_number_id = @phoneNumberId')),
    };
  }

  /** One page of a view (limit + 1 rows are read to know whether another page follows). */
  page(
    query: InboxPageQuery,
    context: InboxContext,
  ): { items: ConversationListItem[]; nextCursor: ConversationCursor | null } {
    const byNumber = query.phoneNumberId !== undefined;
    const paged = query.after !== undefined;
    const params: Record<string, unknown> = { limit: query.limit + 1 };
    for (const name of VIEW_PARAMETERS[query.view]) params[name] = viewParameter(name, context);
    if (byNumber) params.phoneNumberId = query.phoneNumberId;
    if (query.after) {
      params.afterAt = query.after.lastMessageAt;
      params.afterId = query.after.id;
    }
    const rows = this.#pageStatement(query.view, byNumber, paged).all(params);
    const items = rows.slice(0, query.limit).map(toConversation);
    const last = items.at(-1);
    const nextCursor =
      rows.length > query.limit && last ? { lastMessageAt: last.lastMessageAt, id: last.id } : null;
    return { items, nextCursor };
  }

  /** How many conversations each view holds, and the unread messages across them all. */
  counts(phoneNumberId: string | undefined, context: InboxContext): InboxCounts {
    const params: Record<string, unknown> = {
      agentId: context.agentId,
      now: context.relayNow,
      soon: context.relayNow + EXPIRING_WITHIN_MS,
    };
    const row =
      phoneNumberId === undefined
        ? this.#counts.all.get(params)
        : this.#counts.number.get({ ...params, phoneNumberId });
    const counts = Object.fromEntries(CONVERSATION_VIEWS.map((view) => [view, row?.[view] ?? 0])) as Record<
      ConversationView,
      number
    >;
    return { counts, unreadTotal: row?.unreadTotal ?? 0 };
  }

  #pageStatement(view: ConversationView, byNumber: boolean, paged: boolean) {
    const key = `${view}:${byNumber}:${paged}`;
    let statement = this.#pages.get(key);
    if (!statement) {
      const filters = [
        byNumber ? 'phone_number_id = @phoneNumberId' : null,
        VIEW_FILTERS[view],
        // Keyset: strictly after the previous page's last item in (lastMessageAt DESC, id ASC) order.
        paged ? '(last_message_at < @afterAt OR (last_message_at = @afterAt AND id > @afterId))' : null,
      ].filter((filter) => filter !== null);
      statement = this.#db.prepare(`
        SELECT * FROM conversations WHERE ${filters.join(' AND ')}
        ORDER BY last_message_at DESC, id LIMIT @limit`);
      this.#pages.set(key, statement);
    }
    return statement;
  }
}

function viewParameter(name: 'agentId' | 'now' | 'soon', context: InboxContext): string | number | null {
  if (name === 'agentId') return context.agentId;
  return name === 'now' ? context.relayNow : context.relayNow + EXPIRING_WITHIN_MS;
}
