// Internal notes on conversations. Its own statements on the relay store's connection, so writes join
// the command runner's transaction (the note, its event and the mutation commit together).
import type Database from 'better-sqlite3';
import { noteSchema, type Note } from '../../shared/domain.ts';

export interface NoteStore {
  insert(note: Note): void;
  get(id: string): Note | null;
  /** The notes of a conversation, oldest first. */
  listForConversation(conversationId: string): Note[];
  /** Every note with rowid > afterRowid, in rowid order (snapshots page through them). */
  listAfter(afterRowid: number, limit: number): { rowid: number; note: Note }[];
}

interface NoteRow {
  rowid: number;
  id: string;
  conversation_id: string;
  phone_number_id: string;
  author_id: string;
  text: string;
  at: number;
}

const COLUMNS = 'rowid, id, conversation_id, phone_number_id, author_id, text, at';

const toNote = (row: NoteRow): Note =>
  noteSchema.parse({
    id: row.id,
    conversationId: row.conversation_id,
    phoneNumberId: row.phone_number_id,
    authorId: row.author_id,
    text: row.text,
    at: row.at,
  });

export function createNoteStore(db: Database.Database): NoteStore {
  const sql = {
    insert: db.prepare<[string, string, string, string, string, number]>(
      `INSERT INTO notes (id, conversation_id, phone_number_id, author_id, text, at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    byId: db.prepare<[string], NoteRow>(`SELECT ${COLUMNS} FROM notes WHERE id = ?`),
    byConversation: db.prepare<[string], NoteRow>(
      `SELECT ${COLUMNS} FROM notes WHERE conversation_id = ? ORDER BY at, rowid`,
    ),
    after: db.prepare<[number, number], NoteRow>(
      `SELECT ${COLUMNS} FROM notes WHERE rowid > ? ORDER BY rowid LIMIT ?`,
    ),
  };

  return {
    insert(note) {
      sql.insert.run(note.id, note.conversationId, note.phoneNumberId, note.authorId, note.text, note.at);
    },
    get(id) {
      const row = sql.byId.get(id);
      return row === undefined ? null : toNote(row);
    },
    listForConversation: (conversationId) => sql.byConversation.all(conversationId).map(toNote),
    listAfter: (afterRowid, limit) =>
      sql.after.all(afterRowid, limit).map((row) => ({ rowid: row.rowid, note: toNote(row) })),
  };
}
