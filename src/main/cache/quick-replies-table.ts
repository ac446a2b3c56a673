// The team's quick replies mirrored from the relay (`quick_reply.upserted` / `.deleted`, snapshot
// `quickReplies`).
import type { Database, Statement } from 'better-sqlite3';
import type { QuickReply } from '../../shared/domain.ts';

interface QuickReplyRow {
  id: string;
  shortcut: string;
  text: string;
  updated_at: number;
  updated_by: string;
}

export class QuickRepliesTable {
  readonly #upsert: Statement<[QuickReplyRow]>;
  readonly #delete: Statement<[string]>;
  readonly #list: Statement<[], QuickReplyRow>;

  constructor(db: Database) {
    this.#upsert = db.prepare(`
      INSERT INTO quick_replies (id, shortcut, text, updated_at, updated_by)
      VALUES (@id, @shortcut, @text, @updated_at, @updated_by)
      ON CONFLICT (id) DO UPDATE SET
        shortcut = excluded.shortcut, text = excluded.text, updated_at = excluded.updated_at,
        updated_by = excluded.updated_by`);
    this.#delete = db.prepare('DELETE FROM quick_replies WHERE id = ?');
    this.#list = db.prepare('SELECT * FROM quick_replies ORDER BY shortcut COLLATE NOCASE, shortcut, id');
  }

  upsert(quickReply: QuickReply): void {
    this.#upsert.run({
      id: quickReply.id,
      shortcut: quickReply.shortcut,
      text: quickReply.text,
      updated_at: quickReply.updatedAt,
      updated_by: quickReply.updatedBy,
    });
  }

  /** Returns whether it was there. */
  delete(id: string): boolean {
    return this.#delete.run(id).changes > 0;
  }

  /** By shortcut. */
  list(): QuickReply[] {
    return this.#list.all().map((row) => ({
      id: row.id,
      shortcut: row.shortcut,
      text: row.text,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    }));
  }
}
