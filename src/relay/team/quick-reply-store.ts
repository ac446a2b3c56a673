// The team's quick replies. Shortcuts are unique whatever their case (Unicode-aware): the table keeps
// a folded key with a UNIQUE constraint, so a clash is caught even between two racing writers.
import type Database from 'better-sqlite3';
import { quickReplySchema, type QuickReply } from '../../shared/domain.ts';

/** A quick reply with who created it (only they, or a supervisor, may delete it). */
export interface QuickReplyRecord {
  quickReply: QuickReply;
  createdBy: string;
}

export interface QuickReplyStore {
  get(id: string): QuickReplyRecord | null;
  /** The reply using this shortcut, compared without regard to case. */
  findByShortcut(shortcut: string): QuickReplyRecord | null;
  /** Inserts or replaces the reply with this id (the creator is kept from the first insert). */
  save(quickReply: QuickReply, createdBy: string): void;
  delete(id: string): void;
  /** Every reply, by shortcut. */
  list(): QuickReply[];
}

/** How shortcuts are compared: case-insensitively, on the same Unicode form. */
export function shortcutKey(shortcut: string): string {
  return shortcut.normalize('NFC').toLowerCase();
}

interface QuickReplyRow {
  id: string;
  shortcut: string;
  text: string;
  created_by: string;
  updated_at: number;
  updated_by: string;
}

const COLUMNS = 'id, shortcut, text, created_by, updated_at, updated_by';

const toRecord = (row: QuickReplyRow): QuickReplyRecord => ({
  quickReply: quickReplySchema.parse({
    id: row.id,
    shortcut: row.shortcut,
    text: row.text,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  }),
  createdBy: row.created_by,
});

export function createQuickReplyStore(db: Database.Database): QuickReplyStore {
  const sql = {
    byId: db.prepare<[string], QuickReplyRow>(`SELECT ${COLUMNS} FROM quick_replies WHERE id = ?`),
    byKey: db.prepare<[string], QuickReplyRow>(`SELECT ${COLUMNS} FROM quick_replies WHERE shortcut_key = ?`),
    upsert: db.prepare<[string, string, string, string, string, number, string]>(
      `INSERT INTO quick_replies (id, shortcut, shortcut_key, text, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET shortcut = excluded.shortcut, shortcut_key = excluded.shortcut_key,
         text = excluded.text, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    ),
    delete: db.prepare<[string]>('DELETE FROM quick_replies WHERE id = ?'),
    all: db.prepare<[], QuickReplyRow>(`SELECT ${COLUMNS} FROM quick_replies ORDER BY shortcut_key`),
  };

  return {
    get(id) {
      const row = sql.byId.get(id);
      return row === undefined ? null : toRecord(row);
    },
    findByShortcut(shortcut) {
      const row = sql.byKey.get(shortcutKey(shortcut));
      return row === undefined ? null : toRecord(row);
    },
    save(quickReply, createdBy) {
      sql.upsert.run(
        quickReply.id,
        quickReply.shortcut,
        shortcutKey(quickReply.shortcut),
        quickReply.text,
        createdBy,
        quickReply.updatedAt,
        quickReply.updatedBy,
      );
    },
    delete(id) {
      sql.delete.run(id);
    },
    list: () => sql.all.all().map((row) => toRecord(row).quickReply),
  };
}
