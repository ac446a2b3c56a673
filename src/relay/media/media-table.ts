// The `media` and `media_scan` tables (migration 003), on the store's own connection so that their
// writes join the store's transactions (a download's result and its event commit together).
import type Database from 'better-sqlite3';
import { z } from 'zod';

export const mediaStateSchema = z.enum(['pending', 'stored', 'failed']);
export type MediaState = z.infer<typeof mediaStateSchema>;

export interface MediaRecord {
  messageId: string;
  mediaId: string;
  phoneNumberId: string;
  state: MediaState;
  attempts: number;
  nextAttemptAt: number | null;
  expiresAt: number;
  mimeType: string | null;
  sha256: string | null;
  filename: string | null;
  fileSize: number | null;
  storedPath: string | null;
  lastError: string | null;
  registeredAt: number;
  updatedAt: number;
}

export type MediaKey = Pick<MediaRecord, 'messageId' | 'mediaId'>;

export type NewMediaRecord = Pick<
  MediaRecord,
  'messageId' | 'mediaId' | 'phoneNumberId' | 'expiresAt' | 'mimeType' | 'sha256' | 'filename' | 'fileSize'
>;

interface MediaRow {
  message_id: string;
  media_id: string;
  phone_number_id: string;
  state: string;
  attempts: number;
  next_attempt_at: number | null;
  expires_at: number;
  mime_type: string | null;
  sha256: string | null;
  filename: string | null;
  file_size: number | null;
  stored_path: string | null;
  last_error: string | null;
  registered_at: number;
  updated_at: number;
}

interface NewMediaRecordRow {
  message_id: string;
  media_id: string;
  phone_number_id: string;
  expires_at: number;
  mime_type: string | null;
  sha256: string | null;
  filename: string | null;
  file_size: number | null;
  at: number;
}

function toRecord(row: MediaRow): MediaRecord {
  return {
    messageId: row.message_id,
    mediaId: row.media_id,
    phoneNumberId: row.phone_number_id,
    state: mediaStateSchema.parse(row.state),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    expiresAt: row.expires_at,
    mimeType: row.mime_type,
    sha256: row.sha256,
    filename: row.filename,
    fileSize: row.file_size,
    storedPath: row.stored_path,
    lastError: row.last_error,
    registeredAt: row.registered_at,
    updatedAt: row.updated_at,
  };
}

export interface MediaTable {
  /**
   * Adds a pending download, due at once. A message already known keeps its row, unless it now
   * carries another media id (its media was replaced): then the download starts over.
   */
  register(record: NewMediaRecord, at: number): boolean;
  get(messageId: string): MediaRecord | null;
  /** Pending downloads whose next attempt is due at `now`, most overdue first. */
  due(now: number, limit: number): MediaRecord[];
  /** Every message carrying this Meta media id (normally one). */
  byMediaId(mediaId: string): MediaRecord[];
  // The outcome of an attempt on `record`; false (nothing written) when the message's media was
  // replaced meanwhile, so a late answer about the old media id cannot overwrite the new one.
  markStored(
    record: MediaKey,
    result: { storedPath: string; fileSize: number; mimeType: string | null; attempts: number },
    at: number,
  ): boolean;
  markRetrying(
    record: MediaKey,
    result: { attempts: number; nextAttemptAt: number; error: string },
    at: number,
  ): boolean;
  markFailed(record: MediaKey, result: { attempts: number; error: string }, at: number): boolean;
  /** The last event seq already looked at for media. */
  scanCursor(): number;
  /** Moves the scan cursor forward (never back). */
  advanceScanCursor(seq: number): void;
}

export function createMediaTable(db: Database.Database): MediaTable {
  const sql = {
    register: db.prepare<[NewMediaRecordRow]>(`
      INSERT INTO media (message_id, media_id, phone_number_id, state, attempts, next_attempt_at, expires_at,
        mime_type, sha256, filename, file_size, registered_at, updated_at)
      VALUES (@message_id, @media_id, @phone_number_id, 'pending', 0, @at, @expires_at,
        @mime_type, @sha256, @filename, @file_size, @at, @at)
      ON CONFLICT (message_id) DO UPDATE SET
        media_id = excluded.media_id, state = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at,
        expires_at = excluded.expires_at, mime_type = excluded.mime_type, sha256 = excluded.sha256,
        filename = excluded.filename, file_size = excluded.file_size, stored_path = NULL, last_error = NULL,
        updated_at = excluded.updated_at
      WHERE media.media_id <> excluded.media_id`),
    get: db.prepare<[string], MediaRow>('SELECT * FROM media WHERE message_id = ?'),
    due: db.prepare<[number, number], MediaRow>(`
      SELECT * FROM media WHERE state = 'pending' AND next_attempt_at <= ?
      ORDER BY next_attempt_at LIMIT ?`),
    byMediaId: db.prepare<[string], MediaRow>(
      'SELECT * FROM media WHERE media_id = ? ORDER BY registered_at',
    ),
    markStored: db.prepare<[string, number, string | null, number, number, string, string]>(`
      UPDATE media SET state = 'stored', stored_path = ?, file_size = ?, mime_type = coalesce(?, mime_type),
        attempts = ?, next_attempt_at = NULL, last_error = NULL, updated_at = ?
      WHERE message_id = ? AND media_id = ?`),
    markRetrying: db.prepare<[number, number, string, number, string, string]>(`
      UPDATE media SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ?
      WHERE message_id = ? AND media_id = ?`),
    markFailed: db.prepare<[number, string, number, string, string]>(`
      UPDATE media SET state = 'failed', attempts = ?, next_attempt_at = NULL, last_error = ?, updated_at = ?
      WHERE message_id = ? AND media_id = ?`),
    scanCursor: db.prepare<[], number>('SELECT seq FROM media_scan WHERE id = 1').pluck(),
    advanceScanCursor: db.prepare<[number]>('UPDATE media_scan SET seq = max(seq, ?) WHERE id = 1'),
  };

  return {
    register(record, at) {
      const result = sql.register.run({
        message_id: record.messageId,
        media_id: record.mediaId,
        phone_number_id: record.phoneNumberId,
        expires_at: record.expiresAt,
        mime_type: record.mimeType,
        sha256: record.sha256,
        filename: record.filename,
        file_size: record.fileSize,
        at,
      });
      return result.changes > 0;
    },
    get(messageId) {
      const row = sql.get.get(messageId);
      return row === undefined ? null : toRecord(row);
    },
    due: (now, limit) => sql.due.all(now, limit).map(toRecord),
    byMediaId: (mediaId) => sql.byMediaId.all(mediaId).map(toRecord),
    markStored: ({ messageId, mediaId }, result, at) =>
      sql.markStored.run(
        result.storedPath,
        result.fileSize,
        result.mimeType,
        result.attempts,
        at,
        messageId,
        mediaId,
      ).changes > 0,
    markRetrying: ({ messageId, mediaId }, result, at) =>
      sql.markRetrying.run(result.attempts, result.nextAttemptAt, result.error, at, messageId, mediaId)
        .changes > 0,
    markFailed: ({ messageId, mediaId }, result, at) =>
      sql.markFailed.run(result.attempts, result.error, at, messageId, mediaId).changes > 0,
    scanCursor: () => sql.scanCursor.get() ?? 0,
    advanceScanCursor(seq) {
      sql.advanceScanCursor.run(seq);
    },
  };
}
