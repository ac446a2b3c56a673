// The `uploads`, `upload_uses` and `upload_graph_media` tables (migration 007), on the store's own
// connection so that their writes join the store's transactions (a send_media command marks its
// upload used in the same transaction that saves its message).
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { uploadKinds, type UploadKind } from './upload-limits.ts';

export interface UploadRecord {
  uploadId: string;
  /** The agent who uploaded it. */
  agentId: string;
  kind: UploadKind;
  mimeType: string;
  size: number;
  /** SHA-256 of the bytes, in base64 as Meta writes it in webhooks. */
  sha256: string;
  filename: string | null;
  /** The file's name in the uploads folder. */
  storedName: string;
  createdAt: number;
}

/** Meta's media id for an upload on one business number. */
export interface GraphMediaRecord {
  mediaId: string;
  uploadedAt: number;
}

/** What commands need: find an upload and mark it used by the message they save. */
export interface UploadStore {
  get(uploadId: string): UploadRecord | null;
  /**
   * Records that `messageId` (of business number `phoneNumberId`) carries the upload: from now on it
   * is kept, and visible to whoever sees that number. Call inside the command's transaction.
   */
  markUsed(uploadId: string, use: { messageId: string; phoneNumberId: string }, at: number): void;
}

export interface UploadTable extends UploadStore {
  insert(record: UploadRecord): void;
  /** The business numbers of the messages that carry the upload. */
  usedOnNumbers(uploadId: string): string[];
  graphMedia(uploadId: string, phoneNumberId: string): GraphMediaRecord | null;
  saveGraphMedia(uploadId: string, phoneNumberId: string, media: GraphMediaRecord): void;
  /**
   * Deletes uploads created before `before` that no message carries; answers their stored names
   * (the caller removes the files after the commit).
   */
  deleteUnusedBefore(before: number): string[];
  /** Every stored name the table knows (to find files a crash left without a row). */
  storedNames(): Set<string>;
}

interface UploadRow {
  upload_id: string;
  agent_id: string;
  kind: string;
  mime_type: string;
  size: number;
  sha256: string;
  filename: string | null;
  stored_name: string;
  created_at: number;
}

const kindSchema = z.enum(uploadKinds);

function toRecord(row: UploadRow): UploadRecord {
  return {
    uploadId: row.upload_id,
    agentId: row.agent_id,
    kind: kindSchema.parse(row.kind),
    mimeType: row.mime_type,
    size: row.size,
    sha256: row.sha256,
    filename: row.filename,
    storedName: row.stored_name,
    createdAt: row.created_at,
  };
}

export function createUploadTable(db: Database.Database): UploadTable {
  const sql = {
    insert: db.prepare<[UploadRow]>(`
      INSERT INTO uploads (upload_id, agent_id, kind, mime_type, size, sha256, filename, stored_name, created_at)
      VALUES (@upload_id, @agent_id, @kind, @mime_type, @size, @sha256, @filename, @stored_name, @created_at)`),
    get: db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE upload_id = ?'),
    markUsed: db.prepare<[string, string, string, number]>(`
      INSERT INTO upload_uses (upload_id, message_id, phone_number_id, used_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (upload_id, message_id) DO NOTHING`),
    usedOnNumbers: db
      .prepare<[string], string>('SELECT DISTINCT phone_number_id FROM upload_uses WHERE upload_id = ?')
      .pluck(),
    graphMedia: db.prepare<[string, string], { media_id: string; uploaded_at: number }>(
      'SELECT media_id, uploaded_at FROM upload_graph_media WHERE upload_id = ? AND phone_number_id = ?',
    ),
    saveGraphMedia: db.prepare<[string, string, string, number]>(`
      INSERT INTO upload_graph_media (upload_id, phone_number_id, media_id, uploaded_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (upload_id, phone_number_id) DO UPDATE SET
        media_id = excluded.media_id, uploaded_at = excluded.uploaded_at`),
    unusedBefore: db.prepare<[number], { upload_id: string; stored_name: string }>(`
      SELECT upload_id, stored_name FROM uploads
      WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM upload_uses WHERE upload_uses.upload_id = uploads.upload_id)`),
    delete: db.prepare<[string]>('DELETE FROM uploads WHERE upload_id = ?'),
    storedNames: db.prepare<[], string>('SELECT stored_name FROM uploads').pluck(),
  };

  return {
    insert(record) {
      sql.insert.run({
        upload_id: record.uploadId,
        agent_id: record.agentId,
        kind: record.kind,
        mime_type: record.mimeType,
        size: record.size,
        sha256: record.sha256,
        filename: record.filename,
        stored_name: record.storedName,
        created_at: record.createdAt,
      });
    },
    get(uploadId) {
      const row = sql.get.get(uploadId);
      return row === undefined ? null : toRecord(row);
    },
    markUsed(uploadId, use, at) {
      sql.markUsed.run(uploadId, use.messageId, use.phoneNumberId, at);
    },
    usedOnNumbers: (uploadId) => sql.usedOnNumbers.all(uploadId),
    graphMedia(uploadId, phoneNumberId) {
      const row = sql.graphMedia.get(uploadId, phoneNumberId);
      return row === undefined ? null : { mediaId: row.media_id, uploadedAt: row.uploaded_at };
    },
    saveGraphMedia(uploadId, phoneNumberId, media) {
      sql.saveGraphMedia.run(uploadId, phoneNumberId, media.mediaId, media.uploadedAt);
    },
    deleteUnusedBefore(before) {
      return db.transaction(() => {
        const unused = sql.unusedBefore.all(before);
        for (const row of unused) sql.delete.run(row.upload_id);
        return unused.map((row) => row.stored_name);
      })();
    },
    storedNames: () => new Set(sql.storedNames.all()),
  };
}
