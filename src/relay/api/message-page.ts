// GET /v1/conversations/{id}/messages: one page of a conversation's messages, in either direction
// from a cursor on (timestamp, row id). Row ids break ties between messages of the same millisecond
// and only grow, so paging never skips or repeats one. Reads the store's tables directly (read-only).
import type { Message } from '../../shared/domain.ts';
import type { SqliteRelayStore } from '../store/sqlite-relay-store.ts';
import type { MessagePageQuery } from './api-schemas.ts';
import { encodeCursor } from './cursor.ts';

export type MessageReader = Pick<SqliteRelayStore, 'database' | 'getMessage'>;

export interface MessagePage {
  messages: Message[];
  olderCursor: string | null;
  newerCursor: string | null;
  hasOlder: boolean;
  hasNewer: boolean;
}

type Key = readonly [number, number];
interface KeyedId {
  id: string;
  timestamp: number;
  rowid: number;
}

export function messagePage(
  store: MessageReader,
  conversationId: string,
  query: MessagePageQuery,
): MessagePage {
  const db = store.database;
  const rows = (sql: string, ...params: (string | number)[]): KeyedId[] =>
    db.prepare<(string | number)[], KeyedId>(sql).all(...params);
  const exists = (comparison: '<' | '>', key: Key): boolean =>
    db
      .prepare<[string, number, number], number>(
        `SELECT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ? AND (timestamp, rowid) ${comparison} (?, ?))`,
      )
      .pluck()
      .get(conversationId, ...key) === 1;

  const select = 'SELECT id, timestamp, rowid FROM messages WHERE conversation_id = ?';
  let page: KeyedId[];
  if (query.after !== undefined) {
    page = rows(
      `${select} AND (timestamp, rowid) > (?, ?) ORDER BY timestamp, rowid LIMIT ?`,
      conversationId,
      ...query.after,
      query.limit,
    );
  } else {
    const older =
      query.before === undefined
        ? rows(`${select} ORDER BY timestamp DESC, rowid DESC LIMIT ?`, conversationId, query.limit)
        : rows(
            `${select} AND (timestamp, rowid) < (?, ?) ORDER BY timestamp DESC, rowid DESC LIMIT ?`,
            conversationId,
            ...query.before,
            query.limit,
          );
    page = older.reverse();
  }

  const first = page[0];
  const last = page.at(-1);
  const given = query.after ?? query.before ?? null;
  // An empty page keeps the cursor it was asked with, so a poller can simply keep asking.
  const olderKey: Key | null = first === undefined ? given : [first.timestamp, first.rowid];
  const newerKey: Key | null = last === undefined ? given : [last.timestamp, last.rowid];
  return {
    messages: page.map((row) => store.getMessage(row.id)).filter((message) => message !== null),
    olderCursor: olderKey === null ? null : encodeCursor(olderKey),
    newerCursor: newerKey === null ? null : encodeCursor(newerKey),
    hasOlder: olderKey !== null && exists('<', olderKey),
    hasNewer: newerKey !== null && exists('>', newerKey),
  };
}
