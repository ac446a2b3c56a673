// Internal notes mirrored from the relay (`note.upserted`, snapshot `notes`): each carries its whole
// state, so a write is an idempotent upsert.
import type { Database, Statement } from 'better-sqlite3';
import type { Note } from '../../shared/domain.ts';

interface NoteRow {
  id: string;
  conversation_id: string;
  phone_number_id: string;
  author_id: string;
  text: string;
  at: number;
}

export class NotesTable {
  readonly #upsert: Statement<[NoteRow]>;
  readonly #ofConversation: Statement<[string], NoteRow>;
  readonly #conversationIds: Statement<[], string>;

  constructor(db: Database) {
    this.#upsert = db.prepare(`
      INSERT INTO notes (id, conversation_id, phone_number_id, author_id, text, at)
      VALUES (@id, @conversation_id, @phone_number_id, @author_id, @text, @at)
      ON CONFLICT (id) DO UPDATE SET
        conversation_id = excluded.conversation_id, phone_number_id = excluded.phone_number_id,
        author_id = excluded.author_id, text = excluded.text, at = excluded.at`);
    this.#ofConversation = db.prepare('SELECT * FROM notes WHERE conversation_id = ? ORDER BY at, rowid');
    this.#conversationIds = db.prepare<[], string>('SELECT DISTINCT conversation_id FROM notes').pluck();
  }

  upsert(note: Note): void {
    this.#upsert.run({
      id: note.id,
      conversation_id: note.conversationId,
      phone_number_id: note.phoneNumberId,
      author_id: note.authorId,
      text: note.text,
      at: note.at,
    });
  }

  /** Oldest first. */
  ofConversation(conversationId: string): Note[] {
    return this.#ofConversation.all(conversationId).map((row) => ({
      id: row.id,
      conversationId: row.conversation_id,
      phoneNumberId: row.phone_number_id,
      authorId: row.author_id,
      text: row.text,
      at: row.at,
    }));
  }

  /** The conversations that have notes (a rebuild tells their lists to reload). */
  conversationIds(): string[] {
    return this.#conversationIds.all();
  }
}
