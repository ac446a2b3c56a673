// Every row of a console cache's mirror, as stored, to compare two caches row by row (a rebuilt one
// against a fresh one). Reads a closed cache file read-only, or an open connection.
import Database from 'better-sqlite3';

/** Mirror tables and the column that orders each one. */
const MIRROR_TABLES = {
  conversations: 'id',
  messages: 'id',
  templates: 'key',
  phone_numbers: 'id',
  alerts: 'id',
  notes: 'id',
  quick_replies: 'id',
} as const;

export type MirrorTable = keyof typeof MIRROR_TABLES;
export type CacheRows = Record<MirrorTable | 'outbox', Record<string, unknown>[]>;

export function readCacheRows(source: string | Database.Database): CacheRows {
  const db = typeof source === 'string' ? new Database(source, { readonly: true }) : source;
  try {
    const all = (table: string, orderBy: string) =>
      db.prepare<[], Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${orderBy}`).all();
    return {
      conversations: all('conversations', MIRROR_TABLES.conversations),
      messages: all('messages', MIRROR_TABLES.messages),
      templates: all('templates', MIRROR_TABLES.templates),
      phone_numbers: all('phone_numbers', MIRROR_TABLES.phone_numbers),
      alerts: all('alerts', MIRROR_TABLES.alerts),
      notes: all('notes', MIRROR_TABLES.notes),
      quick_replies: all('quick_replies', MIRROR_TABLES.quick_replies),
      outbox: all('outbox', 'mutation_id'),
    };
  } finally {
    if (typeof source === 'string') db.close();
  }
}

/** The rows without the columns a console keeps for itself (unread counts are local). */
export function withoutLocalColumns(rows: CacheRows): CacheRows {
  return {
    ...rows,
    conversations: rows.conversations.map(({ unread_count: _unread, ...row }) => row),
  };
}

/** unread_count by conversation id. */
export function unreadCounts(rows: CacheRows): Record<string, unknown> {
  const counts: Record<string, unknown> = {};
  for (const row of rows.conversations) counts[String(row.id)] = row.unread_count;
  return counts;
}
